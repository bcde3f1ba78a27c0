import { createClient, type Client } from '@libsql/client'
import { LibsqlDialect } from '@libsql/kysely-libsql'
import { Kysely, sql, type Transaction } from 'kysely'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** Any Kysely executor: the database itself or an open transaction. */
export type Executor = Kysely<any> | Transaction<any>

/**
 * The engine's database. libsql refuses a second writer while a transaction
 * is open (and on `:memory:` any other call), so every unit of work goes
 * through one FIFO queue: `read` and `write` never interleave with an open
 * transaction. Code inside a unit uses the executor it is given, never the
 * queue again, or it would wait for itself.
 */
export interface Database {
  readonly url: string
  read<T>(work: (db: Kysely<any>) => Promise<T>): Promise<T>
  write<T>(work: (trx: Transaction<any>) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * Opens `file:` paths, plain paths and `:memory:`. A plain path like
 * `./data/crm.db` becomes a file URL and its folder is created.
 */
/** WAL pages (4 KB each) written before a commit copies them into the database file. */
const WAL_CHECKPOINT_PAGES = 8000

export function openDatabase(url: string): Database {
  const libsqlUrl = toLibsqlUrl(url)
  const client = createClient({ url: libsqlUrl })
  const kysely = new Kysely<any>({ dialect: new LibsqlDialect({ client }) })
  const isFile = libsqlUrl.startsWith('file:')
  // A file database runs in WAL mode with synchronous=NORMAL: a commit then costs about 0.2 ms
  // instead of 13 ms (rollback journal, fsync per commit), which is what lets an import commit
  // every batch in its own transaction. A killed process still loses no committed transaction.
  let tail: Promise<unknown> = isFile
    ? sql`pragma journal_mode = wal`.execute(kysely).catch(() => undefined)
    : Promise.resolve()
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work)
    tail = result.catch(() => undefined)

    return result
  }

  return {
    url,
    read: (work) => enqueue(() => work(kysely)),
    write: (work) =>
      enqueue(async () => {
        // synchronous is a setting of the connection, and libsql hands each transaction the
        // current connection and opens a new one after it: set it on the one about to be used.
        if (isFile) {
          await sql`pragma synchronous = normal`.execute(kysely)
          // A checkpoint copies the WAL into the database and syncs both: after every 4 MB (the
          // default), a bulk write spends a fifth of its time there, rewriting the same index pages
          // again and again. Every 32 MB writes each hot page once per 8 batches of an import.
          await sql`pragma wal_autocheckpoint = ${sql.lit(WAL_CHECKPOINT_PAGES)}`.execute(kysely)
        }

        return kysely.transaction().execute(work)
      }),
    close: () => enqueue(() => closeAll(kysely, client)),
  }
}

async function closeAll(kysely: Kysely<any>, client: Client): Promise<void> {
  await kysely.destroy()
  client.close()
}

function toLibsqlUrl(url: string): string {
  if (url === ':memory:' || /^(file|libsql|https?|wss?):/.test(url)) return url
  mkdirSync(dirname(url), { recursive: true })

  return `file:${url}`
}

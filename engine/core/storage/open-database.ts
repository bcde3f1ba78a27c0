import { createClient, type Client } from '@libsql/client'
import { LibsqlDialect } from '@libsql/kysely-libsql'
import { Kysely, type Transaction } from 'kysely'
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
export function openDatabase(url: string): Database {
  const client = createClient({ url: toLibsqlUrl(url) })
  const kysely = new Kysely<any>({ dialect: new LibsqlDialect({ client }) })
  let tail: Promise<unknown> = Promise.resolve()
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work)
    tail = result.catch(() => undefined)

    return result
  }

  return {
    url,
    read: (work) => enqueue(() => work(kysely)),
    write: (work) => enqueue(() => kysely.transaction().execute(work)),
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

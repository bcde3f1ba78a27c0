import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Executor } from './open-database.ts'

/**
 * Where the bytes of uploaded files live. A database in a local file keeps
 * them beside it, in `<its folder>/files/<random key>`: the database stays
 * small and a 20 MB upload never holds the one write queue while it is
 * copied. An in-memory database (tests) and a remote libsql server have no
 * folder every process shares, so their files go into the `_files` table as
 * BLOBs, written in the same transaction as the record they belong to.
 * A key is 32 random hex digits; no client-given name ever reaches a path.
 */
export interface FileStore {
  readonly kind: 'disk' | 'database'
  /** A fresh random key for a new file. */
  createKey(): string
  /** Keeps the bytes before the transaction that records them; answers what the `_files` row stores (null on disk). */
  save(key: string, bytes: Uint8Array): Promise<Uint8Array | null>
  /** The bytes of a key, read through the executor for the database store. */
  load(db: Executor, key: string): Promise<Uint8Array | undefined>
  /** Removes bytes saved for a transaction that then failed. */
  discard(key: string): Promise<void>
}

const KEY = /^[0-9a-f]{32}$/

/** The store for a database URL: disk for local files, the database for `:memory:` and remote servers. */
export function createFileStore(databaseUrl: string): FileStore {
  const path = localPathOf(databaseUrl)

  return path === undefined ? databaseStore() : diskStore(join(dirname(resolve(path)), 'files'))
}

function diskStore(folder: string): FileStore {
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`not a file key: ${key}`)

    return join(folder, key)
  }

  return {
    kind: 'disk',
    createKey,
    async save(key, bytes) {
      await mkdir(folder, { recursive: true, mode: 0o700 })
      // `wx` never replaces an existing file, whatever the key.
      await writeFile(pathOf(key), bytes, { flag: 'wx', mode: 0o600 })

      return null
    },
    async load(_db, key) {
      return readFile(pathOf(key)).then(
        (buffer) => new Uint8Array(buffer),
        () => undefined,
      )
    },
    discard: (key) => rm(pathOf(key), { force: true }),
  }
}

function databaseStore(): FileStore {
  return {
    kind: 'database',
    createKey,
    save: async (_key, bytes) => bytes,
    async load(db, key) {
      const row = (await db
        .selectFrom('_files')
        .select('content')
        .where('key', '=', key)
        .executeTakeFirst()) as { content: unknown } | undefined
      const content = row?.content

      return content instanceof Uint8Array
        ? content
        : content instanceof ArrayBuffer
          ? new Uint8Array(content)
          : undefined
    },
    discard: async () => undefined,
  }
}

function createKey(): string {
  return randomBytes(16).toString('hex')
}

/** The local path of a file database, or undefined for `:memory:` and servers. */
function localPathOf(url: string): string | undefined {
  if (url === ':memory:' || /^(libsql|https?|wss?):/.test(url)) return undefined
  const path = url.startsWith('file:')
    ? url
        .slice('file:'.length)
        .replace(/^\/\/(?=\/)/, '')
        .split('?')[0]
    : url

  return path === '' || path === ':memory:' ? undefined : path
}

import type { AccessService } from '../access/access-service.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { EngineError } from '../errors.ts'
import type { RecordService } from '../records/record-service.ts'
import type { Database } from '../storage/open-database.ts'
import { createSecret, hashPassword, hashSecret, verifyPassword } from './passwords.ts'

const SESSION_HOURS = 12
/** Failed logins allowed per username and per address in one window, before 429s. */
export const LOGIN_LIMITS = { perUser: 5, perAddress: 20, windowMinutes: 15 }

export interface SessionUser extends Actor {
  username: string
  fullName: string
  role: string
}

export interface ApiToken {
  id: number
  name: string
  created_at: string
  last_used_at: string | null
}

/** Passwords, sessions and API tokens of the Users module's records. */
export interface AuthService {
  setPassword(userId: number, password: string): Promise<void>
  /**
   * Checks a username and password. A failure never says which half was
   * wrong; too many failures for the username or the address answer
   * AUTH_RATE_LIMITED until the window passes.
   */
  login(username: string, password: string, address?: string): Promise<{ token: string; user: SessionUser; expiresAt: string }>
  userOfSession(token: string): Promise<SessionUser | undefined>
  logout(token: string): Promise<void>
  /** A new API token for integrations: the secret is returned once and only its hash is stored. */
  createToken(userId: number, name: string): Promise<{ id: number; token: string }>
  listTokens(userId: number): Promise<ApiToken[]>
  revokeToken(userId: number, id: number): Promise<void>
  userOfToken(token: string): Promise<SessionUser | undefined>
  /** Finds a user by username, or creates it as an admin; used on first start. */
  ensureAdmin(username: string, password: string): Promise<{ user: SessionUser; created: boolean }>
}

export function createAuthService(db: Database, runtimeOf: (module: string) => ModuleRuntime, records: RecordService, access: AccessService): AuthService {
  const users = () => runtimeOf('users')
  const findByUsername = async (username: string) => {
    const page = await records.list(users().name, { filters: [{ field: 'username', operator: 'eq', value: username }], limit: 1 })

    return page.items[0]
  }
  const toSessionUser = async (record: Record<string, unknown>): Promise<SessionUser> => {
    const isAdmin = record.is_admin === true
    const base = { id: Number(record.id), isAdmin, username: String(record.username), fullName: String(record.full_name ?? record.username), role: isAdmin ? 'admin' : String(record.role ?? 'sales') }

    return isAdmin ? base : { ...base, access: await access.scopeOf({ id: base.id, role: record.role }) }
  }
  const activeUser = async (userId: number) => {
    const record = await records.get('users', userId).catch(() => undefined)

    return record && record.status === 'Active' ? toSessionUser(record) : undefined
  }
  const setPassword = async (userId: number, password: string) => {
    if (typeof password !== 'string' || password.length < 8) {
      throw new EngineError('RECORD_INVALID', 'a password needs at least 8 characters', { issues: [{ path: '/password', field: 'password', code: 'minLength', message: 'at least 8 characters' }] })
    }
    const hash = await hashPassword(password)
    const now = new Date().toISOString()
    await db.write(async (trx) => {
      await trx
        .insertInto('_credentials')
        .values({ user_id: userId, password_hash: hash, updated_at: now })
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ password_hash: hash, updated_at: now }))
        .execute()
      // A new password ends every session that the old one opened.
      await trx.deleteFrom('_sessions').where('user_id', '=', userId).execute()
    })
  }

  return {
    setPassword,

    async login(username, password, address = 'unknown') {
      const keys = [`user:${String(username).toLowerCase()}`, `address:${address}`]
      await refuseWhenLimited(db, keys)
      const record = await findByUsername(String(username))
      const stored = record
        ? ((await db.read((reader) => reader.selectFrom('_credentials').select('password_hash').where('user_id', '=', record.id).executeTakeFirst())) as { password_hash: string } | undefined)
        : undefined
      // Hash even when the user is unknown, so timing does not tell which half was wrong.
      const valid = await verifyPassword(String(password), stored?.password_hash ?? 'scrypt$0$0$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAA')
      if (!record || !stored || !valid || record.status !== 'Active') {
        const now = new Date().toISOString()
        await db.write((trx) => trx.insertInto('_login_failures').values(keys.map((key) => ({ key, failed_at: now }))).execute())
        throw new EngineError('AUTH_FAILED', 'the username or password is wrong')
      }
      await db.write((trx) => trx.deleteFrom('_login_failures').where('key', '=', keys[0]).execute())
      const { token, hash } = createSecret()
      const now = new Date()
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString()
      await db.write((trx) =>
        trx.insertInto('_sessions').values({ token_hash: hash, user_id: record.id, created_at: now.toISOString(), expires_at: expiresAt }).execute(),
      )

      return { token, user: await toSessionUser(record), expiresAt }
    },

    async userOfSession(token) {
      const session = (await db.read((reader) =>
        reader.selectFrom('_sessions').select(['user_id', 'expires_at']).where('token_hash', '=', hashSecret(token)).executeTakeFirst(),
      )) as { user_id: number; expires_at: string } | undefined
      if (!session || session.expires_at < new Date().toISOString()) return undefined

      return activeUser(Number(session.user_id))
    },

    async logout(token) {
      await db.write((trx) => trx.deleteFrom('_sessions').where('token_hash', '=', hashSecret(token)).execute())
    },

    async createToken(userId, name) {
      const { token, hash } = createSecret()
      const row = await db.write((trx) =>
        trx
          .insertInto('_api_tokens')
          .values({ user_id: userId, name: String(name).slice(0, 200) || 'token', token_hash: hash, created_at: new Date().toISOString() })
          .returning('id')
          .executeTakeFirstOrThrow(),
      )

      return { id: Number((row as { id: unknown }).id), token: `crm_${token}` }
    },

    async listTokens(userId) {
      const rows = await db.read((reader) =>
        reader.selectFrom('_api_tokens').select(['id', 'name', 'created_at', 'last_used_at']).where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('id').execute(),
      )

      return rows.map((row) => ({ ...(row as ApiToken), id: Number((row as { id: unknown }).id) }))
    },

    async revokeToken(userId, id) {
      const result = await db.write((trx) =>
        trx.updateTable('_api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst(),
      )
      if (Number(result.numUpdatedRows) === 0) throw new EngineError('RECORD_NOT_FOUND', `API token ${id} does not exist`)
    },

    async userOfToken(token) {
      if (!token.startsWith('crm_')) return undefined
      const hash = hashSecret(token.slice(4))
      const row = (await db.read((reader) =>
        reader.selectFrom('_api_tokens').select(['id', 'user_id']).where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst(),
      )) as { id: number; user_id: number } | undefined
      if (!row) return undefined
      await db.write((trx) => trx.updateTable('_api_tokens').set({ last_used_at: new Date().toISOString() }).where('id', '=', row.id).execute())

      return activeUser(Number(row.user_id))
    },

    async ensureAdmin(username, password) {
      const existing = await findByUsername(username)
      if (existing) return { user: await toSessionUser(existing), created: false }
      const system: Actor = { id: 0, isAdmin: true }
      const created = await records.create('users', { username, full_name: 'Administrator', is_admin: true, status: 'Active', role: 'sales_manager' }, system)
      await setPassword(created.id, password)

      return { user: await toSessionUser(created), created: true }
    },
  }
}

async function refuseWhenLimited(db: Database, [userKey, addressKey]: string[]): Promise<void> {
  const since = new Date(Date.now() - LOGIN_LIMITS.windowMinutes * 60_000).toISOString()
  const counts = (await db.read((reader) =>
    reader
      .selectFrom('_login_failures')
      .select(['key', (eb) => eb.fn.countAll<number>().as('count')])
      .where('key', 'in', [userKey, addressKey])
      .where('failed_at', '>', since)
      .groupBy('key')
      .execute(),
  )) as { key: string; count: number }[]
  const countOf = (key: string) => Number(counts.find((row) => row.key === key)?.count ?? 0)
  if (countOf(userKey) >= LOGIN_LIMITS.perUser || countOf(addressKey) >= LOGIN_LIMITS.perAddress) {
    throw new EngineError('AUTH_RATE_LIMITED', `too many failed logins; wait ${LOGIN_LIMITS.windowMinutes} minutes and try again`, { retryAfterSeconds: LOGIN_LIMITS.windowMinutes * 60 })
  }
}

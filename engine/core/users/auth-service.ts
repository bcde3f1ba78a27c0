import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { EngineError } from '../errors.ts'
import type { RecordService } from '../records/record-service.ts'
import type { Database } from '../storage/open-database.ts'
import { createSecret, hashPassword, hashSecret, verifyPassword } from './passwords.ts'

const SESSION_HOURS = 12

export interface SessionUser extends Actor {
  username: string
  fullName: string
}

/** Passwords and sessions of the Users module's records. */
export interface AuthService {
  setPassword(userId: number, password: string): Promise<void>
  /** Checks a username and password; a failure never says which half was wrong. */
  login(username: string, password: string): Promise<{ token: string; user: SessionUser; expiresAt: string }>
  userOfSession(token: string): Promise<SessionUser | undefined>
  logout(token: string): Promise<void>
  /** Finds a user by username, or creates it as an admin; used on first start. */
  ensureAdmin(username: string, password: string): Promise<{ user: SessionUser; created: boolean }>
}

export function createAuthService(db: Database, runtimeOf: (module: string) => ModuleRuntime, records: RecordService): AuthService {
  const users = () => runtimeOf('users')
  const findByUsername = async (username: string) => {
    const page = await records.list(users().name, { filters: [{ field: 'username', operator: 'eq', value: username }], limit: 1 })

    return page.items[0]
  }
  const toSessionUser = (record: Record<string, unknown>): SessionUser => ({
    id: Number(record.id),
    isAdmin: record.is_admin === true,
    username: String(record.username),
    fullName: String(record.full_name ?? record.username),
  })
  const setPassword = async (userId: number, password: string) => {
    if (password.length < 8) throw new EngineError('RECORD_INVALID', 'a password needs at least 8 characters', { issues: [{ path: '/password', field: 'password', code: 'minLength', message: 'at least 8 characters' }] })
    const hash = await hashPassword(password)
    await db.write((trx) =>
      trx
        .insertInto('_credentials')
        .values({ user_id: userId, password_hash: hash, updated_at: new Date().toISOString() })
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ password_hash: hash, updated_at: new Date().toISOString() }))
        .execute(),
    )
  }

  return {
    setPassword,

    async login(username, password) {
      const refused = new EngineError('AUTH_FAILED', 'the username or password is wrong')
      const record = await findByUsername(String(username))
      const stored = record
        ? ((await db.read((reader) => reader.selectFrom('_credentials').select('password_hash').where('user_id', '=', record.id).executeTakeFirst())) as { password_hash: string } | undefined)
        : undefined
      // Hash even when the user is unknown, so timing does not tell which half was wrong.
      const valid = await verifyPassword(String(password), stored?.password_hash ?? 'scrypt$0$0$0$AAAA$AAAA')
      if (!record || !stored || !valid || record.status !== 'Active') throw refused
      const { token, hash } = createSecret()
      const now = new Date()
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString()
      await db.write((trx) =>
        trx.insertInto('_sessions').values({ token_hash: hash, user_id: record.id, created_at: now.toISOString(), expires_at: expiresAt }).execute(),
      )

      return { token, user: toSessionUser(record), expiresAt }
    },

    async userOfSession(token) {
      const session = (await db.read((reader) =>
        reader.selectFrom('_sessions').select(['user_id', 'expires_at']).where('token_hash', '=', hashSecret(token)).executeTakeFirst(),
      )) as { user_id: number; expires_at: string } | undefined
      if (!session || session.expires_at < new Date().toISOString()) return undefined
      const record = await records.get('users', Number(session.user_id)).catch(() => undefined)

      return record && record.status === 'Active' ? toSessionUser(record) : undefined
    },

    async logout(token) {
      await db.write((trx) => trx.deleteFrom('_sessions').where('token_hash', '=', hashSecret(token)).execute())
    },

    async ensureAdmin(username, password) {
      const existing = await findByUsername(username)
      if (existing) return { user: toSessionUser(existing), created: false }
      const system: Actor = { id: 0, isAdmin: true }
      const created = await records.create('users', { username, full_name: 'Administrator', is_admin: true, status: 'Active' }, system)
      await setPassword(created.id, password)

      return { user: toSessionUser(created), created: true }
    },
  }
}

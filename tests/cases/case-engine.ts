import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createEngine, type Actor, type Engine } from '../../engine/core/engine.ts'

export const CASES = fileURLToPath(new URL('../fixtures/cases/', import.meta.url))

/** The exact bytes of a case's input file. */
export function caseBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(`${CASES}${path}`))
}

export function caseJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(`${CASES}${path}`, 'utf8')) as T
}

export interface CaseEngine {
  engine: Engine
  admin: Actor
  /** Fixture user ids (`u1`...) to engine ids. */
  users: Map<string, number>
  /** Case account ids (`a1`...) to engine ids. */
  accounts: Map<string, number>
}

/**
 * A fresh in-memory engine with the shipped Potentials module (it matches
 * the cases' neutral fixture; its Account Name field has the alias
 * "Organization Name"), the fixture users (u1 is the admin who imports) and
 * the given accounts.
 */
export async function createCaseEngine(
  accounts: { id: string; accountname: string }[] = [],
): Promise<CaseEngine> {
  const engine = await createEngine({ databaseUrl: ':memory:' })
  const { user: admin } = await engine.auth.ensureAdmin('admin', 'admin-pass-123')
  const users = new Map<string, number>([['u1', admin.id]])
  const fixture = caseJson<{ users: { id: string; username: string; fullName: string }[] }>(
    '_fixtures/users.json',
  )
  for (const user of fixture.users.filter((item) => item.username !== 'admin')) {
    const created = await engine.records.create(
      'users',
      { username: user.username, full_name: user.fullName, status: 'Active' },
      admin,
    )
    users.set(user.id, created.id)
  }
  const accountIds = new Map<string, number>()
  for (const account of accounts) {
    const created = await engine.records.create(
      'accounts',
      { accountname: account.accountname },
      admin,
    )
    accountIds.set(account.id, created.id)
  }

  return { engine, admin, users, accounts: accountIds }
}

/** Every live potential, oldest first, with field values only. */
export async function potentials(engine: Engine): Promise<Record<string, any>[]> {
  const page = await engine.records.list('potentials', { limit: 500, sort: ['id'] })

  return page.items
}

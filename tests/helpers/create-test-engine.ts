import { createEngine, type Actor, type Engine } from '../../engine/core/engine.ts'

export interface TestEngine {
  engine: Engine
  admin: Actor
  /** A second, non-admin user. */
  user: Actor
}

/** A real engine on a fresh in-memory libsql database, with an admin and one user. */
export async function createTestEngine(): Promise<TestEngine> {
  const engine = await createEngine({ databaseUrl: ':memory:' })
  const { user: admin } = await engine.auth.ensureAdmin('admin', 'admin-pass-123')
  const created = await engine.records.create('users', { username: 'sam.carter', full_name: 'Sam Carter', status: 'Active' }, admin)
  await engine.auth.setPassword(created.id, 'sam-pass-123')

  return { engine, admin, user: { id: created.id, isAdmin: false } }
}

/** A valid potential's fields, overridable. */
export function potentialInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { potentialname: 'Printer Fleet Renewal', closingdate: '2026-12-31', sales_stage: 'Prospecting', amount: 1200.5, ...overrides }
}

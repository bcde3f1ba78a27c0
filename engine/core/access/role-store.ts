import { readFileSync } from 'node:fs'
import { EngineError } from '../errors.ts'
import type { Executor } from '../storage/open-database.ts'
import { createAjv } from '../validation/create-ajv.ts'
import type { RoleDefinition } from './role-types.ts'

const ROLE_SCHEMA = JSON.parse(readFileSync(new URL('../../../schemas/role.schema.json', import.meta.url), 'utf8'))
const validateRole = createAjv().compile(ROLE_SCHEMA)
const SHIPPED_ROLES = new URL('../../../modules/roles/roles.json', import.meta.url)

export async function createRoleTable(db: Executor): Promise<void> {
  await db.schema
    .createTable('_roles')
    .ifNotExists()
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('definition', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute()
}

/** Installs the shipped roles into an empty role table. */
export async function installShippedRoles(db: Executor): Promise<void> {
  const existing = await db.selectFrom('_roles').select('name').limit(1).execute()
  if (existing.length > 0) return
  const roles = JSON.parse(readFileSync(SHIPPED_ROLES, 'utf8')) as unknown[]
  for (const role of roles) await saveRole(db, checkRoleOrThrow(role))
}

export function checkRoleOrThrow(candidate: unknown): RoleDefinition {
  if (!validateRole(candidate)) {
    const first = validateRole.errors?.[0]
    throw new EngineError('DEFINITION_INVALID', `the role is invalid: ${first?.instancePath || '/'} ${first?.message}`, {
      issues: (validateRole.errors ?? []).map((error) => ({ path: error.instancePath, code: error.keyword, message: error.message ?? 'is invalid' })),
    })
  }

  return candidate as RoleDefinition
}

export async function saveRole(db: Executor, role: RoleDefinition): Promise<void> {
  const values = { name: role.name, definition: JSON.stringify(role), updated_at: new Date().toISOString() }
  await db
    .insertInto('_roles')
    .values(values)
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ definition: values.definition, updated_at: values.updated_at }))
    .execute()
}

export async function loadRoles(db: Executor): Promise<RoleDefinition[]> {
  const rows = (await db.selectFrom('_roles').select('definition').orderBy('name').execute()) as { definition: string }[]

  return rows.map((row) => JSON.parse(row.definition) as RoleDefinition)
}

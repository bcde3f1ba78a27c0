import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Executor } from '../storage/open-database.ts'
import { checkDefinitionOrThrow } from './check-definition.ts'
import type { LiveDefinition, ModuleDefinition } from './types.ts'

/** One stored version of a definition, newest last in a history. */
export interface DefinitionVersion {
  module: string
  version: number
  created_at: string
  created_by: number | null
  note: string | null
}

/** Reads the shipped definitions of a folder, checking each against the others. */
export function readShippedDefinitions(folder: string): ModuleDefinition[] {
  const documents = readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as ModuleDefinition)
  const byName = new Map(documents.map((definition) => [definition.name, definition]))

  return documents.map((definition) => checkDefinitionOrThrow(definition, byName))
}

/** The newest version of every stored module. */
export async function loadLiveDefinitions(db: Executor): Promise<Map<string, LiveDefinition>> {
  const rows = (await db
    .selectFrom('_definitions as d')
    .select(['d.module', 'd.version', 'd.definition'])
    .where(({ eb, selectFrom }) =>
      eb('d.version', '=', selectFrom('_definitions as n').select((inner) => inner.fn.max('n.version').as('v')).whereRef('n.module', '=', 'd.module')),
    )
    .execute()) as { module: string; version: number; definition: string }[]

  return new Map(rows.map((row) => [row.module, { version: Number(row.version), definition: JSON.parse(row.definition) }]))
}

export async function saveDefinitionVersion(
  db: Executor,
  definition: ModuleDefinition,
  version: number,
  actorId: number | null,
  note: string,
): Promise<void> {
  await db
    .insertInto('_definitions')
    .values({
      module: definition.name,
      version,
      definition: JSON.stringify(definition),
      created_at: new Date().toISOString(),
      created_by: actorId,
      note,
    })
    .execute()
}

export async function listDefinitionVersions(db: Executor, module: string): Promise<DefinitionVersion[]> {
  const rows = await db
    .selectFrom('_definitions')
    .select(['module', 'version', 'created_at', 'created_by', 'note'])
    .where('module', '=', module)
    .orderBy('version', 'asc')
    .execute()

  return rows as DefinitionVersion[]
}

/** The definition document of one stored version, or undefined. */
export async function loadDefinitionVersion(db: Executor, module: string, version: number): Promise<ModuleDefinition | undefined> {
  const row = (await db
    .selectFrom('_definitions')
    .select('definition')
    .where('module', '=', module)
    .where('version', '=', version)
    .executeTakeFirst()) as { definition: string } | undefined

  return row ? (JSON.parse(row.definition) as ModuleDefinition) : undefined
}

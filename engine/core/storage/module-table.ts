import { sql } from 'kysely'
import type { FieldDefinition, ManyToManyRelation, ModuleDefinition } from '../definition/types.ts'
import { kindOf } from '../field-types/registry.ts'
import type { Executor } from './open-database.ts'

/**
 * The one place SQL identifiers of module data are made. Names reaching it
 * were checked by the meta-schema (lower snake case ASCII, no reserved word).
 */
export function toColumnName(fieldName: string): string {
  return fieldName
}

export function linkTableName(module: string, relation: string): string {
  return `_link_${module}_${relation}`
}

/** Creates a module's table, its indexes and its link tables when missing. */
export async function createModuleTable(db: Executor, definition: ModuleDefinition): Promise<void> {
  let table = db.schema
    .createTable(definition.name)
    .ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('deleted_at', 'text')
  for (const [name, field] of Object.entries(definition.record.properties)) {
    table = table.addColumn(toColumnName(name), kindOf(field).columnType(field))
  }
  await table.execute()

  for (const [name, field] of Object.entries(definition.record.properties)) {
    await createFieldIndex(db, definition.name, name, field)
  }
  for (const relation of definition.relations ?? []) await createLinkTable(db, definition.name, relation)
}

/**
 * Adds a field's column: a metadata-only change in SQLite, so it costs the
 * same on any table size. Its index is built by `createModuleIndexes` after
 * the change commits, so a large table never holds the change up.
 */
export async function addFieldColumn(db: Executor, module: string, name: string, field: FieldDefinition): Promise<void> {
  await db.schema.alterTable(module).addColumn(toColumnName(name), kindOf(field).columnType(field)).execute()
}

/** Creates every index a definition's live fields want; existing ones are left as they are. */
export async function createModuleIndexes(db: Executor, definition: ModuleDefinition): Promise<void> {
  for (const [name, field] of Object.entries(definition.record.properties)) {
    if (!field['x-archived']) await createFieldIndex(db, definition.name, name, field)
  }
}

/**
 * Indexes the columns lists filter and sort by: relations and users (relation
 * menus count by them), list columns, and unique fields. Indexes are partial
 * on live records so the recycle bin never slows or blocks a list.
 */
export async function createFieldIndex(
  db: Executor,
  module: string,
  name: string,
  field: FieldDefinition,
): Promise<void> {
  const kind = field['x-kind']
  const wanted = field['x-unique'] || field['x-list'] || kind === 'relation' || kind === 'user'
  if (!wanted || kind === 'textarea' || kind === 'multi-picklist') return
  const column = toColumnName(name)
  let index = db.schema
    .createIndex(`${field['x-unique'] ? 'unq' : 'idx'}_${module}_${column}`)
    .ifNotExists()
    .on(module)
    .columns(field['x-unique'] ? [column] : [column, 'id'])
  if (field['x-unique']) index = index.unique()
  await index.where(sql.ref('deleted_at'), 'is', null).execute()
}

export async function createLinkTable(db: Executor, module: string, relation: ManyToManyRelation): Promise<void> {
  const table = linkTableName(module, relation.name)
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('source_id', 'integer', (column) => column.notNull())
    .addColumn('target_id', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, ['source_id', 'target_id'])
    .execute()
  await db.schema.createIndex(`${table}_target`).ifNotExists().on(table).columns(['target_id', 'source_id']).execute()
}

import { sql } from 'kysely'
import type { MigrationOptions } from '../definition/migration-options.ts'
import type { FieldDefinition, ManyToManyRelation, ModuleDefinition } from '../definition/types.ts'
import { kindOf } from '../field-types/registry.ts'
import { createValueConverter } from './convert-value.ts'
import { addFieldColumn, createLinkTable, toColumnName } from './module-table.ts'
import type { Executor } from './open-database.ts'
import type { SchemaPlan, SchemaStep } from './plan-schema-change.ts'

/** Progress of a long step, reported while the change runs. */
export interface SchemaProgress {
  field: string
  done: number
  total: number
}

const CONVERT_BATCH = 2000

/**
 * Applies a plan inside the caller's transaction, in an order that never
 * needs a name twice: purges, renames, new columns, conversions, value
 * moves, back-fills, link tables. If any step throws, the caller's
 * transaction rolls every step back, the definition version included.
 * Indexes are not built here: see createModuleIndexes.
 */
export async function applySchemaPlan(
  db: Executor,
  current: ModuleDefinition,
  next: ModuleDefinition,
  plan: SchemaPlan,
  migration: Required<MigrationOptions>,
  onProgress: (progress: SchemaProgress) => void = () => undefined,
): Promise<void> {
  const order: SchemaStep['kind'][] = ['purge-field', 'rename-field', 'add-field', 'convert-field', 'map-values', 'backfill', 'add-relation']
  const steps = [...plan.steps].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  const module = next.name
  const renamedFrom = new Map(Object.entries(migration.renames).map(([from, to]) => [to, from]))
  const now = new Date().toISOString()

  for (const step of steps) {
    if (step.kind === 'purge-field') {
      await dropFieldIndexes(db, module, step.field)
      await db.schema.alterTable(module).dropColumn(toColumnName(step.field)).execute()
    } else if (step.kind === 'rename-field') {
      await dropFieldIndexes(db, module, step.field)
      await db.schema.alterTable(module).renameColumn(toColumnName(step.field), toColumnName(step.to)).execute()
    } else if (step.kind === 'add-field') {
      await addFieldColumn(db, module, step.field, next.record.properties[step.field])
    } else if (step.kind === 'convert-field') {
      const old = current.record.properties[renamedFrom.get(step.field) ?? step.field]
      await convertColumn(db, module, step, old, next.record.properties[step.field], migration, onProgress)
    } else if (step.kind === 'map-values') {
      await mapValues(db, module, step.field, next.record.properties[step.field], step.moves, now)
    } else if (step.kind === 'backfill') {
      const field = next.record.properties[step.field]
      const column = toColumnName(step.field)
      await db
        .updateTable(module)
        .set({ [column]: kindOf(field).toColumn(step.value, field), version: sql`version + 1`, updated_at: now })
        .where('deleted_at', 'is', null)
        .where((eb) => eb.or([eb(column, 'is', null), eb(sql.ref(column), '=', '')]))
        .execute()
    } else if (step.kind === 'add-relation') {
      const relation = (next.relations ?? []).find((item) => item.name === step.relation) as ManyToManyRelation
      await createLinkTable(db, module, relation)
    }
  }
}

/**
 * Converts a column into a new one in batches, then keeps the original as a
 * backup column (`_backup_v<version>_<field>`, which no field name can take)
 * and puts the new one in its place, all in the caller's transaction.
 */
async function convertColumn(
  db: Executor,
  module: string,
  step: Extract<SchemaStep, { kind: 'convert-field' }>,
  old: FieldDefinition,
  field: FieldDefinition,
  migration: Required<MigrationOptions>,
  onProgress: (progress: SchemaProgress) => void,
): Promise<void> {
  const column = toColumnName(step.field)
  const temporary = `_conv_${column}`
  const convert = createValueConverter(old, field, migration.conversions[step.field] ?? {})
  await db.schema.alterTable(module).addColumn(temporary, kindOf(field).columnType(field)).execute()
  let lastId = 0
  let done = 0
  for (;;) {
    const rows = (await db.selectFrom(module).select(['id', `${column} as value`]).where('id', '>', lastId).orderBy('id').limit(CONVERT_BATCH).execute()) as { id: number; value: unknown }[]
    if (rows.length === 0) break
    const values = rows.map((row) => {
      const result = convert(row.value)
      if (result.outcome === 'failed' && !step.clearFailing) throw new Error(`record ${row.id}: ${result.message}`)

      return [Number(row.id), result.outcome === 'converted' ? result.value : null] as const
    })
    const changed = values.filter(([, value]) => value !== null)
    if (changed.length > 0) {
      const tuples = sql.join(changed.map(([id, value]) => sql`(${id}, ${value})`))
      await sql`update ${sql.table(module)} set ${sql.ref(temporary)} = v.column2 from (values ${tuples}) as v where ${sql.ref(module)}.id = v.column1`.execute(db)
    }
    lastId = Number(rows[rows.length - 1].id)
    done += rows.length
    onProgress({ field: step.field, done, total: step.records })
  }
  await dropFieldIndexes(db, module, step.field)
  await db.schema.alterTable(module).renameColumn(column, step.backupColumn).execute()
  await db.schema.alterTable(module).renameColumn(temporary, column).execute()
}

async function mapValues(db: Executor, module: string, name: string, field: FieldDefinition, moves: Record<string, string | null>, now: string): Promise<void> {
  const column = toColumnName(name)
  if (field['x-kind'] === 'picklist') {
    for (const [from, to] of Object.entries(moves)) {
      await db.updateTable(module).set({ [column]: to, version: sql`version + 1`, updated_at: now }).where(column, '=', from).execute()
    }

    return
  }
  const rows = (await db.selectFrom(module).select(['id', `${column} as value`]).where(column, 'is not', null).execute()) as { id: number; value: string }[]
  for (const row of rows) {
    const values = JSON.parse(row.value) as string[]
    const moved = [...new Set(values.map((value) => (value in moves ? moves[value] : value)).filter((value): value is string => value !== null))]
    if (JSON.stringify(moved) !== JSON.stringify(values)) {
      await db.updateTable(module).set({ [column]: JSON.stringify(moved), version: sql`version + 1`, updated_at: now }).where('id', '=', row.id).execute()
    }
  }
}

async function dropFieldIndexes(db: Executor, module: string, field: string): Promise<void> {
  const column = toColumnName(field)
  await db.schema.dropIndex(`idx_${module}_${column}`).ifExists().execute()
  await db.schema.dropIndex(`unq_${module}_${column}`).ifExists().execute()
}

import { sql } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { fromRow, selectedColumns, toRow, type StoredRecord } from './record-rows.ts'
import type { Executor } from './open-database.ts'
import { applyListFilters, applyListSort, pageOf, type ListAccess, type ListQuery } from './list-query.ts'
import { kindOf } from '../field-types/registry.ts'

/** Largest number of rows in one INSERT: SQLite binds at most 32,766 parameters. */
const MAX_PARAMETERS = 30000

export async function selectRecord(db: Executor, runtime: ModuleRuntime, id: number, withDeleted = false): Promise<StoredRecord | undefined> {
  let query = db.selectFrom(runtime.name).select(selectedColumns(runtime)).where('id', '=', id)
  if (!withDeleted) query = query.where('deleted_at', 'is', null)
  const row = await query.executeTakeFirst()

  return row ? fromRow(runtime, row as Record<string, unknown>) : undefined
}

export async function selectRecords(db: Executor, runtime: ModuleRuntime, list: ListQuery, access: ListAccess = {}): Promise<{ items: StoredRecord[]; total: number }> {
  const { limit, offset } = pageOf(list)
  const base = applyListFilters(runtime, db.selectFrom(runtime.name), list, access)
  const rows = await applyListSort(runtime, base.select(selectedColumns(runtime)), list.sort, access).limit(limit).offset(offset).execute()
  const counted = (await base.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow()) as { total: number }

  return { items: rows.map((row) => fromRow(runtime, row as Record<string, unknown>)), total: Number(counted.total) }
}

/**
 * Inserts records whose values were composed and validated, in multi-row
 * statements (several times faster than one statement per row on libsql).
 * Auto-numbers are drawn from the sequence inside the caller's transaction.
 */
export async function insertRecords(
  db: Executor,
  runtime: ModuleRuntime,
  records: Record<string, unknown>[],
  actorId: number | null,
): Promise<number[]> {
  if (records.length === 0) return []
  const now = new Date().toISOString()
  await assignAutoNumbers(db, runtime, records)
  const rows = records.map((values) => ({ ...toRow(runtime, values), version: 1, created_at: now, updated_at: now, created_by: actorId }))
  const columns = Object.keys(rows[0]).length
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns))
  const ids: number[] = []
  for (let start = 0; start < rows.length; start += chunk) {
    const inserted = await db.insertInto(runtime.name).values(rows.slice(start, start + chunk)).returning('id').execute()
    ids.push(...inserted.map((row) => Number((row as { id: unknown }).id)))
  }

  return ids
}

/** Writes new values when the stored version is still `expectedVersion`; false when it moved on. */
export async function updateRecordRow(
  db: Executor,
  runtime: ModuleRuntime,
  id: number,
  values: Record<string, unknown>,
  expectedVersion: number,
): Promise<boolean> {
  const result = await db
    .updateTable(runtime.name)
    .set({ ...toRow(runtime, values), version: expectedVersion + 1, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()

  return Number(result.numUpdatedRows) === 1
}

export async function setDeleted(db: Executor, runtime: ModuleRuntime, id: number, deleted: boolean): Promise<boolean> {
  const now = new Date().toISOString()
  const result = await db
    .updateTable(runtime.name)
    .set({ deleted_at: deleted ? now : null, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('deleted_at', deleted ? 'is' : 'is not', null)
    .executeTakeFirst()

  return Number(result.numUpdatedRows) === 1
}

async function assignAutoNumbers(db: Executor, runtime: ModuleRuntime, records: Record<string, unknown>[]): Promise<void> {
  for (const [name, field] of runtime.fields) {
    if (kindOf(field).name !== 'auto-number') continue
    const sequence = `${runtime.name}.${name}`
    const row = (await db.selectFrom('_sequences').select('value').where('name', '=', sequence).executeTakeFirst()) as { value: number } | undefined
    const start = Number(row?.value ?? 0)
    records.forEach((record, index) => {
      record[name] = `${field['x-prefix'] ?? ''}${start + index + 1}`
    })
    await db
      .insertInto('_sequences')
      .values({ name: sequence, value: start + records.length })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ value: start + records.length }))
      .execute()
  }
}

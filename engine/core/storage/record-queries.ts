import { CompiledQuery, sql } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { fromRow, selectedColumns, toRow, type StoredRecord } from './record-rows.ts'
import { toColumnName } from './module-table.ts'
import type { Executor } from './open-database.ts'
import { applyListFilters, applyListSort, pageOf, type ListAccess, type ListQuery } from './list-query.ts'
import { kindOf } from '../field-types/registry.ts'
import type { FieldKind } from '../field-types/field-kind.ts'
import type { FieldDefinition } from '../definition/types.ts'

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
  const items = rows.map((row) => fromRow(runtime, row as Record<string, unknown>))
  if (list.countTotal === false) return { items, total: -1 }
  const counted = (await base.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow()) as { total: number }

  return { items, total: Number(counted.total) }
}

/**
 * Inserts records whose values were composed and validated, in multi-row
 * statements (several times faster than one statement per row on libsql).
 * Auto-numbers are drawn from the sequence inside the caller's transaction.
 * The statement text is built once per module and row count and runs as it
 * is, without the query builder (whose compilation of a 2,500-row insert
 * cost as much as SQLite's work); ids are read from the last inserted rowid,
 * since one statement of the one writer gives its rows consecutive rowids.
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
  const shape = insertShapeOf(runtime)
  const width = shape.fields.length + SYSTEM_INSERT_COLUMNS.length
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / width))
  const ids: number[] = []
  for (let start = 0; start < records.length; start += chunk) {
    const count = Math.min(chunk, records.length - start)
    const parameters: unknown[] = new Array(count * width)
    let at = 0
    for (let index = start; index < start + count; index++) {
      const values = records[index]
      for (const { name, field, kind } of shape.fields) {
        const value = values[name]
        parameters[at++] = value === null || value === undefined ? null : kind.toColumn(value, field)
      }
      parameters[at++] = 1
      parameters[at++] = now
      parameters[at++] = now
      parameters[at++] = actorId
    }
    const result = await db.executeQuery(CompiledQuery.raw(shape.sql(count), parameters))
    const last = Number(result.insertId)
    for (let id = last - count + 1; id <= last; id++) ids.push(id)
  }

  return ids
}

const SYSTEM_INSERT_COLUMNS = ['version', 'created_at', 'updated_at', 'created_by']

interface InsertShape {
  fields: { name: string; field: FieldDefinition; kind: FieldKind }[]
  sql(rows: number): string
}

const shapes = new WeakMap<ModuleRuntime, InsertShape>()

/** The columns of a module's inserts and their statement text per row count, made once per runtime. */
function insertShapeOf(runtime: ModuleRuntime): InsertShape {
  let shape = shapes.get(runtime)
  if (shape) return shape
  const fields = [...runtime.fields].map(([name, field]) => ({ name, field, kind: kindOf(field) }))
  const columns = [...fields.map(({ name }) => toColumnName(name)), ...SYSTEM_INSERT_COLUMNS]
  const head = `insert into ${quoteName(runtime.name)} (${columns.map(quoteName).join(', ')}) values `
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const texts = new Map<number, string>()
  shape = {
    fields,
    sql: (rows) => {
      let text = texts.get(rows)
      if (text === undefined) {
        text = head + new Array(rows).fill(tuple).join(', ')
        texts.set(rows, text)
      }

      return text
    },
  }
  shapes.set(runtime, shape)

  return shape
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
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

import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { kindOf } from '../field-types/registry.ts'
import { toColumnName } from './module-table.ts'

/** A record as the API shows it: system properties, then the live fields. */
export interface StoredRecord {
  id: number
  version: number
  created_at: string
  updated_at: string
  created_by: number | null
  [field: string]: unknown
}

/** Field values (JSON) to column values (SQL), for the fields present in `values`. */
export function toRow(runtime: ModuleRuntime, values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    const field = runtime.fields.get(name)
    if (field === undefined) continue
    row[toColumnName(name)] = value === null || value === undefined ? null : kindOf(field).toColumn(value, field)
  }

  return row
}

/** A table row to the API's record; archived columns stay out of sight. */
export function fromRow(runtime: ModuleRuntime, row: Record<string, unknown>): StoredRecord {
  const record: StoredRecord = {
    id: Number(row.id),
    version: Number(row.version),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
    created_by: row.created_by == null ? null : Number(row.created_by),
  }
  if (row.deleted_at != null) record.deleted_at = row.deleted_at
  for (const [name, field] of runtime.fields) {
    const value = row[toColumnName(name)]
    record[name] = value === null || value === undefined ? null : kindOf(field).fromColumn(value, field)
  }

  return record
}

/** The columns a select of live fields reads. */
export function selectedColumns(runtime: ModuleRuntime): string[] {
  return ['id', 'version', 'created_at', 'updated_at', 'created_by', 'deleted_at', ...[...runtime.fields.keys()].map(toColumnName)]
}

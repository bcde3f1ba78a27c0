import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Issue } from '../errors.ts'
import type { FieldValues } from '../records/compose-record.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'
import type { PreparedRow } from './read-row.ts'

/**
 * Values of unique fields (a username) already used by another live record
 * or by an earlier row of this import. Checked before writing, so one such
 * row is refused instead of failing the whole batch's insert.
 */
export async function findUniqueConflicts(
  db: Executor,
  runtime: ModuleRuntime,
  /** Per unique field: values earlier rows of the import wrote, with their line. */
  written: Map<string, Map<string, number>>,
  items: { row: PreparedRow; values: FieldValues; id?: number }[],
): Promise<Map<PreparedRow, Issue[]>> {
  const conflicts = new Map<PreparedRow, Issue[]>()
  for (const [name, field] of runtime.fields) {
    if (!field['x-unique']) continue
    const wanted = [
      ...new Set(
        items
          .map((item) => item.values[name])
          .filter((value) => value !== null && value !== undefined),
      ),
    ]
    const stored = new Map<string, number>()
    for (let start = 0; start < wanted.length; start += 500) {
      const rows = (await db
        .selectFrom(runtime.name)
        .select(['id', toColumnName(name)])
        .where(toColumnName(name), 'in', wanted.slice(start, start + 500) as never[])
        .where('deleted_at', 'is', null)
        .execute()) as Record<string, unknown>[]
      for (const row of rows) stored.set(String(row[toColumnName(name)]), Number(row.id))
    }
    const seen = written.get(name) ?? new Map<string, number>()
    written.set(name, seen)
    for (const item of items) {
      const value = item.values[name]
      if (value === null || value === undefined) continue
      const owner = stored.get(String(value))
      const earlier = seen.get(String(value))
      const message =
        owner !== undefined && owner !== item.id
          ? `${field.title} "${String(value)}" is already used by another ${runtime.definition.label.singular.toLowerCase()} (id ${owner})`
          : earlier !== undefined && earlier !== item.row.line
            ? `${field.title} "${String(value)}" is already used by row ${earlier} of this file`
            : undefined
      if (message === undefined) seen.set(String(value), item.row.line)
      else
        conflicts.set(item.row, [
          ...(conflicts.get(item.row) ?? []),
          { path: `/${name}`, field: name, code: 'unique', message },
        ])
    }
  }

  return conflicts
}

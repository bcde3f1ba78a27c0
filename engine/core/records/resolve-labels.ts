import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { targetOf } from '../relations/relation-graph.ts'
import type { StoredRecord } from '../storage/record-rows.ts'
import type { Executor } from '../storage/open-database.ts'
import { toColumnName } from '../storage/module-table.ts'

/** A record with the titles of the records its relation and user fields point to. */
export type LabelledRecord = StoredRecord & { _labels?: Record<string, string> }

/**
 * Adds `_labels` (field to the related record's title) so lists, forms and
 * exports show names, not ids. One query per related module and page.
 */
export async function resolveLabels(
  db: Executor,
  runtime: ModuleRuntime,
  records: StoredRecord[],
  runtimeOf: (module: string) => ModuleRuntime,
): Promise<LabelledRecord[]> {
  const byTarget = new Map<string, { fields: string[]; ids: Set<number> }>()
  for (const [name, field] of runtime.fields) {
    const target = targetOf(field)
    if (target === undefined) continue
    const entry = byTarget.get(target) ?? { fields: [], ids: new Set<number>() }
    entry.fields.push(name)
    for (const record of records) if (typeof record[name] === 'number') entry.ids.add(record[name] as number)
    byTarget.set(target, entry)
  }
  const titles = new Map<string, Map<number, string>>()
  for (const [target, { ids }] of byTarget) {
    titles.set(target, await titlesOf(db, runtimeOf(target), [...ids]))
  }

  return records.map((record) => {
    const labels: Record<string, string> = {}
    for (const [target, { fields }] of byTarget) {
      for (const name of fields) {
        const title = titles.get(target)?.get(record[name] as number)
        if (title !== undefined) labels[name] = title
      }
    }

    return Object.keys(labels).length > 0 ? { ...record, _labels: labels } : record
  })
}

export async function titlesOf(db: Executor, runtime: ModuleRuntime, ids: number[]): Promise<Map<number, string>> {
  const titles = new Map<number, string>()
  const column = runtime.titleField === undefined ? 'id' : toColumnName(runtime.titleField)
  for (let start = 0; start < ids.length; start += 500) {
    const rows = (await db
      .selectFrom(runtime.name)
      .select(['id', `${column} as title`])
      .where('id', 'in', ids.slice(start, start + 500))
      .execute()) as { id: number; title: unknown }[]
    for (const row of rows) titles.set(Number(row.id), String(row.title ?? `#${row.id}`))
  }

  return titles
}

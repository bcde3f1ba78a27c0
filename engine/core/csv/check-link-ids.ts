import { visibleOwners } from '../access/access-policy.ts'
import type { Actor, Engine } from '../engine.ts'
import type { Executor } from '../storage/open-database.ts'
import type { PreparedRow } from './read-row.ts'
import { withinScope } from './resolve-names.ts'

/** Ids per query: well below SQLite's limit of bound parameters. */
const CHUNK = 500

/**
 * Finds the records that link cells name by id (the lossless export's `(ids)` columns), a few
 * queries per target module and batch rather than one per row. An id that names no live record
 * the actor may see becomes a row error (row, column and id), so the row is refused instead of
 * writing a link to nothing; records the actor may not see answer like missing ones, as a name
 * would.
 */
export async function checkLinkIds(
  engine: Engine,
  db: Executor,
  actor: Actor,
  rows: PreparedRow[],
): Promise<void> {
  const wanted = new Map<string, Set<number>>()
  for (const row of rows) {
    for (const link of row.links) {
      if (!link.byId) continue
      const ids = wanted.get(link.target) ?? new Set<number>()
      for (const id of link.ids) ids.add(id)
      wanted.set(link.target, ids)
    }
  }
  if (wanted.size === 0) return
  const found = new Map<string, Set<number>>()
  for (const [target, ids] of wanted) found.set(target, await liveIds(engine, db, actor, target, [...ids]))
  for (const row of rows) {
    for (const link of row.links) {
      if (!link.byId) continue
      const live = found.get(link.target)!
      for (const id of link.ids) {
        if (live.has(id)) continue
        const singular = engine.runtime(link.target).definition.label.singular.toLowerCase()
        row.errors.push({
          row: row.line,
          column: link.label,
          field: link.relation,
          value: String(id),
          message: `not found: no ${singular} with id ${id}`,
        })
      }
    }
  }
}

async function liveIds(
  engine: Engine,
  db: Executor,
  actor: Actor,
  target: string,
  ids: number[],
): Promise<Set<number>> {
  const scope = visibleOwners(actor, engine.runtime(target))
  const live = new Set<number>()
  for (let start = 0; start < ids.length; start += CHUNK) {
    const query = db
      .selectFrom(target)
      .select('id')
      .where('id', 'in', ids.slice(start, start + CHUNK))
      .where('deleted_at', 'is', null)
    for (const row of (await withinScope(query, scope).execute()) as { id: unknown }[]) live.add(Number(row.id))
  }

  return live
}

import { permissionOf, visibleOwners } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { linkTableName, toColumnName } from '../storage/module-table.ts'
import { joinIds } from './id-columns.ts'
import { joinLinkNames } from './link-cell.ts'
import { withinScope } from './resolve-names.ts'

/** A many-to-many relation written as one column: the linked records' titles (see link-cell.ts) or ids. */
export interface LinkColumn {
  relation: string
  target: string
  label: string
}

export { LINK_SEPARATOR } from './link-cell.ts'

/**
 * The relation columns of an export: the requested relations, or every
 * relation when the export names neither fields nor relations. A relation
 * whose module the actor may not view is left out (and refused when asked
 * for by name), so an export never shows more than the relation menu does.
 */
export function linkColumnsOf(
  runtime: ModuleRuntime,
  requested: string[] | undefined,
  fieldsGiven: boolean,
  actor?: Actor,
): LinkColumn[] {
  const relations = runtime.definition.relations ?? []
  const viewable = (module: string) => actor === undefined || permissionOf(actor, module).view
  if (requested === undefined) {
    if (fieldsGiven) return []

    return relations
      .filter((relation) => viewable(relation.module))
      .map((relation) => ({ relation: relation.name, target: relation.module, label: relation.label }))
  }

  return requested.map((name) => {
    const relation = relations.find((item) => item.name === name)
    if (relation === undefined || !viewable(relation.module)) {
      throw new EngineError(
        'QUERY_INVALID',
        `cannot export the relation "${name}": ${runtime.definition.label.plural} have ${relations.map((item) => item.name).join(', ') || 'no many-to-many relations'}${relation ? ' you may view' : ''}`,
        { relation: name },
      )
    }

    return { relation: relation.name, target: relation.module, label: relation.label }
  })
}

/**
 * The cells of one page of records: per record, per relation, the titles of
 * the live linked records the actor may see, in link order, joined by "; "
 * (a title holding a separator quoted, so the importer reads it back whole),
 * or their ids with `byId` (the lossless export: titles may be shared).
 * Two queries per relation and page.
 */
export async function linkCellsOf(
  engine: Engine,
  runtime: ModuleRuntime,
  columns: LinkColumn[],
  ids: number[],
  actor?: Actor,
  byId = false,
): Promise<Map<number, string[]>> {
  const cells = new Map<number, string[]>(ids.map((id) => [id, columns.map(() => '')]))
  if (columns.length === 0 || ids.length === 0) return cells
  await engine.db.read(async (db) => {
    for (const [index, column] of columns.entries()) {
      const target = engine.runtime(column.target)
      const titleColumn = target.titleField === undefined ? 'id' : toColumnName(target.titleField)
      const scope = actor === undefined ? undefined : visibleOwners(actor, target)
      const query = db
        .selectFrom(`${linkTableName(runtime.name, column.relation)} as link`)
        .innerJoin(`${target.name} as target`, 'target.id', 'link.target_id')
        .select(['link.source_id as source', `target.${titleColumn} as title`, 'target.id as id'])
        .where('link.source_id', 'in', ids)
        .where('target.deleted_at', 'is', null)
        .orderBy('link.source_id')
        .orderBy('link.created_at')
        .orderBy('link.target_id')
      const rows = (await withinScope(query, scope && { ...scope, field: `target.${scope.field}` }).execute()) as {
        source: number
        title: unknown
        id: number
      }[]
      const linked = new Map<number, string[]>()
      for (const row of rows) {
        const list = linked.get(Number(row.source)) ?? []
        list.push(byId ? String(row.id) : String(row.title ?? `#${row.id}`))
        linked.set(Number(row.source), list)
      }
      for (const [source, list] of linked)
        cells.get(source)![index] = byId ? joinIds(list) : joinLinkNames(list)
    }
  })

  return cells
}

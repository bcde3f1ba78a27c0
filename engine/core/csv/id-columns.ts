/**
 * How the lossless export heads columns that hold ids instead of names, so
 * the importer maps them back without options: a relation or user field is
 * `<field label> (id)` (`Account Name (id)`), a many-to-many relation
 * `<relation label> (ids)` (`Products (ids)`, ids joined by "; "). Names
 * are what people read, but two accounts may both be called "Twin"; an id
 * names exactly one record, so a re-import links the same ones again.
 */

import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { ManyToManyRelation } from '../definition/types.ts'
import { targetOf } from '../relations/relation-graph.ts'
import { LINK_SEPARATOR } from './link-cell.ts'

const ONE = ' (id)'
const MANY = ' (ids)'

/** The header of a relation or user field written as the related record's id. */
export function idHeader(label: string): string {
  return `${label}${ONE}`
}

/** The header of a many-to-many relation written as the linked records' ids. */
export function idsHeader(label: string): string {
  return `${label}${MANY}`
}

/**
 * The label an id header was made from, and whether it names many ids; undefined for
 * other headers. Takes a header already normalised (`normalizeHeader`: lower case, one space).
 */
export function idHeaderBase(key: string): { base: string; many: boolean } | undefined {
  if (key.endsWith(ONE)) return { base: key.slice(0, -ONE.length).trim(), many: false }
  if (key.endsWith(MANY)) return { base: key.slice(0, -MANY.length).trim(), many: true }

  return undefined
}

/** The text of a many-to-many id cell: ids never hold a separator, so no quoting. */
export function joinIds(ids: string[]): string {
  return ids.join(LINK_SEPARATOR)
}

/**
 * What an id header (normalised) maps to: a relation or user field whose name, label or alias
 * is the base of a `(id)` header, or a many-to-many relation whose name or label is the base of
 * a `(ids)` header. `candidates` are the importer's header matches (normalised text to field).
 */
export function matchIdHeader(
  key: string,
  candidates: Map<string, string>,
  runtime: ModuleRuntime,
  normalize: (text: string) => string,
): { field: string } | { relation: ManyToManyRelation } | undefined {
  const parsed = idHeaderBase(key)
  if (parsed === undefined) return undefined
  if (!parsed.many) {
    const field = candidates.get(parsed.base)

    return field !== undefined && targetOf(runtime.fields.get(field)!) !== undefined ? { field } : undefined
  }
  const relation = (runtime.definition.relations ?? []).find(
    (item) => normalize(item.name) === parsed.base || normalize(item.label) === parsed.base,
  )

  return relation && { relation }
}

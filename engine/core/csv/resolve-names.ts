import type { SelectQueryBuilder } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { kindOf } from '../field-types/registry.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'

/** Owners whose records an actor sees (from the access policy); undefined for all. */
export type OwnerScope = { field: string; ids: number[] } | undefined

/** Narrows a select to the records of the scope's owners. */
export function withinScope<Q extends SelectQueryBuilder<any, any, any>>(
  query: Q,
  scope: OwnerScope,
): Q {
  return scope === undefined
    ? query
    : (query.where(toColumnName(scope.field), 'in', scope.ids.length > 0 ? scope.ids : [0]) as Q)
}

export type NameResolution =
  { ok: true; id: number } | { ok: false; code: 'ambiguous' | 'not-found'; message: string }

const PAGE = 5000

/**
 * Finds records of one module by the names a spreadsheet uses: the title
 * field and any unique text field (a user's username). Names compare trimmed,
 * in NFC and ignoring case, but never ignoring accents: `Müller` is not
 * `Muller`. Near misses (another apostrophe, `&amp;`, accents) only feed a
 * "did you mean" hint, never a link.
 */
export class NameLookup {
  readonly runtime: ModuleRuntime
  #exact = new Map<string, number[]>()
  #loose = new Map<string, { id: number; name: string }[]>()
  #keyFields: string[]

  constructor(runtime: ModuleRuntime) {
    this.runtime = runtime
    const unique = [...runtime.fields]
      .filter(([, field]) => field['x-unique'] && kindOf(field).jsonType === 'string')
      .map(([name]) => name)
    this.#keyFields = [
      ...new Set(
        [runtime.titleField, ...unique].filter((name): name is string => name !== undefined),
      ),
    ]
  }

  /**
   * Reads the names of every live record the actor may see (`scope`), page by page.
   * TODO(#4): this holds every name of the target module in memory (about 100 bytes a record);
   * past a few hundred thousand records, look names up per batch with a normalised-name column.
   */
  async load(db: Executor, scope?: OwnerScope): Promise<this> {
    if (this.#keyFields.length === 0) return this
    const columns = this.#keyFields.map(toColumnName)
    for (let after = 0; ;) {
      const rows = (await withinScope(db.selectFrom(this.runtime.name), scope)
        .select(['id', ...columns])
        .where('deleted_at', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute()) as Record<string, unknown>[]
      for (const row of rows)
        this.add(
          Number(row.id),
          columns.map((column) => row[column]),
        )
      if (rows.length < PAGE) break
      after = Number(rows[rows.length - 1].id)
    }

    return this
  }

  /** Makes a record findable by its names (records created by the running import). */
  add(id: number, names: unknown[]): void {
    for (const name of new Set(
      names.filter((item): item is string => typeof item === 'string' && item.trim() !== ''),
    )) {
      push(this.#exact, nameKey(name), id)
      const loose = this.#loose.get(looseKey(name)) ?? []
      if (!loose.some((item) => item.id === id)) loose.push({ id, name })
      this.#loose.set(looseKey(name), loose)
    }
  }

  /** Names of a record as `add` wants them, from composed field values. */
  namesOf(values: Record<string, unknown>): unknown[] {
    return this.#keyFields.map((field) => values[field])
  }

  resolve(name: string): NameResolution {
    const ids = this.#exact.get(nameKey(name)) ?? []
    const singular = this.runtime.definition.label.singular.toLowerCase()
    const plural = this.runtime.definition.label.plural.toLowerCase()
    if (ids.length === 1) return { ok: true, id: ids[0] }
    if (ids.length > 1) {
      return {
        ok: false,
        code: 'ambiguous',
        message: `ambiguous: ${ids.length} ${plural} named '${name.trim()}' (ids ${ids.join(', ')}); link it by id instead`,
      }
    }
    const similar = (this.#loose.get(looseKey(name)) ?? []).slice(0, 3)
    const hint =
      similar.length === 0
        ? ''
        : `; did you mean ${similar.map((item) => `'${item.name}' (id ${item.id})`).join(' or ')}?`

    return {
      ok: false,
      code: 'not-found',
      message: `not found: no ${singular} named '${name.trim()}'${hint}`,
    }
  }
}

/** The exact comparison key: NFC, trimmed, inner spaces kept, lower case. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase()
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

/** The near-miss key: accents, apostrophe styles, HTML entities and spacing ignored. */
export function looseKey(name: string): string {
  return name
    .replace(/&(#\d+|[a-z]+);/gi, (entity, body: string) =>
      body.startsWith('#')
        ? String.fromCodePoint(Number(body.slice(1)))
        : (ENTITIES[body.toLowerCase()] ?? entity),
    )
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201b\u0060\u00b4\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase()
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key)
  if (!list) map.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

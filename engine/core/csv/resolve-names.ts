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
  | { ok: true; id: number }
  | {
      ok: false
      code: 'ambiguous' | 'not-found'
      message: string
      /** A "did you mean" hint was given: a near miss, which is never created unconfirmed. */
      similar?: boolean
    }

const PAGE = 5000
/** Distinct cell texts whose keys are remembered; a file of ever new names cannot grow it past this. */
const MAX_CACHED_KEYS = 50_000

/**
 * Finds records of one module by the names a spreadsheet uses: the title
 * field and any unique text field (a user's username). Names compare by
 * `nameKey`: NFC, spacing tidied, ignoring case, but never ignoring accents:
 * `Müller` is not `Muller`. Near misses (another apostrophe, `&amp;`,
 * accents) only feed a "did you mean" hint, never a link.
 *
 * Records the running import will create (mapping `createMissing`) are
 * reserved when the row naming them is read, under a negative stand-in id,
 * so later rows find them, and their near misses, in file order: the outcome
 * never depends on batch size, and a dry run sees what the real run sees.
 */
export class NameLookup {
  readonly runtime: ModuleRuntime
  #exact = new Map<string, number[]>()
  #loose = new Map<string, { id: number; name: string }[]>()
  #keyFields: string[]
  /** Cell text to `nameKey`: a big file repeats few names, so each is normalised once. */
  #keys = new Map<string, string>()
  /** Per near-miss key: the spellings (by exact key) of names the file creates, from `noteNewName`. */
  #spellings = new Map<string, Map<string, string>>()
  #noted = new Set<string>()
  /** Reserved names by stand-in id: the row that first named it, and the id once created. */
  #pending = new Map<number, { name: string; line: number; id?: number }>()

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
    ))
      this.#index(id, name)
  }

  /**
   * Reserves a name the import will create (after `resolve` found neither it nor a near miss):
   * returns the stand-in id (negative) that `resolve` gives for it from now on.
   */
  reserve(name: string, line: number): number {
    const id = -(this.#pending.size + 1)
    const tidy = detach(tidyName(name))
    this.#pending.set(id, { name: tidy, line })
    this.#index(id, tidy)

    return id
  }

  /**
   * Notes a name the file would create (scan-new-names.ts): found nowhere, no stored near
   * miss, no HTML entity. Two such spellings of one near-miss key make both refused.
   */
  noteNewName(name: string): void {
    const key = this.#keyOf(name)
    if (this.#noted.has(key) || this.#exact.has(key) || htmlEntityIn(name) !== undefined) return
    this.#noted.add(key)
    const loose = looseKey(name)
    if (this.#loose.has(loose)) return
    const spellings = this.#spellings.get(loose) ?? new Map<string, string>()
    if (spellings.size < 3) spellings.set(key, detach(tidyName(name)))
    this.#spellings.set(loose, spellings)
  }

  /** The tidied name a stand-in id was reserved for. */
  pendingName(id: number): string {
    return this.#pending.get(id)!.name
  }

  /** The record created for a stand-in id (a placeholder in a dry run), once created. */
  created(id: number): number | undefined {
    return this.#pending.get(id)?.id
  }

  /** Records the record created for a stand-in id, which later rows then link to. */
  settle(id: number, created: number): void {
    this.#pending.get(id)!.id = created
  }

  /** Why rows naming a reserved, not created record are refused. */
  notCreated(id: number): string {
    const { name, line } = this.#pending.get(id)!

    return `not found: no ${this.#singular()} named '${name}'; row ${line} would create it but was refused`
  }

  /** Names of a record as `add` wants them, from composed field values. */
  namesOf(values: Record<string, unknown>): unknown[] {
    return this.#keyFields.map((field) => values[field])
  }

  resolve(name: string): NameResolution {
    const key = this.#keyOf(name)
    const ids = this.#exact.get(key)
    if (ids !== undefined && ids.length === 1) return { ok: true, id: ids[0] }
    if (ids !== undefined && ids.length > 1) {
      return {
        ok: false,
        code: 'ambiguous',
        message: `ambiguous: ${ids.length} ${this.runtime.definition.label.plural.toLowerCase()} named '${name.trim()}' (${this.#idList(ids)}); link it by id instead`,
      }
    }
    const loose = looseKey(name)
    const similar = (this.#loose.get(loose) ?? []).slice(0, 3)
    const spellings = this.#spellings.get(loose)
    const hint =
      similar.length > 0
        ? `; did you mean ${similar.map((item) => `'${item.name}' (${this.#describe(item.id)})`).join(' or ')}?`
        : spellings !== undefined && spellings.size > 1
          ? `; not created: the file spells it in more than one way (${[...spellings.values()].map((item) => `'${item}'`).join(', ')}); use one spelling`
          : ''

    return {
      ok: false,
      code: 'not-found',
      message: `not found: no ${this.#singular()} named '${name.trim()}'${hint}`,
      similar: hint !== '',
    }
  }

  #keyOf(name: string): string {
    let key = this.#keys.get(name)
    if (key === undefined) {
      key = detach(nameKey(name))
      if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear()
      this.#keys.set(detach(name), key)
    }

    return key
  }

  #index(id: number, name: string): void {
    push(this.#exact, nameKey(name), id)
    const key = looseKey(name)
    const loose = this.#loose.get(key) ?? []
    if (!loose.some((item) => item.id === id)) loose.push({ id, name })
    this.#loose.set(key, loose)
  }

  #singular(): string {
    return this.runtime.definition.label.singular.toLowerCase()
  }

  #idList(ids: number[]): string {
    const stored = ids.filter((id) => id > 0)
    const reserved = ids.length - stored.length
    const parts = stored.length > 0 ? [`ids ${stored.join(', ')}`] : []
    if (reserved > 0) parts.push(`${reserved} this import creates`)

    return parts.join(', ')
  }

  #describe(id: number): string {
    return id > 0 ? `id ${id}` : `created by row ${this.#pending.get(id)!.line} of this import`
  }
}

/**
 * A name as written to a record the import creates: NFC, runs of spaces
 * (no-break and other Unicode spaces included) made one space, invisible
 * zero-width characters dropped, trimmed. So `New  Corp` and `New<NBSP>Corp`
 * never become two records that both show "New Corp".
 */
export function tidyName(name: string): string {
  return name.normalize('NFC').replace(INVISIBLE, '').replace(SPACES, ' ').trim()
}

/** The exact comparison key: `tidyName` in lower case. */
export function nameKey(name: string): string {
  return tidyName(name).toLocaleLowerCase()
}

const INVISIBLE = /[\u00ad\u200b\u2060]/g
const SPACES = /\s+/g

/**
 * The first HTML entity of a name (`&amp;`, `&#39;`), as left by copying from a web page.
 * Only entities a browser would show differently count: `R&D;` is text.
 */
export function htmlEntityIn(name: string): string | undefined {
  if (!name.includes('&')) return undefined
  for (const match of name.matchAll(ENTITY))
    if (match[1].startsWith('#') || ENTITIES[match[1].toLowerCase()] !== undefined) return match[0]

  return undefined
}

const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z]+);/gi

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

/**
 * A copy of a string that shares no memory with the text it was cut from: a cell is a
 * slice of a whole chunk of the file, which a kept name would otherwise keep alive.
 */
function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key)
  if (!list) map.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

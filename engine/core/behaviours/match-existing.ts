import type { ExpressionBuilder } from 'kysely'
import { visibleOwners } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { looseKey, nameKey, withinScope } from '../csv/resolve-names.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'

/** A record found by a value: its id and the value it holds. */
export interface FoundRecord {
  id: number
  value: string
}

/** Records whose value matches (and so may be reused), and near misses that only ask for a decision. */
export interface Matches {
  same: FoundRecord[]
  similar: FoundRecord[]
}

const APOSTROPHES = /[\u2018\u2019\u201b\u0060\u00b4\u2032]/g
const MAX_CANDIDATES = 5000

/**
 * Finds the live records of a module, among those the actor may see, whose
 * field holds the same value as `value`: compared trimmed, in NFC, ignoring
 * case, inner spacing, apostrophe styles, `&amp;` and `&` against `and`
 * (`O’Brien & Sons` is `O'Brien and Sons`), but never ignoring accents, as
 * the CSV importer links names. Values that differ only in accents are
 * near misses: they are reported, never reused silently.
 */
export async function findMatches(
  db: Executor,
  runtime: ModuleRuntime,
  field: string,
  value: string,
  actor: Actor,
): Promise<Matches> {
  const column = toColumnName(field)
  const words = plainWords(value)
  const candidates = (every: boolean) => {
    const query = withinScope(db.selectFrom(runtime.name), visibleOwners(actor, runtime))
      .select(['id', `${column} as value`])
      .where('deleted_at', 'is', null)
      .where(column, 'is not', null)
    if (words.length === 0) return query.orderBy('id').limit(MAX_CANDIDATES).execute()
    // LIKE ignores ASCII case: a same value holds all of the value's plain words, and a near
    // miss holds one of them unless every word differs by an accent.
    // TODO(#6): a stored normalised key column would make this an index lookup on large modules.
    const like = (eb: ExpressionBuilder<any, any>) =>
      words.map((word) => eb(column, 'like', `%${word}%`))

    return query
      .where((eb) => (every ? eb.and(like(eb)) : eb.or(like(eb))))
      .orderBy('id')
      .limit(MAX_CANDIDATES)
      .execute()
  }

  const wanted = matchKey(value)
  const same = ((await candidates(true)) as Row[])
    .map(found)
    .filter((item) => matchKey(item.value) === wanted)
  if (same.length > 0) return { same, similar: [] }
  const near = similarKey(value)
  const similar = ((await candidates(false)) as Row[])
    .map(found)
    .filter((item) => similarKey(item.value) === near)

  return { same, similar }
}

type Row = { id: unknown; value: unknown }

function found(row: Row): FoundRecord {
  return { id: Number(row.id), value: String(row.value) }
}

/** The key two values must share to be the same: see findMatches. */
export function matchKey(value: string): string {
  const decoded = value.replace(/&amp;/gi, '&').replace(/&(apos|#39|#x27);/gi, "'")

  return nameKey(decoded)
    .replace(APOSTROPHES, "'")
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s+/g, ' ')
}

function similarKey(value: string): string {
  return looseKey(value)
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s+/g, ' ')
}

function plainWords(value: string): string[] {
  const words = value.normalize('NFC').match(/[A-Za-z0-9]{2,}/g) ?? []

  return [...new Set(words.map((word) => word.toLowerCase()))]
    .filter((word) => !['and', 'amp', 'apos'].includes(word))
    .slice(0, 8)
}

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
export async function findMatches(db: Executor, runtime: ModuleRuntime, field: string, value: string, actor: Actor): Promise<Matches> {
  const column = toColumnName(field)
  const wanted = matchKey(value)
  const near = similarKey(value)
  let query = withinScope(db.selectFrom(runtime.name), visibleOwners(actor, runtime))
    .select(['id', `${column} as value`])
    .where('deleted_at', 'is', null)
    .where(column, 'is not', null)
  // Narrows the scan to rows holding the value's longest plain word (LIKE ignores ASCII case);
  // every match holds that word, because the keys change only case, spacing and punctuation.
  // TODO(#6): a stored normalised key column would make this an index lookup on large modules.
  const word = longestPlainWord(value)
  if (word !== undefined) query = query.where(column, 'like', `%${word}%`)
  const rows = (await query.orderBy('id').limit(MAX_CANDIDATES).execute()) as { id: unknown; value: unknown }[]

  const matches: Matches = { same: [], similar: [] }
  for (const row of rows) {
    const found = { id: Number(row.id), value: String(row.value) }
    if (matchKey(found.value) === wanted) matches.same.push(found)
    else if (similarKey(found.value) === near) matches.similar.push(found)
  }

  return matches
}

/** The key two values must share to be the same: see findMatches. */
export function matchKey(value: string): string {
  const decoded = value.replace(/&amp;/gi, '&').replace(/&(apos|#39|#x27);/gi, "'")

  return nameKey(decoded).replace(APOSTROPHES, "'").replace(/\s*&\s*/g, ' and ').replace(/\s+/g, ' ')
}

function similarKey(value: string): string {
  return looseKey(value).replace(/\s*&\s*/g, ' and ').replace(/\s+/g, ' ')
}

function longestPlainWord(value: string): string | undefined {
  const words = (value.normalize('NFC').match(/[A-Za-z0-9]+/g) ?? []).filter((word) => !['and', 'amp', 'apos'].includes(word.toLowerCase()))

  return words.sort((left, right) => right.length - left.length)[0]
}

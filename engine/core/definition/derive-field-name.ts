import anyAscii from 'any-ascii'
import { RESERVED_FIELD_NAMES } from './reserved-names.ts'

const MAX_NAME_LENGTH = 63
export const CUSTOM_FIELD_PREFIX = 'cf_'

/**
 * Derives a safe field name from a label an admin typed, in any script:
 * transliterated to ASCII (any-ascii covers every Unicode script), lower
 * snake case, prefixed `cf_`, never reserved and unique among `taken`.
 * The label itself keeps every character it has.
 *
 * @example deriveFieldName('Größe (m²)', new Set()) // 'cf_grosse_m2'
 */
export function deriveFieldName(label: string, taken: ReadonlySet<string>, prefix = CUSTOM_FIELD_PREFIX): string {
  const words = anyAscii(label.normalize('NFKC'))
    .replace(/:[a-z0-9_]+:/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  const stem = `${prefix}${words || 'field'}`.slice(0, MAX_NAME_LENGTH - 4).replace(/_+$/, '')
  let name = stem
  for (let counter = 2; taken.has(name) || RESERVED_FIELD_NAMES.has(name); counter++) name = `${stem}_${counter}`

  return name
}

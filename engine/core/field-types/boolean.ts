import type { FieldKind } from './field-kind.ts'

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'x', 'on', 'ja', 'oui', 'si', 'sí'])
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'off', 'nein', 'non'])

/** Booleans: JSON true/false, stored as 1/0, read from the usual spreadsheet words. */
export const booleanKind: FieldKind = {
  name: 'boolean',
  jsonType: 'boolean',
  columnType: () => 'integer',
  schemaFor: () => ({ type: 'boolean' }),
  toColumn: (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value),
  fromColumn: (value) => (value == null ? value : Number(value) !== 0),
  parseText: (raw) => {
    const word = raw.trim().toLowerCase()
    if (TRUE_WORDS.has(word)) return { ok: true, value: true }
    if (FALSE_WORDS.has(word)) return { ok: true, value: false }

    return { ok: false, message: `"${raw}" is not yes or no (use true/false, yes/no or 1/0)` }
  },
  formatText: (value) => (value == null ? '' : value ? 'true' : 'false'),
}

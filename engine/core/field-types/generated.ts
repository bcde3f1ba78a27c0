import type { FieldKind } from './field-kind.ts'
import { createScaledKind, largestScaled, scaleOf } from './number.ts'

/** Auto-numbers like POT1, POT2: assigned by the engine on create, never written by users. */
export const autoNumberKind: FieldKind = {
  name: 'auto-number',
  jsonType: 'string',
  isGenerated: true,
  columnType: () => 'text',
  schemaFor: () => ({ type: 'string' }),
  toColumn: (value) => value,
  fromColumn: (value) => value,
  parseText: (raw) => ({ ok: true, value: raw.trim() }),
  formatText: (value) => (value == null ? '' : String(value)),
}

const decimalKind = createScaledKind('decimal')

/**
 * Computed fields: derived from the record by their `x-expression` on every
 * write and stored, so lists sort and filter by them. A field typed string
 * holds text; any other holds an exact decimal with `x-scale` decimals.
 */
export const computedKind: FieldKind = {
  name: 'computed',
  jsonType: 'number',
  isGenerated: true,
  columnType: (field) => (field.type === 'string' ? 'text' : 'integer'),
  // A result past what the column stores exactly refuses the write instead of storing garbage.
  schemaFor: (field) =>
    field.type === 'string'
      ? { type: 'string' }
      : { type: 'number', minimum: -largestScaled(scaleOf(field)), maximum: largestScaled(scaleOf(field)) },
  toColumn: (value, field) => (field.type === 'string' ? value : decimalKind.toColumn(value, field)),
  fromColumn: (value, field) =>
    field.type === 'string' ? value : decimalKind.fromColumn(value, field),
  parseText: (raw) => ({ ok: true, value: raw }),
  formatText: (value, field) =>
    field.type === 'string' ? (value == null ? '' : String(value)) : decimalKind.formatText(value, field),
}

import type { FieldDefinition } from '../definition/types.ts'
import {
  decimalPlaces,
  fromScaledInteger,
  numberToDecimalText,
  numberToScaledInteger,
  parseDecimalText,
  toScaledInteger,
} from './decimal-text.ts'
import type { FieldKind } from './field-kind.ts'

/** Integers: stored as SQL integers, read from text with the import's number format. */
export const integerKind: FieldKind = {
  name: 'integer',
  jsonType: 'integer',
  columnType: () => 'integer',
  schemaFor: (field) => ({ type: 'integer', ...bounds(field) }),
  toColumn: (value) => value,
  fromColumn: (value) => (value == null ? value : Number(value)),
  parseText: (raw, _field, format) => {
    const parsed = parseDecimalText(raw, { decimalMark: format.decimalMark })
    if (!parsed.ok) return parsed
    if (parsed.value.includes('.') && !/\.0*$/.test(parsed.value)) {
      return { ok: false, message: `"${raw}" is not a whole number` }
    }

    return { ok: true, value: Number(parsed.value.split('.')[0]) }
  },
  formatText: (value) => (value == null ? '' : String(value)),
}

/**
 * Decimal, currency and percent kinds. Values are JSON numbers with at most
 * `x-scale` decimals, stored as integers of minor units so that sums, sorts
 * and the forecast stay exact.
 */
export function createScaledKind(name: 'decimal' | 'currency' | 'percent'): FieldKind {
  return {
    name,
    jsonType: 'number',
    columnType: () => 'integer',
    schemaFor: (field) => ({
      type: 'number',
      'x-scale': scaleOf(field),
      ...(name === 'percent' ? { minimum: 0, maximum: 100 } : {}),
      ...bounds(field),
    }),
    toColumn: (value, field) =>
      typeof value === 'number' ? numberToScaledInteger(value, scaleOf(field)) : value,
    fromColumn: (value, field) =>
      value == null ? value : Number(fromScaledInteger(Number(value), scaleOf(field))),
    parseText: (raw, field, format) => {
      const parsed = parseDecimalText(raw, {
        decimalMark: format.decimalMark,
        currency: format.currency,
        allowCurrency: name === 'currency',
        allowPercent: name === 'percent',
      })
      if (!parsed.ok) return parsed
      // Money written with more decimals than it has, even zeros (`12.000`), is far more
      // often a thousands group in the other number format than a real amount.
      if (name === 'currency' && decimalPlaces(parsed.value) > scaleOf(field)) {
        const other = format.decimalMark === '.' ? ',' : '.'
        return {
          ok: false,
          message: `"${raw}" has ${decimalPlaces(parsed.value)} decimals but amounts have at most ${scaleOf(field)}; if "${format.decimalMark}" separates thousands here, choose the number format with "${other}" as decimal mark`,
        }
      }
      if (toScaledInteger(parsed.value, scaleOf(field)) === null) {
        return { ok: false, message: `"${raw}" has more than ${scaleOf(field)} decimals` }
      }

      return { ok: true, value: Number(parsed.value) }
    },
    formatText: (value, field) =>
      typeof value === 'number'
        ? fromScaledInteger(toScaledInteger(numberToDecimalText(value), scaleOf(field)) ?? 0, scaleOf(field))
        : '',
  }
}

export function scaleOf(field: FieldDefinition): number {
  return field['x-scale'] ?? 2
}

function bounds(field: FieldDefinition): Record<string, number> {
  return {
    ...(field.minimum === undefined ? {} : { minimum: field.minimum }),
    ...(field.maximum === undefined ? {} : { maximum: field.maximum }),
  }
}

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
  schemaFor: (field) => ({ type: 'integer', ...bounds(field, Number.MAX_SAFE_INTEGER) }),
  toColumn: (value) => value,
  fromColumn: (value) => (value == null ? value : Number(value)),
  parseText: (raw, _field, format) => {
    const parsed = parseDecimalText(raw, { decimalMark: format.decimalMark })
    if (!parsed.ok) return parsed
    if (parsed.value.includes('.') && !/\.0*$/.test(parsed.value)) {
      return { ok: false, message: `"${raw}" is not a whole number` }
    }

    const value = Number(parsed.value.split('.')[0])
    if (!Number.isSafeInteger(value)) return { ok: false, message: tooLarge(raw, Number.MAX_SAFE_INTEGER) }

    return { ok: true, value }
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
      ...bounds(name === 'percent' ? { minimum: 0, maximum: 100, ...definedBounds(field) } : field, largestScaled(scaleOf(field))),
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
      const value = Number(parsed.value)
      if (Math.abs(value) > largestScaled(scaleOf(field))) return { ok: false, message: tooLarge(raw, largestScaled(scaleOf(field))) }

      return { ok: true, value }
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

/**
 * The largest value a scaled kind stores exactly: 15 significant digits, the
 * most a JSON number (a double) carries without rounding, so 9,999,999,999,999.99
 * at scale 2. A larger amount would be stored rounded or, past 2^53 minor
 * units, could not be read back at all.
 */
export function largestScaled(scale: number): number {
  return Number(`${'9'.repeat(Math.max(15 - scale, 1))}.${'9'.repeat(scale)}`)
}

function definedBounds(field: FieldDefinition): { minimum?: number; maximum?: number } {
  return {
    ...(field.minimum === undefined ? {} : { minimum: field.minimum }),
    ...(field.maximum === undefined ? {} : { maximum: field.maximum }),
  }
}

/** The field's own bounds, within the range its kind stores exactly. */
function bounds(field: { minimum?: number; maximum?: number }, limit: number): Record<string, number> {
  return {
    minimum: Math.max(field.minimum ?? -limit, -limit),
    maximum: Math.min(field.maximum ?? limit, limit),
  }
}

function tooLarge(raw: string, limit: number): string {
  return `"${raw.trim()}" is too large: values go up to ${limit.toLocaleString('en', { maximumFractionDigits: 20 })}`
}

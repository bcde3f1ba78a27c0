import type { ConversionOptions } from '../definition/migration-options.ts'
import type { FieldDefinition } from '../definition/types.ts'
import { kindOf } from '../field-types/registry.ts'
import { createAjv } from '../validation/create-ajv.ts'

export type Conversion = { outcome: 'converted'; value: unknown; shown: string } | { outcome: 'empty' } | { outcome: 'failed'; message: string }

const NUMERIC_SOURCES = new Set(['integer', 'decimal', 'currency', 'percent', 'computed'])
const ajv = createAjv()

/**
 * Converts stored column values of a field from one definition to another.
 * A value is written as text by the old kind and read by the new kind with
 * the same parsers as the CSV import, then checked by the new kind's rules:
 * `1.200,50` read as de-DE becomes 1200.50; `approx 5k` fails with a reason.
 */
export function createValueConverter(from: FieldDefinition, to: FieldDefinition, options: ConversionOptions = {}): (column: unknown) => Conversion {
  const fromKind = kindOf(from)
  const toKind = kindOf(to)
  const schema = toKind.schemaFor(to)
  const validate = ajv.compile(schema)
  // Numbers already stored as numbers are written with a decimal point whatever the text format was.
  const decimalMark = NUMERIC_SOURCES.has(fromKind.name) && from.type !== 'string' ? '.' : (options.decimalMark ?? '.')
  const format = { decimalMark, dateOrder: options.dateOrder ?? 'YMD' } as const

  return (column) => {
    if (column === null || column === undefined) return { outcome: 'empty' }
    const text = fromKind.formatText(fromKind.fromColumn(column, from), from)
    if (text.trim() === '') return { outcome: 'empty' }
    const parsed = toKind.parseText(text, to, format)
    if (!parsed.ok) return { outcome: 'failed', message: parsed.message }
    if (!validate(parsed.value)) return { outcome: 'failed', message: `"${text}" ${validate.errors?.[0]?.message ?? 'is not valid'}` }

    return { outcome: 'converted', value: toKind.toColumn(parsed.value, to), shown: toKind.formatText(parsed.value, to) }
  }
}

/** True when a field's stored values must be rewritten for its new definition. */
export function needsConversion(from: FieldDefinition, to: FieldDefinition): boolean {
  if (from['x-kind'] !== to['x-kind']) return true
  if (kindOf(from).columnType(from) !== kindOf(to).columnType(to)) return true
  const scaled = new Set(['decimal', 'currency', 'percent', 'computed'])

  return scaled.has(to['x-kind']) && (from['x-scale'] ?? 2) !== (to['x-scale'] ?? 2)
}

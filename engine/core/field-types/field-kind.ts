import type { FieldDefinition, FieldKindName } from '../definition/types.ts'

/** How a CSV cell or a typed text is read: the import's chosen formats. */
export interface TextFormat {
  /** Decimal mark of numbers in the file, `.` (en-US, default) or `,` (de-DE). */
  decimalMark: '.' | ','
  /** Date order of non-ISO dates; ISO `YYYY-MM-DD` is always accepted. */
  dateOrder: 'YMD' | 'DMY' | 'MDY'
  /** The currency of the row, when the file names one; signs of other currencies are refused. */
  currency?: string
}

export const DEFAULT_TEXT_FORMAT: TextFormat = { decimalMark: '.', dateOrder: 'YMD' }

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string }

/** The SQL storage class of a column; engine/storage maps it to a dialect type. */
export type ColumnType = 'text' | 'integer' | 'real'

/**
 * One kind of field. Each kind says how its values are typed in JSON, stored
 * in a column, read from text (CSV cells, conversions) and written as text.
 */
export interface FieldKind {
  name: FieldKindName
  jsonType: 'string' | 'integer' | 'number' | 'boolean' | 'array'
  columnType(field: FieldDefinition): ColumnType
  /** True when the value is set by the engine, never by a writer. */
  isGenerated?: boolean
  /** JSON Schema keywords the kind adds to the field's validation schema. */
  schemaFor(field: FieldDefinition): Record<string, unknown>
  /** Tidies a written value the same way on every write path (API, form, import); optional. */
  tidy?(value: string): string
  toColumn(value: unknown, field: FieldDefinition): unknown
  fromColumn(value: unknown, field: FieldDefinition): unknown
  parseText(raw: string, field: FieldDefinition, format: TextFormat): ParseResult
  formatText(value: unknown, field: FieldDefinition): string
}

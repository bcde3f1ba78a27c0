import Decimal from 'decimal.js'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { numberToDecimalText } from '../field-types/decimal-text.ts'
import type { ParseResult, TextFormat } from '../field-types/field-kind.ts'
import { kindOf } from '../field-types/registry.ts'
import type { FieldValues } from '../records/compose-record.ts'
import type { RowError } from './import-types.ts'
import { CURRENCY_FIELD, valueKey, type ColumnPlan, type FieldSource, type LinkSource } from './map-columns.ts'
import type { CsvRow } from './parse-csv.ts'
import { splitLinkCell } from './link-cell.ts'
import { htmlEntityIn, type NameLookup } from './resolve-names.ts'

/** A row read and parsed, before duplicates, validation and writing decide its fate. */
export interface PreparedRow {
  line: number
  cells: string[]
  /** Parsed values of the written fields; `null` for an empty cell. */
  input: FieldValues
  /** Fields whose cell (or default) was not empty: what a merge writes. */
  filled: Set<string>
  /** Values of every mapped field, read-only ones included, for finding duplicates. */
  match: FieldValues
  /**
   * Linked ids; a negative id stands for a record this import creates (see `NameLookup.reserve`).
   * `byId`: the cell gave ids, whose records are yet to be found (check-link-ids.ts).
   */
  links: { relation: string; target: string; label: string; ids: number[]; byId: boolean }[]
  /** Related records this import creates, by stand-in id: created (once) when the row is written. */
  creates: { source: FieldSource; name: string; pending: number }[]
  errors: RowError[]
  notices: RowError[]
  preview?: Record<string, { raw: string; value: unknown; error?: string }>
}

export interface RowContext {
  runtime: ModuleRuntime
  plan: ColumnPlan
  format: TextFormat
  lookups: Map<string, NameLookup>
  unknownPicklistValues: 'refuse' | 'default'
  unescapeFormulas: boolean
  /** Per field: cells that failed in the chosen number format but read in the other one. */
  otherFormatHits: Map<string, number>
  withPreview: boolean
}

const NUMERIC_KINDS = new Set(['integer', 'decimal', 'currency', 'percent'])
const NEUTRALISED = /^'[=+\-@\t\r']/
const EMPTY: ParseResult = { ok: true, value: null }
const DIGITS = /^\d+$/

/**
 * Reads one CSV row into field values: value maps, defaults, the field
 * kind's text parser in the import's formats, names of related records
 * resolved to ids. Problems become row errors; nothing here throws for data.
 */
export function readRow(context: RowContext, row: CsvRow): PreparedRow {
  const prepared: PreparedRow = {
    line: row.line,
    cells: row.cells,
    input: {},
    filled: new Set(),
    match: {},
    links: [],
    creates: [],
    errors: [],
    notices: [],
  }
  if (context.withPreview) prepared.preview = {}
  for (const source of context.plan.sources) readField(context, source, prepared)
  for (const link of context.plan.links) {
    let raw =
      link.column !== undefined
        ? (row.cells[link.column] ?? '')
        : link.template
          ? link.template(row.cells)
          : ''
    raw = mapValue(raw, link.valueMap)
    if (raw.trim() === '' && link.default !== undefined) raw = link.default
    // The export neutralises a link cell like any text cell, so its `'` goes as in readField.
    if (context.unescapeFormulas && NEUTRALISED.test(raw)) raw = raw.slice(1)
    const ids = link.by === 'id' ? readIds(link, raw, prepared) : readNames(context, link, raw, prepared)
    if (ids.length > 0)
      prepared.links.push({ relation: link.relation, target: link.target, label: link.label, ids, byId: link.by === 'id' })
  }

  return prepared
}

/** Ids of the records a link cell names; a name found nowhere or more than once is a row error. */
function readNames(context: RowContext, link: LinkSource, raw: string, prepared: PreparedRow): number[] {
  const ids: number[] = []
  const lookup = context.lookups.get(link.target)!
  for (const name of splitLinkCell(raw)) {
    const found = lookup.resolve(name)
    if (found.ok) ids.push(found.id)
    else linkError(link, prepared, name, found.message)
  }

  return ids
}

/** Ids of a link cell written by id; whether they exist is checked per batch (check-link-ids.ts). */
function readIds(link: LinkSource, raw: string, prepared: PreparedRow): number[] {
  const ids: number[] = []
  for (const part of splitLinkCell(raw)) {
    if (DIGITS.test(part)) ids.push(Number(part))
    else linkError(link, prepared, part, `"${part}" is not a record id`)
  }

  return ids
}

function linkError(link: LinkSource, prepared: PreparedRow, value: string, message: string): void {
  prepared.errors.push({ row: prepared.line, column: link.label, field: link.relation, value, message })
}

function readField(context: RowContext, source: FieldSource, prepared: PreparedRow): void {
  const raw = sourceText(context, source, prepared.cells)
  const outcome = parseCell(context, source, prepared, raw)
  if (outcome.ok) store(source, prepared, raw, outcome.value)
  else fail(source, prepared, raw, outcome.message)
}

/** A field's text in a row, before parsing: its cell, template or constant, value map, default. */
export function sourceText(context: RowContext, source: FieldSource, cells: string[]): string {
  let raw =
    source.column !== undefined
      ? (cells[source.column] ?? '')
      : source.template
        ? source.template(cells)
        : (source.constant ?? '')
  raw = mapValue(raw, source.valueMap)
  if (raw.trim() === '' && source.default !== undefined) raw = source.default
  if (context.unescapeFormulas && NEUTRALISED.test(raw)) raw = raw.slice(1)

  return raw
}

/** Reads one cell; relation and user names are looked up, other kinds use their text parser. */
function parseCell(
  context: RowContext,
  source: FieldSource,
  prepared: PreparedRow,
  raw: string,
): ParseResult {
  if (raw.trim() === '') return EMPTY
  if (source.target !== undefined && source.by === 'name') return readName(context, source, prepared, raw)
  const kind = kindOf(source.definition)
  const format =
    kind.name === 'currency'
      ? { ...context.format, currency: currencyOf(context, prepared) }
      : context.format
  const parsed = kind.parseText(raw, source.definition, format)
  if (parsed.ok) {
    const isScaled = source.multiply !== undefined && typeof parsed.value === 'number'

    return isScaled
      ? { ok: true, value: multiply(parsed.value as number, source.multiply!) }
      : parsed
  }
  if (
    kind.name === 'picklist' &&
    context.unknownPicklistValues === 'default' &&
    !context.runtime.required.has(source.field)
  ) {
    const fallback = source.definition.default ?? null
    prepared.notices.push({
      row: prepared.line,
      column: source.label,
      field: source.field,
      value: raw,
      message: `${parsed.message}; the field default (${fallback ?? 'empty'}) is used instead`,
    })

    return { ok: true, value: fallback }
  }
  if (NUMERIC_KINDS.has(kind.name)) noteOtherFormat(context, source, raw, format)

  return parsed
}

/**
 * Resolves a related record's name. With `createMissing`, a name found
 * nowhere (not even as a near miss) is reserved here, while rows are read in
 * file order, so the first row creates it and later rows link to it, and a
 * later near miss gets a "did you mean" like for a stored record.
 */
function readName(
  context: RowContext,
  source: FieldSource,
  prepared: PreparedRow,
  raw: string,
): ParseResult {
  const lookup = context.lookups.get(source.target!)!
  const found = lookup.resolve(raw)
  if (found.ok) {
    if (found.id > 0) return { ok: true, value: found.id }
    prepared.creates.push({ source, name: lookup.pendingName(found.id), pending: found.id })

    return EMPTY
  }
  // Near misses (a "did you mean" hint) are never created: the user has to confirm them.
  // TODO(#4): an option listing the confirmed names, so the preview's near misses can be created.
  if (!source.createMissing || found.code !== 'not-found' || found.similar)
    return { ok: false, message: found.message }
  // `&amp;` is literal text in a CSV, but a name holding it was copied from a web page:
  // decoding it would guess, storing it would show "&amp;" forever, so the user fixes the cell.
  const entity = htmlEntityIn(raw)
  if (entity !== undefined) {
    return {
      ok: false,
      message: `${found.message}; it is not created because it holds the HTML entity '${entity}' (copied from a web page?): write the character itself`,
    }
  }
  const pending = lookup.reserve(raw, prepared.line)
  prepared.creates.push({ source, name: lookup.pendingName(pending), pending })

  return EMPTY
}

function store(source: FieldSource, prepared: PreparedRow, raw: string, value: unknown): void {
  prepared.match[source.field] = value
  if (!source.matchOnly) prepared.input[source.field] = value
  if (value !== null) prepared.filled.add(source.field)
  if (prepared.preview) prepared.preview[source.field] = { raw, value }
}

function fail(source: FieldSource, prepared: PreparedRow, raw: string, message: string): void {
  prepared.errors.push({
    row: prepared.line,
    column: source.label,
    field: source.field,
    value: raw,
    message: `${source.definition.title}: ${message}`,
  })
  if (prepared.preview) prepared.preview[source.field] = { raw, value: null, error: message }
}

/** A value map entry replaces the whole cell; `null` empties it. */
function mapValue(raw: string, map: Map<string, string | null> | undefined): string {
  if (map === undefined || map.size === 0) return raw
  const mapped = map.get(valueKey(raw))

  return mapped === undefined ? raw : (mapped ?? '')
}

/** The row's currency: its currency column when read, else the field default. */
function currencyOf(context: RowContext, prepared: PreparedRow): string | undefined {
  const field = context.runtime.fields.get(CURRENCY_FIELD)
  if (field === undefined) return undefined
  const value = prepared.input[CURRENCY_FIELD]

  return typeof value === 'string'
    ? value
    : typeof field.default === 'string'
      ? field.default
      : undefined
}

/** Counts a failed number that the other decimal mark would read (same currency, same kind). */
function noteOtherFormat(
  context: RowContext,
  source: FieldSource,
  raw: string,
  format: TextFormat,
): void {
  const other = format.decimalMark === '.' ? ',' : '.'
  const parsed = kindOf(source.definition).parseText(raw, source.definition, {
    ...format,
    decimalMark: other,
  })
  if (parsed.ok)
    context.otherFormatHits.set(source.field, (context.otherFormatHits.get(source.field) ?? 0) + 1)
}

function multiply(value: number, factor: string): number {
  return Number(new Decimal(numberToDecimalText(value)).times(factor).toString())
}

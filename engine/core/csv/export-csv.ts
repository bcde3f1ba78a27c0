import { hiddenFields } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import type { LabelledRecord } from '../records/resolve-labels.ts'
import { targetOf } from '../relations/relation-graph.ts'
import type { ListQuery } from '../storage/list-query.ts'
import { linkCellsOf, linkColumnsOf } from './export-links.ts'
import { idHeader, idsHeader } from './id-columns.ts'
import type { ExportOptions } from './import-types.ts'
import { RECORD_ID_HEADER } from './record-id-column.ts'
import { csvLine, neutraliseFormula } from './write-cell.ts'

const PAGE = 500
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/
const SAFE_KINDS = new Set([
  'integer',
  'decimal',
  'currency',
  'percent',
  'date',
  'datetime',
  'boolean',
  'auto-number',
  'computed',
])

/**
 * Writes a module's records as CSV text, page by page (the database driver
 * cannot stream a result, so pages keep memory flat). Headers are the field
 * labels, relation and user cells hold the related record's title, numbers
 * are plain decimals with `.` (`,` in the excel flavour or with
 * `decimalMark: ','`), dates ISO. Many-to-many relations follow the
 * fields, one column each, headed by the relation's label, holding the
 * linked records' titles joined by "; ", a title holding ";" or "|" in
 * quotes (link-cell.ts) (every relation by default; only
 * `relations` when fields are chosen). Text a spreadsheet would run as a
 * formula (header labels too) starts with `'`.
 *
 * The lossless flavour writes values as stored, starts with a "Record ID"
 * column, and writes ids instead of titles, since two related records may
 * share a title: relation and user fields under `<label> (id)`, many-to-many
 * relations under `<label> (ids)` (id-columns.ts). `importCsv` maps those
 * headers by id without options, so re-importing the file gives the same
 * records and links. Unknown field or relation names throw QUERY_INVALID.
 *
 * @example
 * for await (const text of exportCsv(engine, 'potentials', { flavour: 'excel' })) out.write(text)
 */
export async function* exportCsv(
  engine: Engine,
  module: string,
  options: ExportOptions = {},
): AsyncIterable<string> {
  const runtime = engine.runtime(module)
  const hidden = options.actor ? hiddenFields(options.actor, runtime) : new Set<string>()
  const fields = fieldsOf(
    runtime,
    options.fields?.filter((name) => !hidden.has(name)),
  ).filter((name) => !hidden.has(name))
  const links = linkColumnsOf(runtime, options.relations, options.fields !== undefined, options.actor)
  const delimiter = options.flavour === 'excel' ? ';' : ','
  const safe = options.flavour !== 'lossless'
  // ";" between cells is what Excel expects where "," is the decimal mark, so numbers follow.
  const decimalComma = (options.decimalMark ?? (options.flavour === 'excel' ? ',' : '.')) === ','
  // The lossless flavour starts with the record id, which a re-import matches records by, and
  // names related records by id too: titles may be shared, ids are not.
  const withId = !safe
  const header = csvLine(
    [
      ...(withId ? [RECORD_ID_HEADER] : []),
      ...fields.map((name) => headerOf(runtime, name, withId, safe)),
      ...links.map((link) => (withId ? idsHeader(link.label) : cellText(link.label, safe))),
    ],
    delimiter,
  )
  yield options.flavour === 'excel' ? `\ufeff${header}` : header

  for await (const page of pages(engine, module, options.query ?? {}, options.actor)) {
    const linked = await linkCellsOf(engine, runtime, links, page.map((record) => record.id), options.actor, withId)
    let text = ''
    for (const record of page)
      text += csvLine(
        [
          ...(withId ? [String(record.id)] : []),
          ...fields.map((name) => cellOf(runtime, record, name, safe, decimalComma, withId)),
          ...linked.get(record.id)!.map((names) => cellText(names, safe)),
        ],
        delimiter,
      )
    yield text
  }
}

/** Keyset pages by id when the caller gave no sort (no slow OFFSET on big tables), else offset pages. */
async function* pages(
  engine: Engine,
  module: string,
  query: ListQuery,
  actor?: Actor,
): AsyncIterable<LabelledRecord[]> {
  const sorted = (query.sort ?? []).length > 0
  let after = 0
  let offset = query.offset ?? 0
  let remaining = query.limit ?? Number.POSITIVE_INFINITY
  while (remaining > 0) {
    const limit = Math.min(PAGE, remaining)
    const page = sorted
      ? await engine.records.list(module, { ...query, limit, offset, countTotal: false }, actor)
      : await engine.records.list(
          module,
          {
            ...query,
            offset: 0,
            limit,
            countTotal: false,
            sort: ['id'],
            filters: [
              ...(query.filters ?? []),
              { field: 'id', operator: 'gt', value: String(after) },
            ],
          },
          actor,
        )
    if (page.items.length === 0) return
    yield page.items
    remaining -= page.items.length
    offset += page.items.length
    after = page.items[page.items.length - 1].id
    if (page.items.length < limit) return
  }
}

function fieldsOf(runtime: ModuleRuntime, requested?: string[]): string[] {
  if (requested !== undefined) {
    const unknown = requested.filter((name) => !runtime.fields.has(name))
    if (unknown.length > 0) {
      throw new EngineError(
        'QUERY_INVALID',
        `cannot export ${unknown.join(', ')}: not a field of ${runtime.definition.label.plural}`,
        { fields: unknown },
      )
    }

    return requested
  }
  const inLayout = runtime.definition.layout.blocks
    .flatMap((block) => block.fields)
    .filter((name) => runtime.fields.has(name))

  return [...new Set([...inLayout, ...runtime.fields.keys()])]
}

function cellOf(
  runtime: ModuleRuntime,
  record: LabelledRecord,
  name: string,
  safe: boolean,
  decimalComma: boolean,
  byId: boolean,
): string {
  const field = runtime.fields.get(name)!
  const value = record[name]
  if (value === null || value === undefined) return ''
  if (targetOf(field) !== undefined)
    return byId ? String(value) : cellText(record._labels?.[name] ?? String(value), safe)
  const text = kindOf(field).formatText(value, field)
  if (decimalComma && typeof value === 'number' && PLAIN_NUMBER.test(text)) return text.replace('.', ',')

  return SAFE_KINDS.has(field['x-kind']) ? text : cellText(text, safe)
}

/** A field's header: its label, with the id suffix for a relation or user field written by id. */
function headerOf(runtime: ModuleRuntime, name: string, byId: boolean, safe: boolean): string {
  const field = runtime.fields.get(name)!

  return byId && targetOf(field) !== undefined ? idHeader(field.title) : cellText(field.title, safe)
}

/** Text cells (and header labels) are neutralised unless the export is lossless. */
function cellText(text: string, safe: boolean): string {
  return safe ? neutraliseFormula(text) : text
}

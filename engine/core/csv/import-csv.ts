import { assertCan, fieldAccess, visibleOwners } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { checkImportOptionsOrThrow } from './check-import-options.ts'
import { openCsvText, type CsvEncoding, type CsvSource } from './decode-bytes.ts'
import { withSavedMapping } from './import-mappings.ts'
import type { ImportControl, ImportOptions, ImportResult, ImportWarning } from './import-types.ts'
import { mapColumns, type ColumnPlan } from './map-columns.ts'
import { parseCsvRows, type CsvRow } from './parse-csv.ts'
import { readRow, type PreparedRow, type RowContext } from './read-row.ts'
import { scanNewNames } from './scan-new-names.ts'
import { NameLookup } from './resolve-names.ts'
import { RECORD_ID, RECORD_ID_HEADER } from './record-id-column.ts'
import { kindOf } from '../field-types/registry.ts'
import { loadDuplicateIndex, markWrittenBefore } from './find-duplicates.ts'
import { createImportLogTable, writtenByJob } from './import-log.ts'
import { writeBatch, type ImportState } from './write-batch.ts'

// TODO(#4): the bench imports 1,000,000 rows at 0.72-0.83 of a raw insert's rate with a peak RSS
// of 272-278 MB (target under 300): the memory margin is thin, mostly tsx and the loaded engine.
// SQLite's own work is half the CPU time (inserts into 9 indexes, the history rows, preparing the
// multi-row statements again in every batch: the libsql client caches none). Reading rows ahead in
// a worker thread was tried and dropped: copying the parsed rows between threads cost about as much
// as reading them, and the worker's heap and the queued rows added 150-200 MB.
/** Rows per transaction: with 5,000 a batch's commit costs little beside its rows (1,000 cost a third more). */
const DEFAULT_BATCH = 5000
/** More columns than any module has fields: a header past this is not a CSV header. */
const MAX_COLUMNS = 2000

/**
 * Imports a CSV file into a module, streaming: rows are read, parsed and
 * written batch by batch (one transaction per batch), never the whole file
 * at once. Every row goes through the field kinds' text parsers and
 * `composeRecord`, the validator of the API. Bad rows are reported in the
 * result and the good rows still import; it throws only when the file
 * cannot be read at all or the options are wrong (CSV_INVALID).
 *
 * A blocking warning found in the first batch (amounts that fail in the
 * chosen number format but read in the other one, UTF-8 bytes decoded as
 * Windows-1252) stops the import before its first write unless
 * `acceptWarnings` is set; the rest of the file is then checked as in a dry
 * run, `stopped` is true, `counts` says nothing was written and
 * `checkedCounts` what the run would have done.
 *
 * `control` is for import jobs (`createImportJobs`): a checkpoint written in
 * every batch's transaction, and resuming after the last committed line.
 *
 * @example
 * const result = await importCsv(engine, 'potentials', bytes, { decimalMark: ',' }, actor)
 * // result.counts: { rows: 5, created: 5, refused: 0, ... }
 */
export async function importCsv(
  engine: Engine,
  module: string,
  source: CsvSource,
  given: ImportOptions,
  actor: Actor,
  control: ImportControl = {},
): Promise<ImportResult> {
  const runtime = engine.runtime(module)
  assertCan(actor, runtime, 'import')
  const options = await withSavedMapping(engine, module, checkImportOptionsOrThrow(given))
  const { decision, chunks } = await openCsvText(source, options.encoding as CsvEncoding | 'auto')
  const { delimiter, rows } = await parseCsvRows(chunks, options.delimiter)
  const iterator = rows[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done) throw new EngineError('CSV_INVALID', 'the file has no header line')
  if (first.value.cells.length > MAX_COLUMNS) {
    throw new EngineError(
      'CSV_INVALID',
      `the header line has ${first.value.cells.length} columns; at most ${MAX_COLUMNS} are read - is this a CSV file with "${delimiter === '\t' ? 'tab' : delimiter}" as delimiter?`,
      { columns: first.value.cells.length },
    )
  }
  // A file that starts with the lossless export's Record ID column is one: its cells are as stored,
  // so a leading apostrophe is data (unescaping it would change the records it re-imports onto).
  const unescape = options.unescapeFormulas ?? !isLosslessExport(first.value.cells)
  const headers = first.value.cells.map((header) => {
    const text = header.replace(/^\ufeff/, '').trim()

    return unescape ? text.replace(/^'(?=[=+\-@\t\r'])/, '') : text
  })
  const plan = withoutForbiddenFields(mapColumns(runtime, headers, options), actor, runtime)
  const result = emptyResult(module, options, decision.encoding, delimiter, plan, headers)
  if (decision.reason === 'explicit' && decision.encoding !== 'utf-8' && decision.looksLikeUtf8) {
    result.warnings.push(encodingWarning(decision.encoding))
  }

  control.onOpened?.({ headers, delimiter, encoding: decision.encoding })
  const state = await prepareState(engine, actor, options, result, plan, runtime.name, control.resume !== undefined)
  state.control = control
  if (control.resume) Object.assign(result.counts, control.resume.counts)
  const context: RowContext = {
    runtime,
    plan,
    format: { decimalMark: options.decimalMark ?? '.', dateOrder: options.dateOrder ?? 'YMD' },
    lookups: state.lookups,
    unknownPicklistValues: options.unknownPicklistValues ?? 'refuse',
    unescapeFormulas: unescape,
    otherFormatHits: new Map(),
    withPreview: true,
  }
  await scanNewNames(source, decision.encoding, delimiter, context)
  await importRows(iterator, state, context, options, headers.length)
  result.warnings.push(...numberFormatWarnings(context, result, false))
  if (result.stopped) reportNothingWritten(result)

  return result
}

function isLosslessExport(header: string[]): boolean {
  return header[0]?.replace(/^\ufeff/, '').trim() === RECORD_ID_HEADER
}

/** A stopped import wrote nothing: its counts say so, and what the check found moves aside. */
function reportNothingWritten(result: ImportResult): void {
  result.checkedCounts = { ...result.counts }
  Object.assign(result.counts, { created: 0, updated: 0, skipped: 0, links: 0, relatedCreated: 0 })
}

/** Reads the rows after the header, batch by batch; the first batch may stop the import. */
async function importRows(
  iterator: AsyncIterator<CsvRow>,
  state: ImportState,
  context: RowContext,
  options: ImportOptions,
  width: number,
): Promise<void> {
  const { result } = state
  const batchSize = options.batchSize ?? DEFAULT_BATCH
  const previewRows = options.previewRows ?? 5
  const resumeAfter = state.control.resume?.afterLine ?? 0
  let batch: PreparedRow[] = []
  // A resumed import passed its first batch before: its warnings were accepted or absent.
  let firstBatch = resumeAfter === 0
  let lastLine = resumeAfter
  let flushedLine = resumeAfter
  const flush = async () => {
    if (firstBatch) stopOnWarnings(state, options, context)
    firstBatch = false
    await writeBatch(state, batch, lastLine)
    flushedLine = lastLine
    // The database calls resolve at once, so without this the whole import would run as one
    // chain of microtasks: requests would wait for it, and so would the garbage collector's own
    // tasks (its heap then grew to a gigabyte on a busy machine while 25 MB were live).
    await new Promise((resolve) => setImmediate(resolve))
    batch = []
    options.onProgress?.({
      module: result.module,
      rows: result.counts.rows,
      ...pick(result.counts),
    })
  }

  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const row = next.value
    if (row.line <= resumeAfter) continue
    lastLine = row.line
    if (isBlank(row)) {
      result.counts.blank++
      if (result.blankLines.length < state.maxErrors) result.blankLines.push(row.line)
      continue
    }
    result.counts.rows++
    context.withPreview = result.preview.length < previewRows
    const prepared = readRow(context, fitRow(row, width))
    if (prepared.preview) result.preview.push({ row: row.line, values: prepared.preview })
    for (const notice of prepared.notices) {
      if (result.notices.length < state.maxErrors) result.notices.push(notice)
    }
    if (row.cells.length !== width && !onlyEmptyBeyond(row, width)) {
      prepared.errors.unshift({
        row: row.line,
        column: null,
        field: null,
        value: null,
        message: `the row has ${row.cells.length} cells but the header has ${width}; a delimiter or a quote is probably missing or extra`,
      })
    }
    // A quote mistake or NUL the reader found: first, as the likely cause of any other error.
    if (row.problem) {
      const { column, message } = row.problem
      const value = row.cells[column] ?? null
      const label = result.headers[column] ?? `column ${column + 1}`
      prepared.errors.unshift({ row: row.line, column: label, field: null, value, message })
    }
    batch.push(prepared)
    if (batch.length >= batchSize) await flush()
  }
  // Blank lines after the last batch still move the checkpoint, so a resume does not count them twice.
  if (batch.length > 0 || firstBatch || lastLine > flushedLine) await flush()
}

function encodingWarning(encoding: string): ImportWarning {
  return {
    code: 'encoding',
    blocking: true,
    message: `the file is valid UTF-8 and holds multi-byte characters, so ${encoding} is probably wrong: accented letters would be stored as "Ã©"; import it as UTF-8`,
  }
}

/** Columns of fields the actor's role may not write are listed, not imported. */
function withoutForbiddenFields(
  plan: ColumnPlan,
  actor: Actor,
  runtime: ModuleRuntime,
): ColumnPlan {
  const forbidden = plan.sources.filter(
    (source) => !source.matchOnly && fieldAccess(actor, runtime, source.field) !== 'write',
  )
  if (forbidden.length === 0) return plan
  for (const source of forbidden) {
    const column = plan.columns.find((item) => item.field === source.field)
    const message = `not imported: your role may not change ${source.definition.title}`
    if (column) column.note = message
    plan.warnings.push({ code: 'ignored-column', blocking: false, column: source.label, message })
  }

  return { ...plan, sources: plan.sources.filter((source) => !forbidden.includes(source)) }
}

/** Loads what every batch needs once: names of related records and the duplicate index. */
async function prepareState(
  engine: Engine,
  actor: Actor,
  options: ImportOptions,
  result: ImportResult,
  plan: ColumnPlan,
  module: string,
  resumed: boolean,
): Promise<ImportState> {
  const runtime = engine.runtime(module)
  const targets = new Set<string>([
    ...plan.sources
      .filter((source) => source.target && source.by === 'name')
      .map((source) => source.target!),
    ...plan.links.filter((link) => link.by === 'name').map((link) => link.target),
  ])
  const lookups = new Map<string, NameLookup>()
  if (options.jobId !== undefined && !options.dryRun)
    await engine.db.write((trx) => createImportLogTable(trx))
  const duplicates = await engine.db.read(async (reader) => {
    for (const target of targets) {
      const targetRuntime = engine.runtime(target)
      const scope = visibleOwners(actor, targetRuntime)
      lookups.set(target, await new NameLookup(targetRuntime).load(reader, scope))
    }

    const rule = options.duplicates ?? autoNumberRule(runtime, plan, result)
    if (!rule) return undefined
    const index = await loadDuplicateIndex(reader, runtime, checkRule(runtime, rule), visibleOwners(actor, runtime))
    if (resumed && options.jobId !== undefined) markWrittenBefore(index, await writtenByJob(reader, options.jobId, module))

    return index
  })

  return {
    engine,
    runtime,
    actor,
    dryRun: options.dryRun === true,
    result,
    lookups,
    labels: new Map(plan.sources.map((source) => [source.field, source.label])),
    maxErrors: options.maxErrors ?? 10_000,
    duplicates,
    placeholders: new Set(),
    uniqueSeen: new Map(),
    jobId: options.jobId,
    control: {},
    batchRefused: [],
    width: plan.columns.length,
  }
}

/**
 * Without a duplicate rule, a column holding the record id (the lossless
 * export's first column) or the module's auto-number (any export has it)
 * finds the records to update: re-importing one's own export updates the
 * records it came from instead of copying them. A row whose id or number is
 * empty or unknown creates a new record.
 */
function autoNumberRule(
  runtime: ModuleRuntime,
  plan: ColumnPlan,
  result: ImportResult,
): NonNullable<ImportOptions['duplicates']> | undefined {
  const source =
    plan.sources.find((item) => item.field === RECORD_ID && item.column !== undefined) ??
    plan.sources.find(
      (item) => item.column !== undefined && kindOf(item.definition).name === 'auto-number',
    )
  if (source === undefined) return undefined
  const what = source.field === RECORD_ID ? 'id' : 'number'
  result.warnings.push({
    code: 'auto-number-match',
    blocking: false,
    column: source.label,
    message: `rows are matched to existing ${runtime.definition.label.plural.toLowerCase()} by "${source.label}": a row whose ${what} exists updates that record, a row without one (or with an unknown one) creates a new record; give a duplicate rule to decide otherwise`,
  })

  return { match: [source.field], action: 'update' }
}

function checkRule(
  runtime: ImportState['runtime'],
  rule: NonNullable<ImportOptions['duplicates']>,
) {
  const unknown = rule.match.filter((name) => name !== RECORD_ID && !runtime.fields.has(name))
  if (rule.match.length === 0 || unknown.length > 0) {
    throw new EngineError(
      'CSV_INVALID',
      `the duplicate rule needs fields of ${runtime.definition.label.plural}; unknown: ${unknown.join(', ') || '(none given)'}`,
      { match: rule.match },
    )
  }
  if (!['skip', 'update', 'merge'].includes(rule.action)) {
    throw new EngineError(
      'CSV_INVALID',
      `the duplicate action "${rule.action}" is unknown; use skip, update or merge`,
      { action: rule.action },
    )
  }

  return rule
}

/** Before the first write: a blocking warning turns the import into a dry run. */
function stopOnWarnings(state: ImportState, options: ImportOptions, context: RowContext): void {
  const { result } = state
  result.warnings.push(...numberFormatWarnings(context, result, true))
  if (state.dryRun || options.acceptWarnings) return
  if (result.warnings.some((warning) => warning.blocking)) {
    state.dryRun = true
    result.stopped = true
  }
}

/** Columns where cells failed in the chosen decimal mark but read in the other one. */
function numberFormatWarnings(
  context: RowContext,
  result: ImportResult,
  blocking: boolean,
): ImportWarning[] {
  const warnings: ImportWarning[] = []
  for (const [field, count] of context.otherFormatHits) {
    if (
      result.warnings.some(
        (warning) => warning.code === 'number-format' && warning.column === field,
      )
    )
      continue
    const source = context.plan.sources.find((item) => item.field === field)!
    const chosen = context.format.decimalMark
    const other = chosen === '.' ? ',' : '.'
    warnings.push({
      code: 'number-format',
      blocking,
      column: field,
      message: `${count} value(s) of "${source.label}" are not numbers with "${chosen}" as decimal mark but are with "${other}": the file probably uses "${other}"; values like 12.000 would then be read wrongly too - check the number format`,
    })
  }

  return warnings
}

function emptyResult(
  module: string,
  options: ImportOptions,
  encoding: ImportResult['encoding'],
  delimiter: ImportResult['delimiter'],
  plan: ColumnPlan,
  headers: string[],
): ImportResult {
  return {
    module,
    dryRun: options.dryRun === true,
    stopped: false,
    encoding,
    delimiter,
    columns: plan.columns,
    counts: {
      rows: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      refused: 0,
      blank: 0,
      links: 0,
      relatedCreated: 0,
    },
    blankLines: [],
    errors: [],
    notices: [],
    warnings: [...plan.warnings],
    preview: [],
    refusedRows: [],
    headers,
  }
}

/** A row of empty cells, such as `,,,,` left behind by a spreadsheet. */
function isBlank(row: CsvRow): boolean {
  return row.cells.every((cell) => cell.trim() === '')
}

function onlyEmptyBeyond(row: CsvRow, width: number): boolean {
  return row.cells.length > width && row.cells.slice(width).every((cell) => cell.trim() === '')
}

/** Extra empty cells at the end are dropped; a ragged row is reported by the caller. */
function fitRow(row: CsvRow, width: number): CsvRow {
  return row.cells.length > width && onlyEmptyBeyond(row, width)
    ? { line: row.line, cells: row.cells.slice(0, width) }
    : row
}

function pick(counts: ImportResult['counts']) {
  return {
    created: counts.created,
    updated: counts.updated,
    skipped: counts.skipped,
    refused: counts.refused,
  }
}

export type { CsvSource }
export type { ImportOptions, ImportResult, RowError } from './import-types.ts'

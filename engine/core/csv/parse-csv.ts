import Papa from 'papaparse'
import { EngineError } from '../errors.ts'

export type CsvDelimiter = ',' | ';' | '\t' | '|'

/** One record of the file with the line it starts on (1-based, the header is line 1). */
export interface CsvRow {
  line: number
  cells: string[]
}

const CANDIDATES: CsvDelimiter[] = [',', ';', '\t', '|']
/** One record longer than this is not data but an unclosed quote or a file that is not CSV. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024
const LINE_BREAK = /\r\n|\r|\n/g

/**
 * Picks the delimiter from the header line: the candidate found most often
 * outside quotes. A header with none of them is one column, read with `,`.
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>()
  let quoted = false
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted
    else if (!quoted && CANDIDATES.includes(char as CsvDelimiter)) {
      counts.set(char as CsvDelimiter, (counts.get(char as CsvDelimiter) ?? 0) + 1)
    }
  }
  let best: CsvDelimiter = ','
  for (const candidate of CANDIDATES)
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate

  return best
}

/**
 * Parses decoded text into rows chunk by chunk, so memory stays flat on any
 * file size. The delimiter is detected from the first line unless given. Rows come with
 * the line they start on, counting line breaks inside quoted cells.
 */
export async function parseCsvRows(
  text: AsyncIterable<string>,
  requested?: CsvDelimiter,
): Promise<{ delimiter: CsvDelimiter; rows: AsyncIterable<CsvRow> }> {
  const iterator = text[Symbol.asyncIterator]()
  let head = ''
  let done = false
  // Read past the first line break (and one more character, to tell \r\n from \r).
  while (!done && !/[\r\n][^]/.test(head) && head.length < 1 << 20) {
    const next = await iterator.next()
    if (next.done) done = true
    else head += next.value
  }
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1)
  if (head.trim() === '' && done)
    throw new EngineError(
      'CSV_INVALID',
      'the file is empty: it needs a header line and at least one row',
    )
  const delimiter = requested ?? detectDelimiter(head.split(/\r\n|\r|\n/, 1)[0])

  return { delimiter, rows: numberRows(streamRows(head, done ? undefined : iterator, delimiter)) }
}

/**
 * Feeds papaparse's core parser one decoded chunk at a time: each call
 * returns the complete rows and the text of the unfinished last row, which is
 * prepended to the next chunk. Memory stays at one chunk's rows. (Its Node
 * duplex stream re-copies the rest of a chunk on every backpressure pause,
 * which made large files several times slower.)
 */
async function* streamRows(
  head: string,
  rest: AsyncIterator<string> | undefined,
  delimiter: CsvDelimiter,
): AsyncIterable<string[]> {
  const parser = new Papa.Parser({ delimiter, newline: newlineOf(head) })
  let partial = ''
  let rowsBefore = 0
  let text: string | undefined = head
  while (text !== undefined) {
    const aggregate = partial + text
    const results = parser.parse(aggregate, 0, true) as {
      data: string[][]
      meta: { cursor: number }
    }
    partial = aggregate.slice(results.meta.cursor)
    if (partial.length > MAX_RECORD_CHARS) {
      throw new EngineError(
        'CSV_INVALID',
        `a row after line ${rowsBefore + results.data.length} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB: a quote is probably never closed, or the file is not a CSV file`,
        { afterRow: rowsBefore + results.data.length },
      )
    }
    rowsBefore += results.data.length
    yield* results.data
    const next = rest === undefined ? undefined : await rest.next()
    text = next === undefined || next.done ? undefined : next.value
  }
  if (partial !== '') yield* (parser.parse(partial, 0, false) as { data: string[][] }).data
}

/** The line break of the file, from its first line. */
function newlineOf(head: string): '\r\n' | '\n' | '\r' {
  const index = head.search(/[\r\n]/)
  if (index === -1 || head[index] === '\n') return '\n'

  return head[index + 1] === '\n' ? '\r\n' : '\r'
}

/** Adds line numbers; drops the empty row papaparse reports after a final line break. */
async function* numberRows(rows: AsyncIterable<string[]>): AsyncIterable<CsvRow> {
  let line = 1
  let pending: CsvRow | undefined
  for await (const cells of rows) {
    if (pending) yield pending
    pending = { line, cells }
    line += 1
    for (const cell of cells) if (cell.length > 0) line += cell.match(LINE_BREAK)?.length ?? 0
  }
  if (pending && !(pending.cells.length === 1 && pending.cells[0] === '')) yield pending
}

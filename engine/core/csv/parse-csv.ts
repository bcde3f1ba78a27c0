import { EngineError } from '../errors.ts'
import { CsvRecordReader, type CsvRow } from './read-records.ts'

export type { CsvRow, CsvRowProblem } from './read-records.ts'

export type CsvDelimiter = ',' | ';' | '\t' | '|'

const CANDIDATES: CsvDelimiter[] = [',', ';', '\t', '|']
/** One record longer than this is not data but an unclosed quote or a file that is not CSV. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024

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
  // Read past the header's end (and one more character, to tell \r\n from \r): its first line
  // break outside quotes, since Excel writes headers with line breaks inside quoted names.
  while (!done && !(headerEnd(head) < head.length - 1) && head.length < 1 << 20) {
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
  const delimiter = requested ?? detectDelimiter(head.slice(0, headerEnd(head)))

  return { delimiter, rows: streamRows(head, done ? undefined : iterator, delimiter) }
}

/** Where the header record ends: its first line break outside quotes, or the text's end. */
function headerEnd(text: string): number {
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (char === 34) quoted = !quoted
    else if (!quoted && (char === 10 || char === 13)) return index
  }

  return text.length
}

/**
 * Feeds the reader one decoded chunk at a time: each call gives the complete
 * rows and the text of the unfinished last row, which is prepended to the
 * next chunk. Memory stays at one chunk's rows.
 */
async function* streamRows(
  head: string,
  rest: AsyncIterator<string> | undefined,
  delimiter: CsvDelimiter,
): AsyncIterable<CsvRow> {
  const reader = new CsvRecordReader(delimiter)
  let partial = ''
  let text: string | undefined = head
  while (text !== undefined) {
    const rows: CsvRow[] = []
    partial = reader.read(partial + text, false, rows)
    if (partial.length > MAX_RECORD_CHARS) {
      throw new EngineError(
        'CSV_INVALID',
        `line ${reader.line}: the row starting here is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB: a quote is probably never closed, or the file is not a CSV file`,
        { line: reader.line },
      )
    }
    yield* checkHeader(rows)
    const next = rest === undefined ? undefined : await rest.next()
    text = next === undefined || next.done ? undefined : next.value
  }
  const rows: CsvRow[] = []
  reader.read(partial, true, rows)
  yield* checkHeader(rows)
}

/** A header the reader had to fault cannot name the columns: the file is refused. */
function checkHeader(rows: CsvRow[]): CsvRow[] {
  const header = rows[0]
  if (header?.line === 1 && header.problem !== undefined) {
    throw new EngineError(
      'CSV_INVALID',
      `line 1 (the header), column ${header.problem.column + 1}: ${header.problem.message}`,
      { line: 1 },
    )
  }

  return rows
}

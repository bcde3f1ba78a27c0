import Papa from 'papaparse'
import type { Duplex } from 'node:stream'
import { EngineError } from '../errors.ts'

export type CsvDelimiter = ',' | ';' | '\t' | '|'

/** One record of the file with the line it starts on (1-based, the header is line 1). */
export interface CsvRow {
  line: number
  cells: string[]
}

const CANDIDATES: CsvDelimiter[] = [',', ';', '\t', '|']
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
  for (const candidate of CANDIDATES) if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate

  return best
}

/**
 * Parses decoded text into rows with papaparse's streaming duplex, which
 * pauses while the consumer is busy, so memory stays flat on any file size.
 * The delimiter is detected from the first line unless given. Rows come with
 * the line they start on, counting line breaks inside quoted cells.
 */
export async function parseCsvRows(
  text: AsyncIterable<string>,
  requested?: CsvDelimiter,
): Promise<{ delimiter: CsvDelimiter; rows: AsyncIterable<CsvRow> }> {
  const iterator = text[Symbol.asyncIterator]()
  let head = ''
  let done = false
  while (!done && !/[\r\n]/.test(head) && head.length < 1 << 20) {
    const next = await iterator.next()
    if (next.done) done = true
    else head += next.value
  }
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1)
  if (head.trim() === '' && done) throw new EngineError('CSV_INVALID', 'the file is empty: it needs a header line and at least one row')
  const delimiter = requested ?? detectDelimiter(head.split(/\r\n|\r|\n/, 1)[0])

  return { delimiter, rows: numberRows(streamRows(head, done ? undefined : iterator, delimiter)) }
}

async function* streamRows(head: string, rest: AsyncIterator<string> | undefined, delimiter: CsvDelimiter): AsyncIterable<string[]> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, header: false, skipEmptyLines: false }) as unknown as Duplex
  const pump = (async () => {
    try {
      await write(parser, head)
      if (rest !== undefined) for (let next = await rest.next(); !next.done; next = await rest.next()) await write(parser, next.value)
      parser.end()
    } catch (error) {
      parser.destroy(error as Error)
    }
  })()
  try {
    for await (const row of parser) yield row as string[]
  } finally {
    parser.destroy()
    await pump
  }
}

function write(stream: Duplex, chunk: string): Promise<void> {
  if (chunk === '' || stream.destroyed) return Promise.resolve()
  if (stream.write(chunk)) return Promise.resolve()

  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      stream.off('error', reject)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
    stream.once('error', reject)
  })
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

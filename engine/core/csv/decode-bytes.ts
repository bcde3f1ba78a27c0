import iconv from 'iconv-lite'
import { EngineError } from '../errors.ts'
import { utf16WithoutBom } from './sniff-utf16.ts'
import { Utf8Scanner } from './utf8-scanner.ts'

/** Encodings the importer reads. `iso-8859-1` is read as its printable superset Windows-1252. */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'iso-8859-1' | 'utf-16le' | 'utf-16be'

/** Bytes of a CSV file: all at once, a one-shot stream, or a stream that can be opened again. */
export type CsvSource = Uint8Array | AsyncIterable<Uint8Array> | (() => AsyncIterable<Uint8Array>)

/** What the decoder found out about the bytes before any row was read. */
export interface EncodingDecision {
  encoding: CsvEncoding
  /** How it was chosen: a byte order mark, the caller, or the bytes themselves. */
  reason: 'bom' | 'explicit' | 'detected'
  hasBom: boolean
  /** True when the bytes seen so far hold valid multi-byte UTF-8 sequences. */
  looksLikeUtf8: boolean
}

/** How much of a one-shot stream is held back to choose the encoding (the whole file when smaller). */
const SNIFF_BYTES = 256 * 1024

const UTF8_BOM = [0xef, 0xbb, 0xbf]

/**
 * Decodes a CSV source to text chunks without holding the file whole.
 *
 * With `encoding` left out (auto): a byte order mark decides; otherwise the
 * bytes are read as UTF-8 when they are valid UTF-8 and as Windows-1252 when
 * they are not. An explicit UTF-8 on invalid bytes throws CSV_INVALID naming
 * the line, before a single row is returned, for sources that can be read
 * twice (bytes, re-openable streams). A one-shot stream is checked on its
 * first 256 KB; see `decodeCsvSource` for what happens after that.
 */
export async function openCsvText(
  source: CsvSource,
  requested?: CsvEncoding | 'auto',
): Promise<{ decision: EncodingDecision; chunks: AsyncIterable<string> }> {
  const explicit = requested === undefined || requested === 'auto' ? undefined : requested
  if (source instanceof Uint8Array || typeof source === 'function') {
    const decision = await decideByScan(source, explicit)

    return { decision, chunks: decodeStream(openBytes(source), decision) }
  }
  const { head, rest } = await sniff(source)
  const decision = decideFromBytes(head, explicit, rest === undefined)

  return { decision, chunks: decodeStream(prepend(head, rest), decision) }
}

/** A source that reads a file again each time it is opened. */
export function fileSource(path: string): () => AsyncIterable<Uint8Array> {
  return () => readFileChunks(path)
}

async function* readFileChunks(path: string): AsyncIterable<Uint8Array> {
  const { createReadStream } = await import('node:fs')
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }))
    yield chunk as Uint8Array
}

function openBytes(
  source: Uint8Array | (() => AsyncIterable<Uint8Array>),
): AsyncIterable<Uint8Array> {
  return source instanceof Uint8Array ? single(source) : source()
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}

/** How much of a file's start decides its byte order mark and a UTF-16 guess. */
const HEAD_BYTES = 4096

/** Reads the whole source once, so invalid UTF-8 is found before anything is imported. */
async function decideByScan(
  source: Uint8Array | (() => AsyncIterable<Uint8Array>),
  explicit: CsvEncoding | undefined,
): Promise<EncodingDecision> {
  const scanner = new Utf8Scanner()
  // The byte order mark and the UTF-16 sniff look at the file's first 4 KB, whatever the chunk
  // sizes a caller's stream comes in (a 1-byte first chunk made a UTF-16 file look like UTF-8).
  const headParts: Uint8Array[] = []
  let headBytes = 0
  for await (const chunk of openBytes(source)) {
    if (headBytes < HEAD_BYTES) {
      headParts.push(chunk.subarray(0, HEAD_BYTES - headBytes))
      headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes)
    }
    scanner.push(chunk)
    if (scanner.invalidLine !== undefined && headBytes >= HEAD_BYTES) break
  }
  scanner.end()
  const head = Buffer.concat(headParts)

  return decide(head, explicit, scanner)
}

function decideFromBytes(
  head: Uint8Array,
  explicit: CsvEncoding | undefined,
  complete: boolean,
): EncodingDecision {
  const scanner = new Utf8Scanner()
  scanner.push(head)
  if (complete) scanner.end()

  return decide(head, explicit, scanner)
}

function decide(
  head: Uint8Array,
  explicit: CsvEncoding | undefined,
  scanner: Utf8Scanner,
): EncodingDecision {
  const bom = bomOf(head)
  const looksLikeUtf8 = scanner.invalidLine === undefined && scanner.multiByte
  if (bom !== undefined && (explicit === undefined || explicit === bom)) {
    return { encoding: bom, reason: 'bom', hasBom: true, looksLikeUtf8: bom === 'utf-8' }
  }
  const utf16 = bom === undefined ? utf16WithoutBom(head) : undefined
  if (utf16 !== undefined && explicit === undefined)
    return { encoding: utf16, reason: 'detected', hasBom: false, looksLikeUtf8: false }
  if (utf16 !== undefined && explicit !== 'utf-16le' && explicit !== 'utf-16be') {
    // Read as the chosen encoding, every other character would be a NUL and every row would fail.
    throw new EngineError(
      'CSV_INVALID',
      `the file looks like UTF-16 (every other byte is zero), not ${explicit}: choose UTF-16, or save the file as UTF-8`,
      { encoding: explicit, suggestion: utf16 },
    )
  }
  if (explicit === 'utf-8' && scanner.invalidLine !== undefined) {
    throw new EngineError(
      'CSV_INVALID',
      `line ${scanner.invalidLine} is not valid UTF-8 - try Windows-1252 (the usual encoding of Excel files saved as "CSV (comma delimited)")`,
      { line: scanner.invalidLine, encoding: 'utf-8', suggestion: 'windows-1252' },
    )
  }
  if (explicit !== undefined)
    return { encoding: explicit, reason: 'explicit', hasBom: bom !== undefined, looksLikeUtf8 }
  const encoding: CsvEncoding = scanner.invalidLine === undefined ? 'utf-8' : 'windows-1252'

  return { encoding, reason: 'detected', hasBom: false, looksLikeUtf8 }
}

function bomOf(head: Uint8Array): CsvEncoding | undefined {
  if (UTF8_BOM.every((byte, index) => head[index] === byte)) return 'utf-8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'

  return undefined
}

async function sniff(
  source: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; rest?: AsyncIterator<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]()
  const parts: Uint8Array[] = []
  let size = 0
  while (size < SNIFF_BYTES) {
    const next = await iterator.next()
    if (next.done) return { head: concat(parts, size) }
    parts.push(next.value)
    size += next.value.length
  }

  return { head: concat(parts, size), rest: iterator }
}

async function* prepend(
  head: Uint8Array,
  rest?: AsyncIterator<Uint8Array>,
): AsyncIterable<Uint8Array> {
  if (head.length > 0) yield head
  if (rest === undefined) return
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/**
 * Turns bytes into text. A UTF-8 decision is checked byte by byte as the
 * stream goes: when a one-shot stream turns out to hold invalid UTF-8 after
 * the sniffed part, the rest is read as Windows-1252 if nothing but ASCII came
 * before (then both readings agree on everything already returned); a file
 * that mixes valid multi-byte UTF-8 with invalid bytes throws CSV_INVALID.
 */
async function* decodeStream(
  bytes: AsyncIterable<Uint8Array>,
  decision: EncodingDecision,
): AsyncIterable<string> {
  if (decision.encoding !== 'utf-8') {
    const decoder = iconv.getDecoder(iconvName(decision.encoding), { stripBOM: true })
    for await (const chunk of bytes) {
      const text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length))
      yield decision.encoding === 'windows-1252' || decision.encoding === 'iso-8859-1'
        ? keepUndefinedBytes(text, chunk)
        : text
    }
    const tail = decoder.end()
    if (tail) yield tail

    return
  }
  const scanner = new Utf8Scanner()
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  const iterator = bytes[Symbol.asyncIterator]()
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const chunk = next.value
    const before = { multiByte: scanner.multiByte, line: scanner.line }
    scanner.push(chunk)
    if (scanner.invalidLine === undefined) {
      yield decoder.decode(chunk, { stream: true })
      continue
    }
    // TODO(#4): a one-shot stream given to importCsv by a caller is only sniffed on its first
    // 256 KB, so this refusal can come after earlier batches were written. HTTP uploads are
    // stored as files first and scanned whole; other callers should pass re-openable sources.
    if (before.multiByte || decision.reason !== 'detected') {
      throw new EngineError(
        'CSV_INVALID',
        `line ${scanner.invalidLine} is not valid UTF-8 although the lines before it are; the file mixes encodings - save it again as UTF-8`,
        {
          line: scanner.invalidLine,
        },
      )
    }
    // Only ASCII came before this chunk: read the rest as Windows-1252.
    const rest = decodeStream(remaining(chunk, iterator), { ...decision, encoding: 'windows-1252' })
    yield* rest

    return
  }
  scanner.end()
  if (scanner.invalidLine !== undefined) {
    throw new EngineError(
      'CSV_INVALID',
      `line ${scanner.invalidLine} ends in the middle of a UTF-8 character`,
      { line: scanner.invalidLine },
    )
  }
  const tail = decoder.decode()
  if (tail) yield tail
}

async function* remaining(
  first: Uint8Array,
  iterator: AsyncIterator<Uint8Array>,
): AsyncIterable<Uint8Array> {
  yield first
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
}

function iconvName(encoding: CsvEncoding): string {
  return encoding === 'iso-8859-1' ? 'windows-1252' : encoding
}

/**
 * iconv-lite turns the five bytes Windows-1252 leaves undefined (0x81, 0x8D,
 * 0x8F, 0x90, 0x9D) into U+FFFD; browsers map them to the same-numbered C1
 * code points, which keeps the text lossless. Single-byte: char i is byte i.
 */
function keepUndefinedBytes(text: string, chunk: Uint8Array): string {
  if (!text.includes('\ufffd')) return text
  let result = ''
  for (let index = 0; index < text.length; index++) {
    result += text[index] === '\ufffd' ? String.fromCharCode(chunk[index]) : text[index]
  }

  return result
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]
  const result = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    result.set(part, offset)
    offset += part.length
  }

  return result
}

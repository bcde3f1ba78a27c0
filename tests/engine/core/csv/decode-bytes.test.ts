import { describe, expect, it } from 'vitest'
import { openCsvText, type CsvSource } from '../../../../engine/core/csv/decode-bytes.ts'

async function decode(source: CsvSource, encoding?: Parameters<typeof openCsvText>[1]) {
  const { decision, chunks } = await openCsvText(source, encoding)
  let text = ''
  for await (const chunk of chunks) text += chunk

  return { decision, text }
}

async function* stream(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part
}

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('openCsvText', () => {
  it('reads UTF-8 with and without a byte order mark, and drops the mark', async () => {
    expect(await decode(utf8('\ufeffName\nCafé\n'))).toMatchObject({
      text: 'Name\nCafé\n',
      decision: { encoding: 'utf-8', reason: 'bom' },
    })
    expect(await decode(utf8('Name\nCafé\n'))).toMatchObject({
      text: 'Name\nCafé\n',
      decision: { encoding: 'utf-8', reason: 'detected' },
    })
  })

  it('keeps a character split across two chunks', async () => {
    const bytes = utf8('a,€\n')
    const { text } = await decode(stream(bytes.slice(0, 3), bytes.slice(3)))

    expect(text).toBe('a,€\n')
  })

  it('reads Windows-1252 with its own table: 0x80 is €, 0x96 is –, undefined bytes stay C1 code points', async () => {
    const { text, decision } = await decode(new Uint8Array([0x41, 0x80, 0x96, 0x81, 0x0a]))

    expect(decision.encoding).toBe('windows-1252')
    expect(text).toBe('A€–\u0081\n')
    expect(text).not.toContain('\ufffd')
  })

  it('reads UTF-16 files by their byte order mark', async () => {
    const { text, decision } = await decode(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00]))

    expect(decision.encoding).toBe('utf-16le')
    expect(text).toBe('Aé')
  })

  it('refuses invalid UTF-8 declared as UTF-8, naming the line', async () => {
    await expect(
      decode(new Uint8Array([...utf8('a\nb\n'), 0xe9, 0x0a]), 'utf-8'),
    ).rejects.toMatchObject({ code: 'CSV_INVALID', details: { line: 3 } })
  })

  it('switches a one-shot stream to Windows-1252 when the first invalid byte comes after plain ASCII', async () => {
    const ascii = utf8(`${'x'.repeat(300 * 1024)}\n`)
    const { text, decision } = await decode(
      stream(ascii, new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x0a])),
    )

    expect(decision.encoding).toBe('utf-8')
    expect(text.endsWith('Café\n')).toBe(true)
  })

  it('refuses a one-shot stream that mixes valid UTF-8 with invalid bytes later on', async () => {
    const head = utf8(`Café\n${'x'.repeat(300 * 1024)}\n`)

    await expect(decode(stream(head, new Uint8Array([0xe9, 0x0a])))).rejects.toMatchObject({
      code: 'CSV_INVALID',
      details: { line: 3 },
    })
  })

  it('scans a re-openable source completely before the first row', async () => {
    let opened = 0
    const source = () => {
      opened++

      return stream(utf8(`${'x'.repeat(300 * 1024)}\n`), new Uint8Array([0xe9, 0x0a]))
    }
    const { text, decision } = await decode(source)

    expect(decision.encoding).toBe('windows-1252')
    expect(text.endsWith('é\n')).toBe(true)
    expect(opened).toBe(2)
  })
})

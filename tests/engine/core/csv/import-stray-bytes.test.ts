import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { ImportOptions } from '../../../../engine/core/csv/import-types.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

const HEADER = 'Potential Name,Expected Close Date,Sales Stage,Description'
const CSV = `${HEADER}\r\nCafé deal,2026-01-01,Prospecting,x\r\nB,2026-01-01,Prospecting,y\r\n`

async function setup() {
  const { engine, admin } = await createTestEngine()
  const run = (bytes: Uint8Array, options: ImportOptions = {}) =>
    importCsv(engine, 'potentials', bytes, options, admin)
  const stored = async () =>
    (await engine.records.list('potentials', { limit: 50, sort: ['id'] })).items.map((record) => [
      record.potentialname,
      record.description,
    ])

  return { run, stored }
}

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('importCsv: byte order marks, NUL characters and UTF-16 without a BOM', () => {
  it('strips a byte order mark at the start of any line or cell, as left by files glued together', async () => {
    const { run, stored } = await setup()
    const csv = `\ufeff${HEADER}\n\ufeffA,2026-01-01,Prospecting,\ufeffx\n\ufeff"B",2026-01-01,Prospecting,"y\n\ufeffz"\n`
    const result = await run(utf8(csv))

    expect(result.counts).toMatchObject({ created: 2, refused: 0 })
    expect(await stored()).toEqual([
      ['A', 'x'],
      ['B', 'y\nz'],
    ])
  })

  it('refuses a cell holding a NUL character instead of storing the text cut short', async () => {
    const { run, stored } = await setup()
    const result = await run(utf8(`${HEADER}\nA\0B,2026-01-01,Prospecting,x\nC,2026-01-01,Prospecting,"two\nlines\0"\n`))

    expect(result.counts).toMatchObject({ rows: 2, created: 0, refused: 2 })
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Potential Name', message: expect.stringMatching(/NUL character; is this a binary or UTF-16 file/) }),
      expect.objectContaining({ row: 3, column: 'Description' }),
    ])
    expect(await stored()).toEqual([])
  })

  it.each(['utf-16le', 'utf-16be'] as const)('reads %s without a byte order mark', async (encoding) => {
    const { run, stored } = await setup()
    const result = await run(new Uint8Array(iconv.encode(CSV, encoding)))

    expect(result.encoding).toBe(encoding)
    expect(result.counts).toMatchObject({ created: 2, refused: 0 })
    expect(await stored()).toEqual([
      ['Café deal', 'x'],
      ['B', 'y'],
    ])
  })

  it('decides the encoding on the first 4 KB whatever the chunk sizes of a stream', async () => {
    const { engine, admin } = await createTestEngine()
    const bytes = Buffer.from('\ufeffPotential Name,Expected Close Date,Sales Stage\r\nMüller Deal,2026-12-31,Prospecting\r\n', 'utf16le')
    for (const size of [1, 3, bytes.length]) {
      const source = () => (async function* () { for (let at = 0; at < bytes.length; at += size) yield new Uint8Array(bytes.subarray(at, at + size)) })()
      const result = await importCsv(engine, 'potentials', source, { dryRun: true }, admin)

      expect([size, result.encoding, result.counts.created]).toEqual([size, 'utf-16le', 1])
      expect(result.preview[0].values.potentialname).toMatchObject({ value: 'Müller Deal' })
    }
  })

  it('refuses UTF-16 bytes read as another chosen encoding, saying what they look like', async () => {
    const { run, stored } = await setup()

    await expect(run(new Uint8Array(iconv.encode(CSV, 'utf-16le')), { encoding: 'utf-8' })).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/looks like UTF-16.*save the file as UTF-8/),
    })
    expect(await stored()).toEqual([])
  })
})

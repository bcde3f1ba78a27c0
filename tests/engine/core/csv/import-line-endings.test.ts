import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { CsvSource } from '../../../../engine/core/csv/decode-bytes.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

const HEADER = 'Potential Name,Expected Close Date,Sales Stage,Next Step,Description'

async function setup() {
  const { engine, admin } = await createTestEngine()
  const run = (source: CsvSource) => importCsv(engine, 'potentials', source, {}, admin)
  const stored = async () =>
    (await engine.records.list('potentials', { limit: 50, sort: ['id'] })).items.map((record) => [
      record.potentialname,
      record.nextstep,
      record.description,
    ])

  return { run, stored }
}

const bytes = (text: string) => new TextEncoder().encode(text)

/** A one-shot stream cut into pieces of `size` bytes, so row ends fall across chunk borders. */
async function* pieces(text: string, size: number): AsyncIterable<Uint8Array> {
  const all = bytes(text)
  for (let start = 0; start < all.length; start += size) yield all.slice(start, start + size)
}

describe('importCsv: \\r\\n, \\n and \\r end rows anywhere in the file', () => {
  it('reads CRLF rows after an LF header without keeping a \\r in the last cell', async () => {
    const { run, stored } = await setup()
    const csv = `${HEADER}\nA,2026-01-01,Prospecting,call,"desc A\r\nmore"\r\nB,2026-01-01,Prospecting,call,plain\r\n`
    const result = await run(bytes(csv))

    expect(result.counts).toMatchObject({ rows: 2, created: 2, refused: 0 })
    expect(await stored()).toEqual([
      ['A', 'call', 'desc A\nmore'],
      ['B', 'call', 'plain'],
    ])
  })

  it('reads LF rows after a CRLF header as separate rows', async () => {
    const { run, stored } = await setup()
    const csv = `${HEADER}\r\nA,2026-01-01,Prospecting,x,a\nB,2026-01-01,Prospecting,y,b\nC,2026-01-01,Prospecting,z,c\n`
    const result = await run(bytes(csv))

    expect(result.counts).toMatchObject({ rows: 3, created: 3, refused: 0 })
    expect((await stored()).map((row) => row[0])).toEqual(['A', 'B', 'C'])
  })

  it('takes a lone \\r as a row end, splits across chunks, and numbers lines the same way', async () => {
    const csv = `${HEADER}\rA,2026-01-01,Prospecting,x,"two\rlines"\r\nB,2026-01-01,Prospecting,y,b\nC,,Prospecting,z,c\r`
    for (const size of [1, 2, 7, 4096]) {
      const { run, stored } = await setup()
      const result = await run(pieces(csv, size))

      expect(result.counts).toMatchObject({ rows: 3, created: 2, refused: 1 })
      // Row A spans lines 2-3, so B is on line 4 and C on line 5.
      expect(result.errors.map((error) => error.row)).toEqual([5])
      expect((await stored()).map((row) => row[0])).toEqual(['A', 'B'])
    }
  })

  it('detects the delimiter from the whole header when a quoted header name holds a line break (as Excel writes it)', async () => {
    const { engine, admin } = await createTestEngine()
    const text = '"Potential\r\nName";"Amount\r\n(EUR)";Expected Close Date;Sales Stage\r\nA;1,5;2026-12-31;Prospecting\r\n'
    const result = await importCsv(engine, 'potentials', new TextEncoder().encode(text), { decimalMark: ',', mapping: { 'Potential\r\nName': { field: 'potentialname' }, 'Amount\r\n(EUR)': { field: 'amount' } } }, admin)

    expect(result.delimiter).toBe(';')
    expect(result.counts).toMatchObject({ created: 1, refused: 0 })
    expect((await engine.records.list('potentials', {})).items[0]).toMatchObject({ potentialname: 'A', amount: 1.5 })
  })

  it('counts blank lines of every kind', async () => {
    const { run } = await setup()
    const result = await run(bytes(`${HEADER}\n\r\n\rA,2026-01-01,Prospecting,x,a\n`))

    expect(result.counts).toMatchObject({ rows: 1, created: 1, blank: 2 })
    expect(result.blankLines).toEqual([2, 3])
  })
})

import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { ImportOptions } from '../../../../engine/core/csv/import-types.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

const HEADER = 'Potential Name,Expected Close Date,Sales Stage'

async function setup() {
  const { engine, admin } = await createTestEngine()
  const run = (text: string, options: ImportOptions = {}) =>
    importCsv(engine, 'potentials', new TextEncoder().encode(text), options, admin)
  const names = async () =>
    (await engine.records.list('potentials', { limit: 50, sort: ['id'] })).items.map(
      (record) => record.potentialname,
    )

  return { run, names }
}

describe('importCsv: quote mistakes are reported at their line, never read into the rest of the file', () => {
  it('refuses a file whose quote is never closed, naming the line and column it opened on', async () => {
    const { run, names } = await setup()
    const csv = `${HEADER},Description\nA,2026-01-01,Prospecting,"oops\nB,2026-01-01,Prospecting,fine\nC,2026-01-01,Prospecting,fine\n`

    await expect(run(csv)).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^line 2: a quote opened here \(column "Description"\) is never closed/),
      details: { line: 2, column: 'Description' },
    })
    expect(await names()).toEqual([])
  })

  it('writes nothing from the line of an unclosed quote on when earlier batches were committed', async () => {
    const { run, names } = await setup()
    const deals = Array.from({ length: 5 }, (_, index) => `D${index + 1},2026-01-01,Prospecting`)
    const csv = `${HEADER}\n${deals.join('\n')}\nX,"2026-01-01,Prospecting\nY,2026-01-01,Prospecting\n`

    // Batches of two: D1-D4 are committed before the end of the file shows the quote is never closed.
    await expect(run(csv, { batchSize: 2 })).rejects.toMatchObject({ details: { line: 7 } })
    expect(await names()).toEqual(['D1', 'D2', 'D3', 'D4'])
  })

  it('counts line breaks of earlier quoted cells in the line of an unclosed quote', async () => {
    const { run } = await setup()
    const csv = `${HEADER}\n"two\r\nlines",2026-01-01,Prospecting\nB,"2026-01-01,Prospecting\nC,2026-01-01,Prospecting\n`

    await expect(run(csv)).rejects.toMatchObject({ details: { line: 4, column: 'Expected Close Date' } })
  })

  it('refuses only the row with text after a closing quote and reads the rows after it', async () => {
    const { run, names } = await setup()
    const csv = `${HEADER}\n"Big" Deal,2026-01-01,Prospecting\nB,2026-01-01,Prospecting\nC,2026-01-01,Prospecting\n`
    const result = await run(csv)

    expect(result.counts).toMatchObject({ rows: 3, created: 2, refused: 1 })
    expect(result.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Potential Name',
        value: '"Big" Deal',
        message: expect.stringMatching(/^text follows a closing quote/),
      }),
    ])
    expect(await names()).toEqual(['B', 'C'])
  })

  it('names both lines when a quote opened in a middle column closes on a later line', async () => {
    const { run, names } = await setup()
    const csv = `${HEADER}\nA,"2026-01-01,Prospecting\nB,2026-01-01,"Prospecting"\nC,2026-01-01,Prospecting\n`
    const result = await run(csv)

    expect(result.counts).toMatchObject({ rows: 2, created: 1, refused: 1 })
    expect(result.errors[0]).toMatchObject({ row: 2, column: 'Expected Close Date' })
    expect(result.errors[0].message).toMatch(/the quote opened on line 2 closes on line 3/)
    expect(await names()).toEqual(['C'])
  })

  it('reads a quote inside an unquoted value as text, as spreadsheets do', async () => {
    const { run, names } = await setup()
    const result = await run(`${HEADER}\nBig "Deal",2026-01-01,Prospecting\n5" disk,2026-01-01,Prospecting\n`)

    expect(result.counts).toMatchObject({ created: 2, refused: 0 })
    expect(await names()).toEqual(['Big "Deal"', '5" disk'])
  })

  it('refuses a header with a quote mistake, since it cannot name the columns', async () => {
    const { run } = await setup()

    await expect(run(`"Potential" Name,Sales Stage\nA,Prospecting\n`)).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^line 1 \(the header\), column 1: text follows a closing quote/),
    })
  })

  it('names the line of a row longer than 8 MB', async () => {
    const { run } = await setup()
    const csv = `${HEADER}\nA,2026-01-01,Prospecting\n"${'y'.repeat(9_000_000)}`

    await expect(run(csv)).rejects.toMatchObject({
      message: expect.stringMatching(/^line 3: the row starting here is longer than 8 MB/),
    })
  })
})

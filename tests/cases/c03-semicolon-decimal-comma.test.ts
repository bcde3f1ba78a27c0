import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

const ACCOUNTS = [{ id: 'a1', accountname: 'Kältetechnik Nord GmbH' }]
const expected = caseJson<{
  records: { potentialname: string; amount: string; description: string | null }[]
}>('C03/expected.json').records

describe('C03 semicolon-separated file with decimal commas', () => {
  it('detects ";" and stores exact amounts with number format de-DE', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C03/input-de.csv'),
      { decimalMark: ',' },
      admin,
    )

    expect(result.delimiter).toBe(';')
    expect(result.counts).toMatchObject({ rows: 5, created: 5, refused: 0 })
    const stored = await potentials(engine)
    expect(
      stored.map((record) => ({
        potentialname: record.potentialname,
        amount: record.amount.toFixed(2),
        description: record.description,
      })),
    ).toEqual(expected)
    // Read back through the record service as the API does: exact decimals, never 1234.5599999.
    const second = await engine.records.get('potentials', stored[1].id)
    expect(JSON.stringify(second.amount)).toBe('1234.56')
    expect(stored.map((record) => String(record.amount))).toEqual([
      '1.12',
      '1234.56',
      '512.77',
      '12000',
      '0.5',
    ])
  })

  it('with en-US refuses the comma amounts by row, column and raw text, and commits nothing', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C03/input-de.csv'),
      { decimalMark: '.' },
      admin,
    )

    expect(result.errors.map((error) => [error.row, error.column, error.value])).toEqual([
      [2, 'Amount', '1,12'],
      [3, 'Amount', '1.234,56'],
      [4, 'Amount', '512,77 €'],
      [5, 'Amount', '12.000'],
      [6, 'Amount', '0,5'],
    ])
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'number-format', blocking: true }),
    )
    expect(result.stopped).toBe(true)
    // 12.000 would read as 12: money never has 3 decimals, so it is refused and the preview says why.
    const row5 = result.preview.find((row) => row.row === 5)!
    expect(row5.values.amount).toMatchObject({
      raw: '12.000',
      value: null,
      error: expect.stringMatching(/3 decimals/),
    })
    const amounts = (await potentials(engine)).map((record) => record.amount)
    expect(amounts).toEqual([])
  })

  it('never stores 112, 123456, 51277 or 12 even when the user confirms en-US', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C03/input-de.csv'),
      { decimalMark: '.', acceptWarnings: true },
      admin,
    )

    expect(result.counts).toMatchObject({ created: 0, refused: 5 })
    expect(await potentials(engine)).toEqual([])
  })
})

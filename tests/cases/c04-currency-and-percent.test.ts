import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { REASON_HEADER, refusedRowsCsv } from '../../engine/core/csv/refused-rows-csv.ts'
import { caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

interface Expected {
  created: { potentialname: string; currency_code: string; amount: string; probability: number }[]
  errors: { row: number; column: string; raw: string; reason: string }[]
}
const expected = caseJson<Expected>('C04/expected.json')

describe('C04 currency signs, grouping and % in an en-US file', () => {
  it('creates the 5 good rows and reports rows 7, 8 and 9 with column, raw text and reason', async () => {
    const { engine, admin } = await createCaseEngine()
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C04/input-en.csv'),
      { decimalMark: '.' },
      admin,
    )

    expect(result.counts).toMatchObject({ rows: 8, created: 5, refused: 3 })
    const stored = await potentials(engine)
    expect(
      stored.map((record) => ({
        potentialname: record.potentialname,
        currency_code: record.currency_code,
        amount: record.amount.toFixed(2),
        probability: record.probability,
      })),
    ).toEqual(expected.created)
    expect(stored.every((record) => record.assigned_user_id === admin.id)).toBe(true)
    expect(result.errors.map((error) => [error.row, error.column, error.value])).toEqual(
      expected.errors.map((error) => [error.row, error.column, error.raw]),
    )
    expect(result.errors[0].message).toMatch(/not a number/)
    expect(result.errors[1].message).toMatch(/100/)
    expect(result.errors[2].message).toMatch(/GBP.*USD/)
  })

  it('writes the refused rows as a CSV with an error column that imports again', async () => {
    const { engine, admin } = await createCaseEngine()
    const result = await importCsv(engine, 'potentials', caseBytes('C04/input-en.csv'), {}, admin)
    const text = refusedRowsCsv(result)
    const lines = text.trimEnd().split('\r\n')

    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(
      `Potential Name,Currency,Amount,Probability,Sales Stage,Expected Close Date,${REASON_HEADER}`,
    )
    expect(lines[1]).toMatch(
      /^Broken Amount,USD,abc,20%,Qualification,2026-03-15,"?line 7: .*not a number/,
    )
    expect(lines[3]).toMatch(/^Amount In Pounds,USD,£750,/)
    const again = await importCsv(
      engine,
      'potentials',
      new TextEncoder().encode(text),
      { dryRun: true },
      admin,
    )
    expect(again.columns.at(-1)).toMatchObject({ header: REASON_HEADER, field: null })
    expect(again.errors.map((error) => error.row)).toEqual([2, 3, 4])
  })
})

import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

describe('numbers past what a column stores exactly', () => {
  it('refuses import cells too large for an amount with the row, column and limit, and the module still reads', async () => {
    const { engine, admin } = await createTestEngine()
    const csv = [
      'Potential Name,Sales Stage,Expected Close Date,Amount',
      'Huge,Prospecting,2026-12-31,99999999999999999999',
      'Unsafe,Prospecting,2026-12-31,90071992547409.93',
      'Largest,Prospecting,2026-12-31,9999999999999.99',
      'Negative,Prospecting,2026-12-31,-5',
    ].join('\n')
    const result = await importCsv(engine, 'potentials', new TextEncoder().encode(`${csv}\n`), {}, admin)

    expect(result.counts).toMatchObject({ created: 1, refused: 3 })
    expect(result.errors.map((error) => [error.row, error.column])).toEqual([
      [2, 'Amount'],
      [3, 'Amount'],
      [5, 'Amount'],
    ])
    expect(result.errors[0].message).toContain('"99999999999999999999" is too large: values go up to 9,999,999,999,999.99')
    const listed = await engine.records.list('potentials', {})
    expect(listed.items.map((item) => [item.potentialname, item.amount])).toEqual([['Largest', 9999999999999.99]])
  })

  it('answers 422-style issues through the record service for amounts and whole numbers past the limit', async () => {
    const { engine, admin } = await createTestEngine()
    const amount = await engine.records.create('potentials', potentialInput({ amount: 1e22 }), admin).catch((error) => error)
    const minutes = await engine.records
      .create('activities', { subject: 'Call', activity_type: 'Call', duration_minutes: 2 ** 60 }, admin)
      .catch((error) => error)

    expect(amount.code).toBe('RECORD_INVALID')
    expect(amount.details.issues[0]).toMatchObject({ field: 'amount', message: 'Amount must be at most 9,999,999,999,999.99' })
    expect(minutes.code).toBe('RECORD_INVALID')
    expect(minutes.details.issues[0]).toMatchObject({ field: 'duration_minutes' })
  })
})

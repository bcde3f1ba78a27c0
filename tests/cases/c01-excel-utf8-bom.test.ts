import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { caseBytes, createCaseEngine, potentials } from './case-engine.ts'

const ACCOUNTS = [{ id: 'a1', accountname: 'Acme & Co.' }]

describe('C01 Excel "CSV UTF-8": BOM, CRLF, comma-only rows, headers unlike labels', () => {
  it('maps every header, the first one included, and lists Region as not mapped', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const preview = await importCsv(
      engine,
      'potentials',
      caseBytes('C01/input.csv'),
      { dryRun: true },
      admin,
    )

    expect(preview.encoding).toBe('utf-8')
    expect(preview.delimiter).toBe(',')
    expect(preview.columns.map((column) => [column.header, column.field])).toEqual([
      ['Potential Name', 'potentialname'],
      ['Organization name', 'related_to'],
      ['amount', 'amount'],
      ['Sales Stage', 'sales_stage'],
      ['Expected Close Date', 'closingdate'],
      ['Assigned To', 'assigned_user_id'],
      ['Region', null],
    ])
    expect(preview.columns[6].note).toMatch(/not mapped/)
    expect(preview.counts).toMatchObject({ rows: 2, created: 2, refused: 0, blank: 3 })
    expect(await potentials(engine)).toEqual([])
  })

  it('imports 2 records, skips the 3 comma-only rows by line number, stores no BOM and no CR', async () => {
    const { engine, admin, users } = await createCaseEngine(ACCOUNTS)
    const result = await importCsv(engine, 'potentials', caseBytes('C01/input.csv'), {}, admin)

    expect(result.counts).toMatchObject({ rows: 2, created: 2, refused: 0, blank: 3 })
    expect(result.blankLines).toEqual([4, 5, 6])
    expect(result.errors).toEqual([])
    const stored = await potentials(engine)
    expect(stored.map((record) => record.potentialname)).toEqual([
      'Office Move 2025',
      'Printer Fleet Renewal',
    ])
    expect(stored.map((record) => record.assigned_user_id)).toEqual([
      users.get('u2'),
      users.get('u3'),
    ])
    expect(stored.map((record) => record.amount)).toEqual([12000, 4500.5])
    for (const record of stored) {
      for (const value of Object.values(record)) {
        if (typeof value === 'string') expect(value).not.toMatch(/^\ufeff|^ï»¿|\r$/)
      }
    }
  })

  it('gives field-for-field the same records as the control file without BOM', async () => {
    const fields = (records: Record<string, unknown>[]) =>
      records.map(({ id, created_at, updated_at, created_by, version, ...values }) => values)
    const first = await createCaseEngine(ACCOUNTS)
    await importCsv(first.engine, 'potentials', caseBytes('C01/input.csv'), {}, first.admin)
    const second = await createCaseEngine(ACCOUNTS)
    const control = await importCsv(
      second.engine,
      'potentials',
      caseBytes('C01/control-nobom-lf.csv'),
      {},
      second.admin,
    )

    expect(control.counts).toMatchObject({ created: 2, blank: 0 })
    expect(fields(await potentials(second.engine))).toEqual(fields(await potentials(first.engine)))
  })
})

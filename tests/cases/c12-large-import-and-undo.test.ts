import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import type { ImportProgress } from '../../engine/core/csv/import-types.ts'
import { refusedRowsCsv } from '../../engine/core/csv/refused-rows-csv.ts'
import { undoImport } from '../../engine/core/csv/undo-import.ts'
import { caseBytes, createCaseEngine } from './case-engine.ts'

const ACCOUNTS = [{ id: 'a1', accountname: 'Acme & Co.' }]

describe('C12 a 10,000-row import: exact error rows, batches, undo', () => {
  it('creates 9,997 records, reports rows 2501, 7778 and 10001, and undo removes exactly those records', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const older = await engine.records.create(
      'potentials',
      { potentialname: 'Older Deal', sales_stage: 'Prospecting', closingdate: '2025-01-01' },
      admin,
    )
    const progress: ImportProgress[] = []
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C12/input.csv'),
      { jobId: 12, batchSize: 1000, onProgress: (item) => progress.push(item) },
      admin,
    )

    expect(result.counts).toMatchObject({ rows: 10_000, created: 9_997, refused: 3 })
    expect(result.errors.map((error) => [error.row, error.column, error.value])).toEqual([
      [2501, 'Expected Close Date', '2025-13-01'],
      [7778, 'Amount', 'n/a'],
      [10001, 'Sales Stage', 'Unknown'],
    ])
    expect(refusedRowsCsv(result).trimEnd().split('\r\n')).toHaveLength(4)
    // Committed in batches of 1,000 rows, each reported as it finishes.
    expect(progress.map((item) => item.rows)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => n * 1000),
    )
    expect((await engine.records.list('potentials', {})).total).toBe(9_998)

    // A record changed after the import is left as it is.
    const [changed] = (
      await engine.records.list('potentials', {
        filters: [{ field: 'potentialname', operator: 'eq', value: 'Bulk Deal 000001' }],
      })
    ).items
    await engine.records.update('potentials', changed.id, { nextstep: 'Call back' }, admin)
    const undone = await undoImport(engine, 12, admin)

    expect(undone).toMatchObject({ removed: 9_996, restored: 0 })
    expect(undone.skipped).toEqual([
      {
        module: 'potentials',
        id: changed.id,
        reason: expect.stringMatching(/changed after the import/),
      },
    ])
    const left = (await engine.records.list('potentials', { sort: ['id'] })).items.map(
      (record) => record.id,
    )
    expect(left).toEqual([older.id, changed.id])
    await expect(undoImport(engine, 12, admin)).rejects.toMatchObject({ code: 'IMPORT_NOT_FOUND' })
  })
})

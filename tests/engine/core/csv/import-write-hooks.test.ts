import { describe, expect, it } from 'vitest'
import { selectHistory } from '../../../../engine/core/behaviours/record-history.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { undoImport } from '../../../../engine/core/csv/undo-import.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

const encode = (text: string) => new TextEncoder().encode(text)

describe('importCsv and the write hooks', () => {
  it('writes audit entries for created, updated and undone records in the batch transaction', async () => {
    const { engine, admin } = await createTestEngine()
    const first = await importCsv(
      engine,
      'potentials',
      encode(
        'Potential Name,Sales Stage,Expected Close Date,Amount\nFleet,Prospecting,2026-12-31,100\nRenewal,Prospecting,2026-12-31,200\n',
      ),
      {},
      admin,
    )
    const created = await engine.db.read((db) => selectHistory(db, 'potentials', {}))

    expect(first.counts.created).toBe(2)
    expect(
      created.items.map((entry) => [
        entry.action,
        entry.actor_id,
        entry.changes.potentialname?.[1],
      ]),
    ).toEqual([
      ['create', admin.id, 'Renewal'],
      ['create', admin.id, 'Fleet'],
    ])

    const second = await importCsv(
      engine,
      'potentials',
      encode('Potential Name,Amount\nFleet,150\n'),
      { jobId: 7, duplicates: { match: ['potentialname'], action: 'merge' } },
      admin,
    )
    const updated = await engine.db.read((db) =>
      selectHistory(db, 'potentials', { field: 'amount' }),
    )

    expect(second.counts.updated).toBe(1)
    expect(updated.items[0]).toMatchObject({ action: 'update', changes: { amount: [100, 150] } })

    await undoImport(engine, 7, admin)
    const restored = await engine.db.read((db) =>
      selectHistory(db, 'potentials', { field: 'amount' }),
    )
    expect(restored.items[0]).toMatchObject({ action: 'update', changes: { amount: [150, 100] } })
  })
})

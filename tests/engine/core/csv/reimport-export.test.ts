import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

async function exported(engine: Parameters<typeof exportCsv>[0], flavour: 'standard' | 'lossless') {
  let text = ''
  for await (const chunk of exportCsv(engine, 'potentials', { flavour })) text += chunk

  return text
}

describe('importCsv of its own export', () => {
  it('matches rows to their records by the auto-number: unchanged rows are skipped, changed ones update, nothing is copied', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('potentials', potentialInput({ potentialname: 'Fleet' }), admin)
    await engine.records.create(
      'potentials',
      potentialInput({ potentialname: 'Renewal', amount: 99 }),
      admin,
    )
    for (const flavour of ['standard', 'lossless'] as const) {
      const text = await exported(engine, flavour)
      const again = await importCsv(
        engine,
        'potentials',
        new TextEncoder().encode(text),
        { unescapeFormulas: flavour !== 'lossless' },
        admin,
      )

      expect(again.counts).toMatchObject({
        rows: 2,
        created: 0,
        updated: 0,
        skipped: 2,
        refused: 0,
      })
      expect(again.warnings).toContainEqual(
        expect.objectContaining({ code: 'auto-number-match', column: 'Potential No' }),
      )
    }
    const changed = (await exported(engine, 'standard')).replace('Renewal', 'Renewal 2027')
    const result = await importCsv(
      engine,
      'potentials',
      new TextEncoder().encode(changed),
      {},
      admin,
    )
    const names = (await engine.records.list('potentials', { sort: ['id'] })).items.map(
      (record) => record.potentialname,
    )

    expect(result.counts).toMatchObject({ created: 0, updated: 1, skipped: 1 })
    expect(names).toEqual(['Fleet', 'Renewal 2027'])
  })

  it('creates a record with a new number for a row whose number is empty', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('potentials', potentialInput({ potentialname: 'Fleet' }), admin)
    const csv =
      'Potential No,Potential Name,Sales Stage,Expected Close Date\nPOT1,Fleet,Prospecting,2026-12-31\n,New Deal,Prospecting,2026-12-31\n'
    const result = await importCsv(engine, 'potentials', new TextEncoder().encode(csv), {}, admin)

    expect(result.counts).toMatchObject({ created: 1, updated: 0, skipped: 1 })
    expect(
      (await engine.records.list('potentials', { sort: ['id'] })).items.map(
        (record) => record.potential_no,
      ),
    ).toEqual(['POT1', 'POT2'])
  })
})

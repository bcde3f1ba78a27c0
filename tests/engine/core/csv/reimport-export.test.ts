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
        expect.objectContaining({
          code: 'auto-number-match',
          column: flavour === 'lossless' ? 'Record ID' : 'Potential No',
        }),
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

  it('matches a lossless export by record id in a module without an auto-number, and creates rows whose id is unknown', async () => {
    const { engine, admin } = await createTestEngine()
    const call = await engine.records.create('activities', { subject: 'Call Acme', activity_type: 'Call', date_start: '2026-12-01T09:00:00.000Z' }, admin)
    await engine.records.create('activities', { subject: 'Visit Globex', activity_type: 'Meeting', date_start: '2026-12-02T09:00:00.000Z' }, admin)
    let text = ''
    for await (const chunk of exportCsv(engine, 'activities', { flavour: 'lossless' })) text += chunk
    const edited = text.replace('Call Acme', 'Call Acme again').replace(/\r\n(\d+),Visit/, '\r\n999,Visit')
    const result = await importCsv(engine, 'activities', new TextEncoder().encode(edited), { unescapeFormulas: false }, admin)
    const subjects = (await engine.records.list('activities', { sort: ['id'] })).items.map((record) => [record.id, record.subject])

    expect(text.split('\r\n')[0].split(',')[0]).toBe('Record ID')
    expect(result.counts).toMatchObject({ created: 1, updated: 1, refused: 0 })
    expect(subjects).toEqual([[call.id, 'Call Acme again'], [call.id + 1, 'Visit Globex'], [call.id + 2, 'Visit Globex']])
  })

  it('reads a lossless export as one without being told: leading apostrophes are data there', async () => {
    const { engine, admin } = await createTestEngine()
    for (const name of ["''two", "'=x", "'-5"]) await engine.records.create('potentials', potentialInput({ potentialname: name }), admin)
    let text = ''
    for await (const chunk of exportCsv(engine, 'potentials', { flavour: 'lossless' })) text += chunk
    const again = await importCsv(engine, 'potentials', new TextEncoder().encode(text), {}, admin)
    const names = (await engine.records.list('potentials', { sort: ['id'] })).items.map((record) => record.potentialname)

    expect(again.counts).toMatchObject({ skipped: 3, updated: 0, created: 0, refused: 0 })
    expect(names).toEqual(["''two", "'=x", "'-5"])
  })

  it('stores line breaks alike from the API and an import, so a lossless round trip changes nothing', async () => {
    const { engine, admin } = await createTestEngine()
    const crlf = await engine.records.create('potentials', potentialInput({ potentialname: 'line\nbreak', description: 'crlf\r\nbreak', nextstep: 'cr\ronly' }), admin)
    expect(crlf).toMatchObject({ potentialname: 'line break', description: 'crlf\nbreak', nextstep: 'cr only' })
    let text = ''
    for await (const chunk of exportCsv(engine, 'potentials', { flavour: 'lossless' })) text += chunk
    const again = await importCsv(engine, 'potentials', new TextEncoder().encode(text), {}, admin)

    expect(again.counts).toMatchObject({ skipped: 1, updated: 0, created: 0, refused: 0 })
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

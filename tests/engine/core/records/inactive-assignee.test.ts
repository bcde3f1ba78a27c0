import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

describe('deactivated users', () => {
  it('get no new records, by the API or an import, but keep theirs editable', async () => {
    const { engine, admin } = await createTestEngine()
    const sam = await engine.records.create('users', { username: 'pat.q', full_name: 'Pat Quinn' }, admin)
    const deal = await engine.records.create('potentials', potentialInput({ assigned_user_id: sam.id }), admin)
    await engine.records.update('users', sam.id, { status: 'Inactive' }, admin)

    const created = await engine.records.create('potentials', potentialInput({ assigned_user_id: sam.id }), admin).catch((error) => error)
    expect(created.code).toBe('RECORD_INVALID')
    expect(created.details.issues[0]).toMatchObject({ field: 'assigned_user_id', code: 'inactive-user', message: 'Assigned To: Pat Quinn is deactivated; choose an active user' })

    // The deal Sam still owns can be edited, the unchanged owner sent back as forms do.
    const edited = await engine.records.update('potentials', deal.id, { ...potentialInput({ assigned_user_id: sam.id }), nextstep: 'Hand over' }, admin)
    expect(edited).toMatchObject({ nextstep: 'Hand over', assigned_user_id: sam.id })

    const result = await importCsv(engine, 'potentials', new TextEncoder().encode('Potential Name,Sales Stage,Expected Close Date,Assigned To\nFleet,Prospecting,2026-12-31,Pat Quinn\n'), {}, admin)
    expect(result.counts).toMatchObject({ created: 0, refused: 1 })
    expect(result.errors[0].message).toContain('Pat Quinn is deactivated')
  })
})

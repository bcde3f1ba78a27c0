import { describe, expect, it } from 'vitest'
import { selectHistory } from '../../../../engine/core/behaviours/record-history.ts'
import { createTestApp } from '../../../helpers/create-test-app.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

describe('record history', () => {
  it('keeps every stage change with when, who, from, to, amount and probability at that moment', async () => {
    const { engine, admin, user } = await createTestEngine()
    const deal = await engine.records.create('potentials', potentialInput({ amount: 1000, sales_stage: 'Prospecting' }), user)
    await engine.records.update('potentials', deal.id, { amount: 1500 }, user)
    await engine.records.update('potentials', deal.id, { sales_stage: 'Qualification' }, admin)
    await engine.records.update('potentials', deal.id, { sales_stage: 'Closed Won', amount: 1800 }, user)
    const stages = await engine.db.read((db) => selectHistory(db, 'potentials', { recordId: deal.id, field: 'sales_stage' }))
    const all = await engine.db.read((db) => selectHistory(db, 'potentials', { recordId: deal.id }))

    expect(stages.items.map((entry) => [entry.actor_id, entry.changes.sales_stage, entry.snapshot.amount, entry.snapshot.probability])).toEqual([
      [user.id, ['Qualification', 'Closed Won'], 1800, 100],
      [admin.id, ['Prospecting', 'Qualification'], 1500, 20],
      [user.id, [null, 'Prospecting'], 1000, 10],
    ])
    expect(all.total).toBe(4)
    expect(all.items[2].changes).toEqual({ amount: [1000, 1500], forecast_amount: [100, 150] })
  })

  it('records deletes and restores, and rolls the entry back with a refused write', async () => {
    const { engine, admin } = await createTestEngine()
    const deal = await engine.records.create('potentials', potentialInput(), admin)
    await engine.records.remove('potentials', deal.id, admin)
    await engine.records.restore('potentials', deal.id, admin)
    await expect(engine.records.update('potentials', deal.id, { probability: 500 }, admin)).rejects.toMatchObject({ code: 'RECORD_INVALID' })
    const history = await engine.db.read((db) => selectHistory(db, 'potentials', { recordId: deal.id }))

    expect(history.items.map((entry) => entry.action)).toEqual(['restore', 'delete', 'create'])
  })

  it('serves the history of a record and of a module through the API', async () => {
    const { call } = await createTestApp()
    const deal = await (await call('POST', '/api/modules/potentials/records', potentialInput())).json()
    await call('PATCH', `/api/modules/potentials/records/${deal.id}`, { sales_stage: 'Closed Lost' })
    const record = await (await call('GET', `/api/modules/potentials/records/${deal.id}/history?field=sales_stage`)).json()
    const module = await (await call('GET', '/api/modules/potentials/history?field=sales_stage&limit=10')).json()
    const bad = await call('GET', '/api/modules/potentials/history?field=password')

    expect(record.items.map((entry: { changes: { sales_stage: unknown } }) => entry.changes.sales_stage)).toEqual([
      ['Prospecting', 'Closed Lost'],
      [null, 'Prospecting'],
    ])
    expect(module.total).toBe(2)
    expect(module.items[0].actor_name).toBe('Administrator')
    expect(bad.status).toBe(400)
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import { EngineError } from '../../../../engine/core/errors.ts'
import { createTestEngine, potentialInput, type TestEngine } from '../../../helpers/create-test-engine.ts'

let t: TestEngine

beforeEach(async () => {
  t = await createTestEngine()
})

async function refusal(work: Promise<unknown>): Promise<EngineError> {
  const error = await work.then(
    () => undefined,
    (caught) => caught,
  )
  expect(error).toBeInstanceOf(EngineError)

  return error as EngineError
}

describe('RecordService', () => {
  it('creates a potential with the creating user as Assigned To and an auto-number', async () => {
    const created = await t.engine.records.create('potentials', potentialInput(), t.user)

    expect(created).toMatchObject({ id: 1, version: 1, potential_no: 'POT1', assigned_user_id: t.user.id, created_by: t.user.id })
    expect(created._labels).toEqual({ assigned_user_id: 'Sam Carter' })
  })

  it('refuses an invalid potential with one issue per field', async () => {
    const error = await refusal(t.engine.records.create('potentials', { probability: 150, sales_stage: 'Won Big' }, t.admin))

    expect(error.code).toBe('RECORD_INVALID')
    const issues = error.details.issues as { field: string; message: string }[]
    expect(issues.map((issue) => issue.field).sort()).toEqual(['closingdate', 'potentialname', 'probability', 'sales_stage'])
    expect(issues.find((issue) => issue.field === 'sales_stage')?.message).toContain('"Won Big" is not a value of Sales Stage')
    expect(issues.find((issue) => issue.field === 'probability')?.message).toBe('Probability (%) must be at most 100')
  })

  it('refuses unknown and read-only keys instead of dropping them', async () => {
    const error = await refusal(t.engine.records.create('potentials', potentialInput({ cf_competitor: 'X', potential_no: 'POT99' }), t.admin))
    const fields = (error.details.issues as { field: string; code: string }[]).map((issue) => [issue.field, issue.code])

    expect(fields).toEqual([
      ['cf_competitor', 'unknown-field'],
      ['potential_no', 'read-only'],
    ])
  })

  it('sets the probability from the sales stage unless the writer gives one', async () => {
    const byStage = await t.engine.records.create('potentials', potentialInput({ sales_stage: 'Value Proposition' }), t.admin)
    const given = await t.engine.records.create('potentials', potentialInput({ sales_stage: 'Value Proposition', probability: 35 }), t.admin)
    const untouched = await t.engine.records.update('potentials', given.id, { nextstep: 'call' }, t.admin)

    expect(byStage.probability).toBe(30)
    expect(given.probability).toBe(35)
    expect(untouched.probability).toBe(35)
  })

  it('computes the forecast amount in exact decimals, rounding half away from zero', async () => {
    const first = await t.engine.records.create('potentials', potentialInput({ amount: 10.1, probability: 10 }), t.admin)
    const second = await t.engine.records.create('potentials', potentialInput({ amount: 21.8, probability: 10 }), t.admin)

    expect([first.forecast_amount, second.forecast_amount]).toEqual([1.01, 2.18])
  })

  it('keeps money exact through storage', async () => {
    const created = await t.engine.records.create('potentials', potentialInput({ amount: 1234.56 }), t.admin)

    expect((await t.engine.records.get('potentials', created.id)).amount).toBe(1234.56)
  })

  it('refuses a relation to a record that does not exist', async () => {
    const error = await refusal(t.engine.records.create('potentials', potentialInput({ related_to: 999 }), t.admin))

    expect(error.details.issues).toEqual([expect.objectContaining({ field: 'related_to', code: 'reference' })])
  })

  it('updates with optimistic versions and refuses a stale one with the stored record', async () => {
    const created = await t.engine.records.create('potentials', potentialInput(), t.admin)
    const updated = await t.engine.records.update('potentials', created.id, { amount: 99 }, t.admin, { expectedVersion: 1 })
    const error = await refusal(t.engine.records.update('potentials', created.id, { amount: 5 }, t.admin, { expectedVersion: 1 }))

    expect(updated.version).toBe(2)
    expect(error.code).toBe('RECORD_STALE')
    expect(error.details.current).toMatchObject({ amount: 99, version: 2 })
    expect((await t.engine.records.get('potentials', created.id)).amount).toBe(99)
  })

  it('validates the whole record on update, so a partial write cannot leave it invalid', async () => {
    const created = await t.engine.records.create('potentials', potentialInput(), t.admin)
    const error = await refusal(t.engine.records.update('potentials', created.id, { potentialname: '' }, t.admin))

    expect(error.details.issues).toEqual([expect.objectContaining({ field: 'potentialname', code: 'required' })])
  })

  it('moves deleted records to the recycle bin and restores them', async () => {
    const created = await t.engine.records.create('potentials', potentialInput(), t.admin)
    await t.engine.records.remove('potentials', created.id, t.admin)

    expect((await t.engine.records.list('potentials', {})).total).toBe(0)
    expect((await t.engine.records.list('potentials', { deleted: true })).total).toBe(1)
    expect((await refusal(t.engine.records.get('potentials', created.id))).code).toBe('RECORD_NOT_FOUND')
    expect((await t.engine.records.restore('potentials', created.id, t.admin)).id).toBe(created.id)
  })

  it('lists with filters, numeric sort, search and paging', async () => {
    for (const [name, amount, stage] of [
      ['Alpha', 33, 'Prospecting'],
      ['Beta', 1200, 'Closed Won'],
      ['Gamma', 400, 'Prospecting'],
      ['Delta 100%', 1200.5, 'Qualification'],
    ] as const) {
      await t.engine.records.create('potentials', potentialInput({ potentialname: name, amount, sales_stage: stage }), t.admin)
    }
    const sorted = await t.engine.records.list('potentials', { sort: ['-amount'] })
    const filtered = await t.engine.records.list('potentials', { filters: [{ field: 'sales_stage', operator: 'eq', value: 'Prospecting' }, { field: 'amount', operator: 'gt', value: '100' }] })
    const searched = await t.engine.records.list('potentials', { q: '100%' })
    const page = await t.engine.records.list('potentials', { sort: ['potentialname'], limit: 2, offset: 2 })

    expect(sorted.items.map((item) => item.amount)).toEqual([1200.5, 1200, 400, 33])
    expect(filtered.items.map((item) => item.potentialname)).toEqual(['Gamma'])
    expect(searched.items.map((item) => item.potentialname)).toEqual(['Delta 100%'])
    expect([page.total, page.items.map((item) => item.potentialname)]).toEqual([4, ['Delta 100%', 'Gamma']])
  })

  it('refuses filters and sorts on names that are not fields', async () => {
    const badFilter = await refusal(t.engine.records.list('potentials', { filters: [{ field: 'amount; drop table potentials', operator: 'eq', value: '1' }] }))
    const badSort = await refusal(t.engine.records.list('potentials', { sort: ['-password'] }))

    expect([badFilter.code, badSort.code]).toEqual(['QUERY_INVALID', 'QUERY_INVALID'])
  })
})

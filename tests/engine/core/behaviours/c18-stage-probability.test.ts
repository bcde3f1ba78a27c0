import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { LabelledRecord } from '../../../../engine/core/records/resolve-labels.ts'
import { createTestEngine, type TestEngine } from '../../../helpers/create-test-engine.ts'

const folder = new URL('../../../fixtures/behaviour-cases/C18/', import.meta.url)
const steps = JSON.parse(readFileSync(new URL('tests.json', folder), 'utf8')) as { id: string; body?: Record<string, unknown>; expect: Record<string, unknown> }[]
const step = (id: string) => steps.find((item) => item.id === id)!

let t: TestEngine
const records: Record<string, LabelledRecord> = {}
const closing = { closingdate: '2026-12-31' }

/** Runs C18's T1–T14 in order on one engine: the case is a sequence. */
beforeAll(async () => {
  t = await createTestEngine()
  // The case's stage table: Perception Analysis has no default probability.
  await t.engine.updateDefinition('potentials', { baseVersion: 1, operations: [{ op: 'setPicklistValueMeta', field: 'sales_stage', value: 'Perception Analysis', meta: { outcome: 'open' } }] }, t.admin)
})

const create = (id: string) => t.engine.records.create('potentials', { ...closing, ...step(id).body }, t.admin)
const update = (id: string, target: string) => t.engine.records.update('potentials', records[target].id, step(id).body!, t.admin)

describe('C18: probability from the sales stage on every write path, exact forecast', () => {
  it('T1: a new potential takes its stage default and an exact forecast', async () => {
    records.T1 = await create('T1')

    expect([records.T1.probability, records.T1.forecast_amount]).toEqual([step('T1').expect.probability, Number(step('T1').expect.forecast_amount)])
  })

  it('T2: a given probability is kept', async () => {
    records.T2 = await create('T2')

    expect([records.T2.probability, records.T2.forecast_amount]).toEqual([35, 350])
  })

  it('T3–T6: stage change without probability takes the new default; given wins; untouched stage leaves it; no default keeps it', async () => {
    expect((await update('T3', 'T2')).probability).toBe(step('T3').expect.probability)
    expect((await update('T4', 'T2')).probability).toBe(step('T4').expect.probability)
    const t5 = await update('T5', 'T2')
    expect([t5.probability, t5.forecast_amount]).toEqual([60, Number(step('T5').expect.forecast_amount)])
    expect((await update('T6', 'T2')).probability).toBe(step('T6').expect.probability)
  })

  it('T7: a mass update applies the same rule as a single edit', async () => {
    const result = await t.engine.records.massUpdate('potentials', [records.T1.id, records.T2.id], step('T7').body!, t.admin)

    expect(result).toEqual({ updated: [records.T1.id, records.T2.id], failed: [] })
    expect((await t.engine.records.get('potentials', records.T1.id)).probability).toBe(65)
    expect((await t.engine.records.get('potentials', records.T2.id)).probability).toBe(65)
  })

  it('T8–T9: won and lost set 100 and 0 %', async () => {
    expect((await update('T8', 'T1')).probability).toBe(100)
    const lost = await update('T9', 'T2')
    expect([lost.probability, lost.forecast_amount]).toEqual([0, 0])
  })

  it('T10: the import applies the same rule, matching the stage ignoring case', async () => {
    const result = await importCsv(t.engine, 'potentials', readFileSync(new URL('input.csv', folder)), {}, t.admin)
    const imported = await t.engine.records.list('potentials', { filters: [{ field: 'potentialname', operator: 'contains', value: 'Import' }], sort: ['potentialname'] })

    expect(result.counts.created).toBe(3)
    expect(Object.fromEntries(imported.items.map((item) => [item.potentialname, item.probability]))).toEqual(step('T10').expect)
  })

  it('T11: the forecast is in the record currency', async () => {
    records.T11 = await create('T11')

    expect([records.T11.currency_code, records.T11.forecast_amount]).toEqual(['USD', 500])
  })

  it('T12–T14: forecast rounds half away from zero in decimal; sums add the rounded values', async () => {
    records.T12 = await create('T12')
    records.T13 = await create('T13')

    expect([records.T12.forecast_amount, records.T13.forecast_amount]).toEqual([1.01, 2.18])
    expect(Math.round(((records.T12.forecast_amount as number) + (records.T13.forecast_amount as number)) * 100) / 100).toBe(Number(step('T14').expect.sum))
  })

  it("accepts amounts as exact decimal text, as the case's requests send them", async () => {
    expect(records.T1.amount).toBe(1000)
  })
})

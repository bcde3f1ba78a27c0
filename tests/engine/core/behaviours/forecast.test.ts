import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadCurrencies, saveCurrencies } from '../../../../engine/core/behaviours/currencies.ts'
import { computeForecast } from '../../../../engine/core/behaviours/forecast.ts'
import { runImportPlan } from '../../../../engine/core/csv/run-import-plan.ts'
import { createTestApp } from '../../../helpers/create-test-app.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

describe('computeForecast', () => {
  it('converts to the base currency by dividing by the rate, in decimal (C18 T11)', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('potentials', potentialInput({ sales_stage: 'Perception Analysis', currency_code: 'USD', amount: '1000.00', probability: 50 }), admin)
    const forecast = await engine.db.read(async (db) => computeForecast(db, engine.runtime('potentials'), { groupBy: ['stage'] }, await loadCurrencies(db)))

    expect(forecast.baseCurrency).toBe('EUR')
    expect(forecast.rows).toEqual([{ stage: 'Perception Analysis', openCount: 1, amount: 909.09, weighted: 454.55, wonCount: 0, won: 0 }])
  })

  it('separates open and won records and leaves lost ones out', async () => {
    const { engine, admin } = await createTestEngine()
    for (const [sales_stage, amount] of [['Prospecting', 100], ['Qualification', 200], ['Closed Won', 300], ['Closed Lost', 400]] as const) {
      await engine.records.create('potentials', potentialInput({ sales_stage, amount, closingdate: '2026-03-15' }), admin)
    }
    const forecast = await engine.db.read(async (db) => computeForecast(db, engine.runtime('potentials'), { groupBy: ['month'] }, await loadCurrencies(db)))

    expect(forecast.rows).toEqual([{ month: '2026-03', openCount: 2, amount: 300, weighted: 50, wonCount: 1, won: 300 }])
  })

  it('on the sample data, won amounts per close month and open counts equal what the CSV implies', async () => {
    const { engine, admin } = await createTestEngine()
    await runImportPlan(engine, new URL('../../../../modules/sample-data/crm-sales-opportunities/import-plan.json', import.meta.url).pathname, admin)
    await engine.db.write((trx) => saveCurrencies(trx, 'USD', {}))
    const forecast = await engine.db.read(async (db) => computeForecast(db, engine.runtime('potentials'), { groupBy: ['month'] }, await loadCurrencies(db)))

    const lines = readFileSync(new URL('../../../../modules/sample-data/crm-sales-opportunities/sales_pipeline.csv', import.meta.url), 'utf8').trim().split(/\r?\n/).slice(1)
    const wonByMonth = new Map<string, number>()
    let open = 0
    for (const line of lines) {
      const [, , , , stage, , closeDate, value] = line.split(',')
      if (stage === 'Won') wonByMonth.set(closeDate.slice(0, 7), (wonByMonth.get(closeDate.slice(0, 7)) ?? 0) + Number(value))
      if (stage === 'Engaging' || stage === 'Prospecting') open++
    }
    const forecastWon = new Map(forecast.rows.filter((row) => row.wonCount > 0).map((row) => [row.month!, row.won]))

    expect(forecastWon).toEqual(wonByMonth)
    expect(forecast.totals.openCount).toBe(open)
    expect(forecast.totals.won).toBe([...wonByMonth.values()].reduce((sum, value) => sum + value, 0))
  })
})

describe('forecast routes', () => {
  it('compares forecast and won amounts with budget targets per owner and month, as JSON and CSV', async () => {
    const { call, user } = await createTestApp()
    await call('POST', '/api/modules/potentials/records', potentialInput({ sales_stage: 'Qualification', amount: 1000, closingdate: '2026-05-10', assigned_user_id: user.id }))
    await call('POST', '/api/modules/potentials/records', potentialInput({ sales_stage: 'Closed Won', amount: 250.5, closingdate: '2026-05-20', assigned_user_id: user.id }))
    const budgets = await call('PUT', '/api/modules/potentials/budgets', { items: [{ owner_id: user.id, period: '2026-05', amount: 5000 }] })
    const forecast = await (await call('GET', '/api/modules/potentials/forecast?groupBy=owner,month&from=2026-01&to=2026-12')).json()
    const csv = await (await call('GET', '/api/modules/potentials/forecast.csv?groupBy=owner,month')).text()
    const bad = await call('GET', '/api/modules/potentials/forecast?groupBy=planet')

    expect(budgets.status).toBe(200)
    expect(forecast.rows).toEqual([{ owner: user.id, ownerName: 'Sam Carter', month: '2026-05', openCount: 1, amount: 1000, weighted: 200, wonCount: 1, won: 250.5, target: 5000 }])
    expect(csv.split('\r\n')[1] ?? csv.split('\n')[1]).toBe('Sam Carter,2026-05,1,1000.00,200.00,1,250.50,5000.00')
    expect(bad.status).toBe(400)
  })
})

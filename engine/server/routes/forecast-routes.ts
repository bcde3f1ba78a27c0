import { Hono } from 'hono'
import { assertCan } from '../../core/access/access-policy.ts'
import { loadBudgets, saveBudgets } from '../../core/behaviours/budgets.ts'
import { loadCurrencies, saveCurrencies } from '../../core/behaviours/currencies.ts'
import { computeForecast, type Forecast, type ForecastDimension } from '../../core/behaviours/forecast.ts'
import { csvLine } from '../../core/csv/write-cell.ts'
import { EngineError } from '../../core/errors.ts'
import { listAccessOf } from '../../core/records/record-service.ts'
import { titlesOf } from '../../core/records/resolve-labels.ts'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
import { readJsonObject } from '../read-json.ts'
import { requireAdmin } from '../session.ts'

const DIMENSIONS = new Set<ForecastDimension>(['month', 'stage', 'owner'])

/** The forecast of open and won records against budgets, as JSON or CSV; exchange rates and budgets. */
export function forecastRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/modules/:module/forecast', async (c) => c.json(await forecastOf(c.get('engine'), c.req.param('module'), c.req.url, c.get('user'))))

  app.get('/modules/:module/forecast.csv', async (c) => {
    const forecast = await forecastOf(c.get('engine'), c.req.param('module'), c.req.url, c.get('user'))
    const labels: Record<string, string> = { month: 'Expected Close Month', stage: 'Stage', owner: 'Assigned To' }
    const head = [...forecast.groupBy.map((dimension) => labels[dimension]), 'Open', `Amount (${forecast.baseCurrency})`, `Weighted (${forecast.baseCurrency})`, 'Won', `Won Amount (${forecast.baseCurrency})`, `Target (${forecast.baseCurrency})`]
    let text = csvLine(head, ',')
    for (const row of forecast.rows) {
      const keys = forecast.groupBy.map((dimension) => (dimension === 'owner' ? row.ownerName ?? '' : String(row[dimension] ?? '')))
      text += csvLine([...keys, String(row.openCount), row.amount.toFixed(2), row.weighted.toFixed(2), String(row.wonCount), row.won.toFixed(2), row.target === undefined ? '' : row.target.toFixed(2)], ',')
    }
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="${c.req.param('module')}-forecast.csv"`)

    return c.body(text)
  })

  app.get('/currencies', async (c) => {
    const table = await c.get('engine').db.read((db) => loadCurrencies(db))

    return c.json({ base: table.base, rates: table.rates })
  })

  app.put('/currencies', async (c) => {
    requireAdmin(c)
    const body = await readJsonObject(c)
    if (typeof body.base !== 'string' || typeof body.rates !== 'object' || body.rates === null) badRequest('send { "base": "EUR", "rates": { "USD": "1.10" } }')
    await c.get('engine').db.write((trx) => saveCurrencies(trx, body.base as string, body.rates as Record<string, string>))

    return c.json(await c.get('engine').db.read((db) => loadCurrencies(db)).then((table) => ({ base: table.base, rates: table.rates })))
  })

  app.get('/modules/:module/budgets', async (c) => c.json({ items: await c.get('engine').db.read((db) => loadBudgets(db, c.get('engine').runtime(c.req.param('module')).name)) }))

  app.put('/modules/:module/budgets', async (c) => {
    requireAdmin(c)
    const module = c.get('engine').runtime(c.req.param('module')).name
    const body = await readJsonObject(c)
    if (!Array.isArray(body.items)) badRequest('send { "items": [{ "owner_id", "period": "YYYY-MM", "amount" }] }')
    await c.get('engine').db.write((trx) => saveBudgets(trx, module, body.items as unknown[]))

    return c.json({ items: await c.get('engine').db.read((db) => loadBudgets(db, module)) })
  })

  return app
}

type Engine = AppEnv['Variables']['engine']
type Labelled = Forecast & { rows: (Forecast['rows'][number] & { ownerName?: string })[] }

async function forecastOf(engine: Engine, module: string, url: string, user: AppEnv['Variables']['user']): Promise<Labelled> {
  const runtime = engine.runtime(module)
  assertCan(user, runtime, 'view')
  const params = new URL(url).searchParams
  const groupBy = (params.get('groupBy') ?? 'month').split(',').filter(Boolean) as ForecastDimension[]
  const unknown = groupBy.filter((dimension) => !DIMENSIONS.has(dimension))
  if (unknown.length > 0 || groupBy.length === 0) throw new EngineError('QUERY_INVALID', `groupBy takes month, stage and owner, not "${unknown.join(', ')}"`)

  return engine.db.read(async (db) => {
    const currencies = await loadCurrencies(db)
    const budgets = new Map((await loadBudgets(db, runtime.name)).map((budget) => [`${budget.owner_id}|${budget.period}`, budget.amount]))
    const forecast = await computeForecast(db, runtime, { groupBy, from: params.get('from') ?? undefined, to: params.get('to') ?? undefined }, currencies, listAccessOf(user, runtime), budgets)
    if (!groupBy.includes('owner')) return forecast
    const names = await titlesOf(db, engine.runtime('users'), forecast.rows.map((row) => row.owner).filter((id): id is number => typeof id === 'number'))

    return { ...forecast, rows: forecast.rows.map((row) => ({ ...row, ownerName: row.owner == null ? 'Nobody' : names.get(row.owner) ?? `#${row.owner}` })) }
  })
}

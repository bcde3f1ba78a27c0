import Papa from 'papaparse'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  runImportPlan,
  type ImportPlanReport,
} from '../../../../engine/core/csv/run-import-plan.ts'
import { createEngine, type Engine } from '../../../../engine/core/engine.ts'
import { linkTableName } from '../../../../engine/core/storage/module-table.ts'

const FOLDER = fileURLToPath(
  new URL('../../../../modules/sample-data/crm-sales-opportunities/', import.meta.url),
)
const PLAN = `${FOLDER}import-plan.json`

/** The rows of a sample file as objects, read independently of the importer. */
function rowsOf(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(`${FOLDER}${file}`, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data
}

function countBy(rows: Record<string, string>[], column: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const row of rows)
    if (row[column] !== '') counts.set(row[column], (counts.get(row[column]) ?? 0) + 1)

  return counts
}

async function all(engine: Engine, module: string) {
  const items = []
  for (let offset = 0; ; offset += 500) {
    const page = await engine.records.list(module, { limit: 500, offset, sort: ['id'] })
    items.push(...page.items)
    if (page.items.length < 500) return items
  }
}

describe('the sample data import plan', () => {
  const deals = rowsOf('sales_pipeline.csv')
  const accounts = rowsOf('accounts.csv')
  const teams = rowsOf('sales_teams.csv')
  const products = rowsOf('products.csv')
  let engine: Engine
  let report: ImportPlanReport

  beforeAll(async () => {
    engine = await createEngine({ databaseUrl: ':memory:' })
    const { user } = await engine.auth.ensureAdmin('admin', 'admin-pass-123')
    report = await runImportPlan(engine, PLAN, user)
  })

  it('refuses no row in any step', () => {
    for (const step of report.steps)
      expect({ step: step.id, refused: step.counts.refused, errors: step.errors }).toEqual({
        step: step.id,
        refused: 0,
        errors: [],
      })
  })

  it('creates one user per agent and per manager, managers linked to their agents', async () => {
    const users = await all(engine, 'users')
    const managers = new Set(teams.map((row) => row.manager))
    const byName = new Map(users.map((user) => [user.full_name, user]))

    expect(users).toHaveLength(1 + teams.length + managers.size)
    for (const row of teams) {
      expect(byName.get(row.sales_agent)?._labels?.manager_id).toBe(row.manager)
      expect(byName.get(row.sales_agent)?.regional_office).toBe(row.regional_office)
    }
    expect(byName.get('Moses Frase')?.username).toBe('moses.frase')
  })

  it('creates every product and account, with parents and clean values', async () => {
    const stored = await all(engine, 'accounts')
    const byName = new Map(stored.map((account) => [account.accountname, account]))

    expect(await all(engine, 'products')).toHaveLength(products.length)
    expect(stored).toHaveLength(accounts.length)
    for (const row of accounts) {
      const account = byName.get(row.account)!
      expect(account._labels?.parent_id ?? '').toBe(row.subsidiary_of)
      expect(account.annual_revenue).toBe(Math.round(Number(row.revenue) * 100) * 10_000)
    }
    expect(stored.filter((account) => account.industry === 'Technology')).toHaveLength(
      accounts.filter((row) => row.sector === 'technolgy').length,
    )
    expect(stored.some((account) => account.country === 'Philipines')).toBe(false)
  })

  it('creates one potential per deal, each account with as many potentials as deals naming it', async () => {
    const stored = await all(engine, 'potentials')
    const perAccount = countBy(
      stored.map((deal) => ({ account: deal._labels?.related_to ?? '' })),
      'account',
    )

    expect(stored).toHaveLength(deals.length)
    expect(perAccount).toEqual(countBy(deals, 'account'))
    expect(stored.filter((deal) => deal.related_to === null)).toHaveLength(
      deals.filter((row) => row.account === '').length,
    )
  })

  it('maps stages, agents, amounts and close dates as the plan says', async () => {
    const stored = await all(engine, 'potentials')
    const stages = {
      Won: 'Closed Won',
      Lost: 'Closed Lost',
      Engaging: 'Qualification',
      Prospecting: 'Prospecting',
    } as Record<string, string>

    stored.forEach((deal, index) => {
      const row = deals[index]
      expect(deal.potentialname).toContain(`(${row.opportunity_id})`)
      expect(deal.sales_stage).toBe(stages[row.deal_stage])
      expect(deal._labels?.assigned_user_id).toBe(row.sales_agent)
      expect(deal.amount).toBe(row.close_value === '' ? null : Number(row.close_value))
      expect(deal.closingdate).toBe(row.close_date || '2018-03-31')
      expect(deal.currency_code).toBe('USD')
    })
  })

  it('links every deal to its product, GTXPro included', async () => {
    const links = await engine.db.read((db) =>
      db
        .selectFrom(linkTableName('potentials', 'products'))
        .select(['source_id', 'target_id'])
        .execute(),
    )
    const productNames = new Map(
      (await all(engine, 'products')).map((product) => [product.id, product.productname]),
    )
    const linked = countBy(
      links.map((link) => ({ product: String(productNames.get(Number(link.target_id))) })),
      'product',
    )
    const expected = countBy(
      deals.map((row) => ({ product: row.product === 'GTXPro' ? 'GTX Pro' : row.product })),
      'product',
    )

    expect(linked).toEqual(expected)
    expect(links).toHaveLength(deals.length)
  })

  it('runs again without creating anything twice', async () => {
    const { user } = await engine.auth.ensureAdmin('admin', 'admin-pass-123')
    const again = await runImportPlan(engine, PLAN, user)

    expect(again.steps.map((step) => step.counts.created)).toEqual([0, 0, 0, 0, 0, 0])
    expect(again.steps.every((step) => step.counts.refused === 0)).toBe(true)
  })
})

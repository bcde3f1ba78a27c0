import Decimal from 'decimal.js'
import { sql } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { EngineError } from '../errors.ts'
import { scaleOf } from '../field-types/number.ts'
import type { ListAccess } from '../storage/list-query.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'
import type { CurrencyTable } from './currencies.ts'

export type ForecastDimension = 'month' | 'stage' | 'owner'

export interface ForecastQuery {
  groupBy: ForecastDimension[]
  /** First and last month, `YYYY-MM`, of the expected close date. */
  from?: string
  to?: string
}

/** One group of a forecast, in the base currency. */
export interface ForecastRow {
  month?: string
  stage?: string
  owner?: number | null
  /** Open records: their count, their amount, and amount × probability. */
  openCount: number
  amount: number
  weighted: number
  /** Won records: their count and amount. */
  wonCount: number
  won: number
  /** The budget target of the owner and month, when both are grouped and an admin set one. */
  target?: number
}

export interface Forecast {
  baseCurrency: string
  groupBy: ForecastDimension[]
  rows: ForecastRow[]
  totals: Omit<ForecastRow, ForecastDimension | 'target'> & { target?: number }
}

interface RawGroup {
  month: string | null
  stage: string | null
  owner: number | null
  currency: string | null
  count: number
  amount: number | null
  weighted: number | null
}

/**
 * The forecast of a module that declares `behaviours.forecast`: open records
 * (stages whose outcome is `open`) with their amount and weighted amount, and
 * won records, grouped by expected close month, stage and owner. Sums run in
 * SQL over exact minor units per currency and are converted to the base
 * currency in decimal, rounding half away from zero once per group.
 */
export async function computeForecast(
  db: Executor,
  runtime: ModuleRuntime,
  query: ForecastQuery,
  currencies: CurrencyTable,
  access: ListAccess & { parent?: { field: string; id: number } } = {},
  budgets: Map<string, number> = new Map(),
): Promise<Forecast> {
  const settings = runtime.definition.behaviours?.forecast
  if (!settings) throw new EngineError('QUERY_INVALID', `${runtime.definition.label.plural} have no forecast settings`)
  for (const name of [settings.amount, settings.weighted]) {
    if (access.hidden?.has(name)) throw new EngineError('FORBIDDEN', `your role may not see ${runtime.fields.get(name)?.title ?? name}`)
  }
  const stageField = runtime.fields.get(settings.stage)
  const outcomes = stageField?.['x-values'] ?? {}
  // Every stage value counts; one without metadata is open until an admin says otherwise.
  const outcomeOf = (value: string) => (Object.hasOwn(outcomes, value) ? outcomes[value].outcome : undefined) ?? 'open'
  const values = stageField?.enum ?? []
  const open = values.filter((value) => outcomeOf(value) === 'open')
  const won = values.filter((value) => outcomeOf(value) === 'won')
  const groups = await selectGroups(db, runtime, settings, [...open, ...won], query, access)
  const amountScale = scaleOf(runtime.fields.get(settings.amount)!)
  const weightedScale = scaleOf(runtime.fields.get(settings.weighted)!)

  const rows = new Map<string, { row: ForecastRow; amount: Decimal; weighted: Decimal; won: Decimal }>()
  for (const group of groups) {
    const key = query.groupBy.map((dimension) => String(group[dimension])).join('\u0000')
    const entry = rows.get(key) ?? { row: blankRow(query.groupBy, group), amount: new Decimal(0), weighted: new Decimal(0), won: new Decimal(0) }
    const rate = currencies.rateOf(group.currency ?? currencies.base)
    const amount = new Decimal(group.amount ?? 0).dividedBy(10 ** amountScale).dividedBy(rate)
    if (won.includes(group.stage ?? '')) {
      entry.row.wonCount += Number(group.count)
      entry.won = entry.won.plus(amount)
    } else {
      entry.row.openCount += Number(group.count)
      entry.amount = entry.amount.plus(amount)
      entry.weighted = entry.weighted.plus(new Decimal(group.weighted ?? 0).dividedBy(10 ** weightedScale).dividedBy(rate))
    }
    rows.set(key, entry)
  }

  const result = [...rows.values()].map(({ row, amount, weighted, won: wonAmount }) => {
    row.amount = money(amount)
    row.weighted = money(weighted)
    row.won = money(wonAmount)
    const budget = budgets.get(`${row.owner}|${row.month}`)
    if (budget !== undefined) row.target = budget

    return row
  })
  result.sort((a, b) => compareRows(a, b, query.groupBy))

  return { baseCurrency: currencies.base, groupBy: query.groupBy, rows: result, totals: totalsOf(result) }
}

async function selectGroups(
  db: Executor,
  runtime: ModuleRuntime,
  settings: NonNullable<NonNullable<ModuleRuntime['definition']['behaviours']>['forecast']>,
  stages: string[],
  query: ForecastQuery,
  access: ListAccess & { parent?: { field: string; id: number } },
): Promise<RawGroup[]> {
  const date = sql.ref(toColumnName(settings.date))
  const currency = settings.currency ? sql.ref(toColumnName(settings.currency)) : sql<string | null>`null`
  let select = db
    .selectFrom(runtime.name)
    .select([
      sql<string | null>`substr(${date}, 1, 7)`.as('month'),
      `${toColumnName(settings.stage)} as stage`,
      `${toColumnName(settings.owner)} as owner`,
      currency.as('currency'),
      sql<number>`count(*)`.as('count'),
      sql<number | null>`sum(${sql.ref(toColumnName(settings.amount))})`.as('amount'),
      sql<number | null>`sum(${sql.ref(toColumnName(settings.weighted))})`.as('weighted'),
    ])
    .where('deleted_at', 'is', null)
    .where(toColumnName(settings.stage), 'in', stages.length > 0 ? stages : [''])
  if (query.from) select = select.where(sql`substr(${date}, 1, 7)`, '>=', monthOrThrow(query.from))
  if (query.to) select = select.where(sql`substr(${date}, 1, 7)`, '<=', monthOrThrow(query.to))
  if (access.owners) select = select.where(toColumnName(access.owners.field), 'in', access.owners.ids.length > 0 ? access.owners.ids : [0])
  if (access.parent) select = select.where(toColumnName(access.parent.field), '=', access.parent.id)

  return (await select.groupBy(['month', 'stage', 'owner', 'currency']).execute()) as RawGroup[]
}

function monthOrThrow(text: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) throw new EngineError('QUERY_INVALID', `"${text}" is not a month; write YYYY-MM`)

  return text
}

function money(value: Decimal): number {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber()
}

function blankRow(groupBy: ForecastDimension[], group: RawGroup): ForecastRow {
  const row: ForecastRow = { openCount: 0, amount: 0, weighted: 0, wonCount: 0, won: 0 }
  if (groupBy.includes('month')) row.month = group.month ?? 'none'
  if (groupBy.includes('stage')) row.stage = group.stage ?? 'none'
  if (groupBy.includes('owner')) row.owner = group.owner

  return row
}

function totalsOf(rows: ForecastRow[]): Forecast['totals'] {
  const sum = (pick: (row: ForecastRow) => number) => rows.reduce((total, row) => total.plus(pick(row)), new Decimal(0)).toNumber()
  const targets = rows.filter((row) => row.target !== undefined)

  return {
    openCount: sum((row) => row.openCount),
    amount: sum((row) => row.amount),
    weighted: sum((row) => row.weighted),
    wonCount: sum((row) => row.wonCount),
    won: sum((row) => row.won),
    ...(targets.length > 0 ? { target: sum((row) => row.target ?? 0) } : {}),
  }
}

function compareRows(a: ForecastRow, b: ForecastRow, groupBy: ForecastDimension[]): number {
  for (const dimension of groupBy) {
    const left = String(a[dimension] ?? '')
    const right = String(b[dimension] ?? '')
    if (left !== right) return left < right ? -1 : 1
  }

  return 0
}

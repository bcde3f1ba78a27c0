import Decimal from 'decimal.js'
import { EngineError } from '../errors.ts'
import type { Executor } from '../storage/open-database.ts'

/** Exchange rates: how many units of a currency one unit of the base currency buys. */
export interface CurrencyTable {
  base: string
  rates: Record<string, string>
  /** The rate of a currency; converting to the base divides by it (1 EUR = 1.10 USD: 500 USD is 454.55 EUR). */
  rateOf(code: string): Decimal
}

const SHIPPED = { base: 'EUR', rates: { EUR: '1', USD: '1.10' } }

export async function createCurrencyTable(db: Executor): Promise<void> {
  await db.schema
    .createTable('_currencies')
    .ifNotExists()
    .addColumn('code', 'text', (column) => column.primaryKey())
    .addColumn('rate', 'text', (column) => column.notNull())
    .addColumn('is_base', 'integer', (column) => column.notNull().defaultTo(0))
    .execute()
  const existing = await db.selectFrom('_currencies').select('code').limit(1).execute()
  if (existing.length === 0) await saveCurrencies(db, SHIPPED.base, SHIPPED.rates)
}

export async function loadCurrencies(db: Executor): Promise<CurrencyTable> {
  const rows = (await db.selectFrom('_currencies').selectAll().execute()) as { code: string; rate: string; is_base: number }[]
  const base = rows.find((row) => Number(row.is_base) === 1)?.code ?? SHIPPED.base
  const rates = Object.fromEntries(rows.map((row) => [row.code, row.rate]))

  return {
    base,
    rates,
    rateOf: (code) => {
      const rate = rates[code]
      if (rate === undefined) throw new EngineError('QUERY_INVALID', `no exchange rate for ${code}; an admin sets it under currencies`)

      return new Decimal(rate)
    },
  }
}

/** Replaces the currency table; the base currency's rate is 1. */
export async function saveCurrencies(db: Executor, base: string, rates: Record<string, string>): Promise<void> {
  const issues: string[] = []
  if (!/^[A-Z]{3}$/.test(base)) issues.push(`"${base}" is not a currency code`)
  for (const [code, rate] of Object.entries(rates)) {
    if (!/^[A-Z]{3}$/.test(code)) issues.push(`"${code}" is not a currency code`)
    if (!/^\d{1,9}(\.\d{1,9})?$/.test(rate) || Number(rate) <= 0) issues.push(`the rate of ${code} must be a positive decimal like "1.10"`)
  }
  if (issues.length > 0) throw new EngineError('RECORD_INVALID', issues.join('; '), { issues: issues.map((message) => ({ path: '/rates', code: 'rate', message })) })
  await db.deleteFrom('_currencies').execute()
  const all = { ...rates, [base]: '1' }
  await db.insertInto('_currencies').values(Object.entries(all).map(([code, rate]) => ({ code, rate, is_base: code === base ? 1 : 0 }))).execute()
}

import { EngineError } from '../errors.ts'
import { fromScaledInteger, toScaledInteger } from '../field-types/decimal-text.ts'
import type { Executor } from '../storage/open-database.ts'

/** A sales target of one owner for one month, in the base currency. */
export interface Budget {
  module: string
  owner_id: number
  period: string
  amount: number
}

export async function createBudgetTable(db: Executor): Promise<void> {
  await db.schema
    .createTable('_budgets')
    .ifNotExists()
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('owner_id', 'integer', (column) => column.notNull())
    .addColumn('period', 'text', (column) => column.notNull())
    .addColumn('amount', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('_budgets_pk', ['module', 'owner_id', 'period'])
    .execute()
}

/** Sets targets; an amount of null removes one. Periods are months, `YYYY-MM`. */
export async function saveBudgets(db: Executor, module: string, items: unknown[]): Promise<void> {
  for (const [index, raw] of items.entries()) {
    const where = `budget ${index + 1}`
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EngineError('RECORD_INVALID', `${where}: send { "owner_id", "period", "amount" }`)
    const item = raw as { owner_id: unknown; period: unknown; amount: unknown }
    if (!Number.isInteger(item.owner_id)) throw new EngineError('RECORD_INVALID', `${where}: owner_id must be a user id`)
    if (typeof item.period !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(item.period)) throw new EngineError('RECORD_INVALID', `${where}: period must be a month like 2026-03`)
    const key = { module, owner_id: item.owner_id as number, period: item.period }
    if (item.amount === null) {
      await db.deleteFrom('_budgets').where('module', '=', module).where('owner_id', '=', key.owner_id).where('period', '=', key.period).execute()
      continue
    }
    const scaled = typeof item.amount === 'number' && item.amount >= 0 ? toScaledInteger(String(item.amount), 2) : null
    if (scaled === null) throw new EngineError('RECORD_INVALID', `${where}: amount must be a positive number with at most 2 decimals`)
    await db
      .insertInto('_budgets')
      .values({ ...key, amount: scaled })
      .onConflict((conflict) => conflict.columns(['module', 'owner_id', 'period']).doUpdateSet({ amount: scaled }))
      .execute()
  }
}

export async function loadBudgets(db: Executor, module: string): Promise<Budget[]> {
  const rows = (await db.selectFrom('_budgets').selectAll().where('module', '=', module).orderBy('period').orderBy('owner_id').execute()) as Budget[]

  return rows.map((row) => ({ ...row, owner_id: Number(row.owner_id), amount: Number(fromScaledInteger(Number(row.amount), 2)) }))
}

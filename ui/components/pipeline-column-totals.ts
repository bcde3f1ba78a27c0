import { html } from 'lit'
import type { ForecastSettings, ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { ForecastRow } from '../api-client.ts'
import { formatMoney } from '../format-money.ts'
import type { Column } from './pipeline-columns.ts'

/** Forecast rows by stage value; undefined until they arrive. */
export type StageSums = Map<string, ForecastRow> | undefined

/**
 * How many records a column holds. Open and won stages take the forecast's
 * count, which covers every record rather than the pages loaded so far; the
 * others, and every stage until the forecast arrives, take the list total.
 */
export function columnCountOf(column: Column, sums: StageSums): number | undefined {
  const row = sums?.get(column.stage)
  if (column.outcome === 'open' && sums) return row?.openCount ?? 0
  if (column.outcome === 'won' && sums) return row?.wonCount ?? 0

  return column.total
}

/**
 * The amounts under a column's heading, in the base currency: amount and
 * weighted amount for an open stage, the amount won for a won stage, and a
 * note for the stages outside the forecast. "…" stands in until the forecast
 * arrives.
 */
export function renderColumnTotals(
  definition: ModuleDefinition,
  settings: ForecastSettings,
  column: Column,
  sums: StageSums,
  baseCurrency: string,
) {
  const fields = definition.record.properties
  const amountTitle = fields[settings.amount]?.title ?? settings.amount
  const weightedTitle = fields[settings.weighted]?.title ?? settings.weighted
  if (column.outcome === 'lost' || column.outcome === 'none') {
    return html`<p class="sums">Not in the forecast</p>`
  }
  const row = sums?.get(column.stage)
  const known = sums !== undefined
  const amount = known ? formatMoney(row ? (column.outcome === 'won' ? row.won : row.amount) : 0, baseCurrency) : '…'
  if (column.outcome === 'won') {
    return html`<dl class="sums">
      <div><dt>${amountTitle} won:</dt> <dd data-sum="amount">${amount}</dd></div>
    </dl>`
  }
  const weighted = known ? formatMoney(row?.weighted ?? 0, baseCurrency) : '…'

  return html`<dl class="sums">
    <div><dt>${amountTitle}:</dt> <dd data-sum="amount">${amount}</dd></div>
    <div><dt>${weightedTitle}:</dt> <dd data-sum="weighted">${weighted}</dd></div>
  </dl>`
}

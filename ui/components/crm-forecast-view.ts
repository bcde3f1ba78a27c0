import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { ForecastSettings } from '../../engine/core/definition/types.ts'
import {
  api,
  type Forecast,
  type ForecastDimension,
  type ForecastQuery,
  type ForecastRow,
  type LiveModule,
  type SessionUser,
} from '../api-client.ts'
import { formatMoney, formatMonth } from '../format-money.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { ChartGroup } from './crm-forecast-chart.ts'
import './crm-exchange-rates.ts'
import './crm-forecast-budgets.ts'
import './crm-forecast-chart.ts'

const GROUPINGS: { value: string; label: string }[] = [
  { value: 'month', label: 'Month' },
  { value: 'stage', label: 'Stage' },
  { value: 'owner', label: 'Owner' },
  { value: 'owner,month', label: 'Owner and month' },
]
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/**
 * The sales forecast of a module whose definition declares
 * `behaviours.forecast`: open records' amount and weighted amount and the
 * won amount, grouped by expected close month, stage, owner, or owner and
 * month (then with each owner's budget target), between two months. A bar
 * chart, a table with totals, the base currency and a CSV export of the
 * same query; admins also edit budget targets and exchange rates.
 */
export class CrmForecastView extends LitElement {
  static override properties = {
    module: {},
    user: { attribute: false },
    live: { state: true },
    grouping: { state: true },
    from: { state: true },
    to: { state: true },
    forecast: { state: true },
    loading: { state: true },
    problem: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      form.query {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      form.query label {
        display: grid;
        gap: 0.25rem;
        min-width: 0;
      }
      form.query input {
        min-width: 0;
      }
      .numbers td,
      .numbers th.number,
      .numbers tfoot th {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .numbers td.key {
        text-align: left;
      }
      form.query .button {
        justify-content: center;
      }
      tfoot th,
      tfoot td {
        font-weight: 700;
        background: #f5f7fa;
        border-top: 2px solid var(--crm-border);
      }
      .under {
        color: var(--crm-danger);
      }
      .reached {
        color: var(--crm-ok);
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        margin: 0 0 0.75rem;
      }
      .summary div {
        display: grid;
      }
      .summary dt {
        font-size: 0.85rem;
        color: var(--crm-muted);
      }
      .summary dd {
        margin: 0;
        font-size: 1.2rem;
        font-weight: 700;
      }
      [aria-busy='true'] {
        opacity: 0.65;
      }
    `,
  ]

  /** The module's machine name, for example `potentials`. */
  declare module: string
  /** The logged-in user; admins also see budgets and exchange rates. */
  declare user: SessionUser | undefined
  declare live: LiveModule | undefined
  /** The groupBy parameter, `month`, `stage`, `owner` or `owner,month`. */
  declare grouping: string
  declare from: string
  declare to: string
  declare forecast: Forecast | undefined
  declare loading: boolean
  declare problem: string | undefined

  #requestNumber = 0

  constructor() {
    super()
    this.module = ''
    this.grouping = 'month'
    this.from = ''
    this.to = ''
    this.loading = true
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#loadDefinition()
  }

  override render() {
    const live = this.live
    if (this.problem && live === undefined)
      return html`<div class="alert" role="alert">${this.problem}</div>`
    if (live === undefined) return html`<p role="status">Loading the forecast…</p>`
    const label = live.definition.label
    const settings = live.definition.behaviours?.forecast
    if (settings === undefined) {
      return html`<h1>${label.plural} forecast</h1>
        <p class="panel">
          ${label.plural} have no forecast: their definition declares no forecast settings (stage,
          amount, weighted amount, date and owner). Use the
          <a href=${hrefOf({ screen: 'list', module: this.module })}>list of ${label.plural}</a>
          instead.
        </p>`
    }

    return html`
      <h1>${label.plural} forecast</h1>
      ${this.#renderQuery()}
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <div aria-busy=${this.loading ? 'true' : 'false'}>${this.#renderForecast(settings)}</div>
      ${
        // Below the forecast, and only once it is there: arriving later, it would push them down.
        this.user?.isAdmin && (this.forecast !== undefined || this.problem !== undefined)
          ? html`<crm-forecast-budgets
                .module=${this.module}
                .currency=${this.forecast?.baseCurrency ?? ''}
                @crm-budgets-change=${this.#reload}
              ></crm-forecast-budgets>
              <crm-exchange-rates @crm-rates-change=${this.#reload}></crm-exchange-rates>`
          : nothing
      }
    `
  }

  #renderQuery() {
    return html`<form class="query" aria-label="Forecast settings" @submit=${this.#submit}>
      <label
        >Group by
        <select name="groupBy" @change=${this.#changeGrouping}>
          ${GROUPINGS.map(
            (grouping) =>
              html`<option value=${grouping.value} ?selected=${grouping.value === this.grouping}>
                ${grouping.label}
              </option>`,
          )}
        </select></label
      >
      <label
        >From month
        <input
          type="month"
          name="from"
          .value=${this.from}
          @change=${(event: Event) => this.#changeMonth('from', event)}
      /></label>
      <label
        >To month
        <input
          type="month"
          name="to"
          .value=${this.to}
          @change=${(event: Event) => this.#changeMonth('to', event)}
      /></label>
      <a
        class="button"
        href=${api.forecastCsvUrl(this.module, this.#query())}
        download="${this.module}-forecast.csv"
        >Export CSV</a
      >
    </form>`
  }

  #renderForecast(settings: ForecastSettings) {
    const forecast = this.forecast
    if (forecast === undefined) return html`<p role="status">Loading the forecast…</p>`
    const plural = this.live!.definition.label.plural.toLowerCase()
    const currency = forecast.baseCurrency
    const totals = forecast.totals
    if (forecast.rows.length === 0) {
      return html`<p class="panel">
        No open or won ${plural} close ${this.from || this.to ? 'in these months' : 'at any date'}.
        ${this.from || this.to
          ? 'Widen the months, or clear them to see every month.'
          : `Create or import ${plural} with a close date and an amount; they show here.`}
      </p>`
    }

    return html`
      <dl class="summary" aria-label="Totals in ${currency}">
        <div><dt>Open</dt><dd data-total="open">${totals.openCount}</dd></div>
        <div><dt>Open amount</dt><dd data-total="amount">${formatMoney(totals.amount, currency)}</dd></div>
        <div>
          <dt>Weighted</dt>
          <dd data-total="weighted">${formatMoney(totals.weighted, currency)}</dd>
        </div>
        <div><dt>Won</dt><dd data-total="won">${formatMoney(totals.won, currency)}</dd></div>
        ${
          totals.target === undefined
            ? nothing
            : html`<div>
                <dt>Target</dt>
                <dd data-total="target">${formatMoney(totals.target, currency)}</dd>
              </div>`
        }
      </dl>
      <section class="panel" aria-label="Chart">
        <crm-forecast-chart
          .groups=${this.#chartGroups(forecast)}
          .currency=${currency}
          .caption=${this.#chartCaption(forecast)}
        ></crm-forecast-chart>
      </section>
      ${this.#renderTable(settings, forecast)}
    `
  }

  #renderTable(settings: ForecastSettings, forecast: Forecast) {
    const currency = forecast.baseCurrency
    const fields = this.live!.definition.record.properties
    const dimensions = forecast.groupBy
    const withTarget = dimensions.includes('owner') && dimensions.includes('month')
    const headings: Record<ForecastDimension, string> = {
      month: 'Month',
      stage: fields[settings.stage]?.title ?? 'Stage',
      owner: fields[settings.owner]?.title ?? 'Owner',
    }
    const weightedTitle = fields[settings.weighted]?.title ?? 'Weighted'
    const totals = forecast.totals

    return html`<div class="table-scroll">
      <table class="numbers forecast">
        <caption class="visually-hidden">
          ${this.#chartCaption(forecast)}
        </caption>
        <thead>
          <tr>
            ${dimensions.map((dimension) => html`<th scope="col">${headings[dimension]}</th>`)}
            <th scope="col" class="number">Open</th>
            <th scope="col" class="number">Amount (${currency})</th>
            <th scope="col" class="number">${weightedTitle} (${currency})</th>
            <th scope="col" class="number">Won</th>
            <th scope="col" class="number">Won amount (${currency})</th>
            ${withTarget ? html`<th scope="col" class="number">Target (${currency})</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${forecast.rows.map(
            (row) => html`<tr data-key=${keyOf(row, dimensions)}>
              ${dimensions.map(
                (dimension, index) =>
                  index === 0
                    ? html`<th scope="row">${labelOf(row, dimension)}</th>`
                    : html`<td class="key">${labelOf(row, dimension)}</td>`,
              )}
              <td data-column="open">${row.openCount}</td>
              <td data-column="amount">${formatMoney(row.amount)}</td>
              <td data-column="weighted">${formatMoney(row.weighted)}</td>
              <td data-column="wonCount">${row.wonCount}</td>
              <td data-column="won">${formatMoney(row.won)}</td>
              ${withTarget ? this.#renderTarget(row) : nothing}
            </tr>`,
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan=${dimensions.length}>Total</th>
            <td data-column="open">${totals.openCount}</td>
            <td data-column="amount">${formatMoney(totals.amount)}</td>
            <td data-column="weighted">${formatMoney(totals.weighted)}</td>
            <td data-column="wonCount">${totals.wonCount}</td>
            <td data-column="won">${formatMoney(totals.won)}</td>
            ${withTarget ? html`<td data-column="target">${formatMoney(totals.target)}</td>` : nothing}
          </tr>
        </tfoot>
      </table>
    </div>`
  }

  #renderTarget(row: ForecastRow) {
    if (row.target === undefined) return html`<td data-column="target"></td>`
    const reached = row.won + row.weighted >= row.target
    const note = reached ? 'won and weighted reach it' : 'won and weighted fall short'

    return html`<td data-column="target" class=${reached ? 'reached' : 'under'} title=${note}>
      ${formatMoney(row.target)}<span class="visually-hidden"> (${note})</span>
    </td>`
  }

  /** The chart's groups: the rows, or per month when grouped by owner and month. */
  #chartGroups(forecast: Forecast): ChartGroup[] {
    const dimensions = forecast.groupBy
    const key = dimensions.includes('month') ? 'month' : dimensions[0]
    const groups = new Map<string, ChartGroup>()
    for (const row of forecast.rows) {
      const id = String(row[key] ?? '')
      const group = groups.get(id) ?? {
        key: id,
        label: labelOf(row, key),
        amount: 0,
        weighted: 0,
        won: 0,
      }
      group.amount = cents(group.amount + row.amount)
      group.weighted = cents(group.weighted + row.weighted)
      group.won = cents(group.won + row.won)
      if (row.target !== undefined) group.target = cents((group.target ?? 0) + row.target)
      groups.set(id, group)
    }

    return [...groups.values()]
  }

  #chartCaption(forecast: Forecast): string {
    const by = forecast.groupBy.includes('month')
      ? 'expected close month'
      : forecast.groupBy[0] === 'stage'
        ? 'stage'
        : 'owner'
    const plural = this.live!.definition.label.plural

    return `${plural} forecast by ${by}, in ${forecast.baseCurrency}`
  }

  #query(): ForecastQuery {
    return {
      groupBy: this.grouping.split(',') as ForecastDimension[],
      from: MONTH.test(this.from) ? this.from : undefined,
      to: MONTH.test(this.to) ? this.to : undefined,
    }
  }

  async #loadDefinition(): Promise<void> {
    try {
      this.live = await api.getModule(this.module)
      if (this.live.definition.behaviours?.forecast) await this.#loadForecast()
    } catch (error) {
      this.problem = `The module “${this.module}” could not be loaded: ${messageOf(error)}. Choose a module in the navigation.`
    }
  }

  async #loadForecast(): Promise<void> {
    const number = ++this.#requestNumber
    this.loading = true
    try {
      const forecast = await api.getForecast(this.module, this.#query())
      if (number !== this.#requestNumber) return
      this.forecast = forecast
      this.problem = undefined
    } catch (error) {
      if (number !== this.#requestNumber) return
      this.problem = `The forecast could not be loaded: ${messageOf(error)}. Check the months, or reload the page.`
    } finally {
      if (number === this.#requestNumber) this.loading = false
    }
  }

  #reload = () => void this.#loadForecast()

  #submit = (event: SubmitEvent) => {
    event.preventDefault()
    void this.#loadForecast()
  }

  #changeGrouping = (event: Event) => {
    this.grouping = (event.target as HTMLSelectElement).value
    void this.#loadForecast()
  }

  #changeMonth(which: 'from' | 'to', event: Event): void {
    const value = (event.target as HTMLInputElement).value
    if (value !== '' && !MONTH.test(value)) return
    if (which === 'from') this.from = value
    else this.to = value
    void this.#loadForecast()
  }
}

function labelOf(row: ForecastRow, dimension: ForecastDimension): string {
  if (dimension === 'owner') return row.ownerName ?? (row.owner == null ? 'Nobody' : `#${row.owner}`)
  if (dimension === 'month') return row.month === 'none' ? 'No date' : formatMonth(row.month ?? '')

  return row.stage ?? ''
}

function keyOf(row: ForecastRow, dimensions: ForecastDimension[]): string {
  return dimensions.map((dimension) => String(row[dimension] ?? '')).join('|')
}

function cents(value: number): number {
  return Math.round(value * 100) / 100
}

customElements.define('crm-forecast-view', CrmForecastView)

declare global {
  interface HTMLElementTagNameMap {
    'crm-forecast-view': CrmForecastView
  }
}

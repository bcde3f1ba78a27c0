import { css, html, LitElement, nothing } from 'lit'
import { api, type CurrencyRates } from '../api-client.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'

const CODE = /^[A-Z]{3}$/
const RATE = /^\d{1,9}(\.\d{1,9})?$/

interface Row {
  code: string
  rate: string
}

/**
 * Exchange rates for admins: the base currency every forecast is shown in
 * and, per other currency, how many of its units one base unit buys. Saved
 * as a whole; fires `crm-rates-change` after a save.
 */
export class CrmExchangeRates extends LitElement {
  static override properties = {
    base: { state: true },
    rows: { state: true },
    loaded: { state: true },
    saving: { state: true },
    problem: { state: true },
    notice: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .base {
        display: grid;
        gap: 0.25rem;
        max-width: 12rem;
        margin-bottom: 0.75rem;
      }
      td input {
        max-width: 10rem;
      }
      td button {
        min-height: 2.1rem;
        padding: 0.2rem 0.7rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
    `,
  ]

  declare base: string
  declare rows: Row[]
  declare loaded: boolean
  declare saving: boolean
  declare problem: string | undefined
  declare notice: string | undefined

  constructor() {
    super()
    this.base = ''
    this.rows = []
    this.loaded = false
    this.saving = false
  }

  override connectedCallback(): void {
    super.connectedCallback()
    void this.#load()
  }

  override render() {
    return html`<section class="panel" aria-labelledby="rates-heading">
      <h2 id="rates-heading">Exchange rates</h2>
      <p class="muted">
        Amounts in other currencies are divided by their rate to give the base currency: with
        1 EUR = 1.10 USD, 500 USD count as 454.55 EUR.
      </p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <div role="status">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.loaded ? this.#renderForm() : html`<p role="status">Loading exchange rates…</p>`}
    </section>`
  }

  #renderForm() {
    const others = this.rows

    return html`<form @submit=${this.#save} aria-label="Exchange rates">
      <label class="base"
        >Base currency
        <input
          maxlength="3"
          autocomplete="off"
          .value=${this.base}
          @input=${(event: Event) => (this.base = upper(event))}
      /></label>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">
            Rates against the base currency
          </caption>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Units for 1 ${this.base || 'base unit'}</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${others.map(
              (row, index) => html`<tr>
                <td>
                  <input
                    maxlength="3"
                    autocomplete="off"
                    aria-label="Currency code ${index + 1}"
                    .value=${row.code}
                    @input=${(event: Event) => this.#edit(index, { code: upper(event) })}
                  />
                </td>
                <td>
                  <input
                    inputmode="decimal"
                    autocomplete="off"
                    aria-label="Rate of ${row.code || `currency ${index + 1}`}"
                    .value=${row.rate}
                    @input=${(event: Event) =>
                      this.#edit(index, { rate: (event.target as HTMLInputElement).value.trim() })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label="Remove ${row.code || `currency ${index + 1}`}"
                    @click=${() => (this.rows = this.rows.filter((_, at) => at !== index))}
                  >
                    Remove
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <button type="button" @click=${this.#addRow}>Add a currency</button>
        <button type="submit" class="primary" ?disabled=${this.saving}>Save exchange rates</button>
      </div>
    </form>`
  }

  async #load(): Promise<void> {
    try {
      this.#show(await api.getCurrencies())
    } catch (error) {
      this.problem = `The exchange rates could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }

  #show(table: CurrencyRates): void {
    this.base = table.base
    this.rows = Object.entries(table.rates)
      .filter(([code]) => code !== table.base)
      .map(([code, rate]) => ({ code, rate }))
    this.loaded = true
  }

  #edit(index: number, change: Partial<Row>): void {
    this.rows = this.rows.map((row, at) => (at === index ? { ...row, ...change } : row))
  }

  #addRow = async () => {
    this.rows = [...this.rows, { code: '', rate: '' }]
    await this.updateComplete
    const inputs = this.renderRoot.querySelectorAll<HTMLInputElement>('tbody tr:last-child input')
    inputs[0]?.focus()
  }

  #save = async (event: SubmitEvent) => {
    event.preventDefault()
    const problems: string[] = []
    if (!CODE.test(this.base)) problems.push('the base currency must be a three-letter code like EUR')
    const rows = this.rows.filter((row) => row.code !== '' || row.rate !== '')
    for (const row of rows) {
      if (!CODE.test(row.code)) problems.push(`“${row.code}” is not a three-letter currency code`)
      else if (!RATE.test(row.rate) || Number(row.rate) <= 0)
        problems.push(`the rate of ${row.code} must be a positive decimal like 1.10`)
    }
    if (problems.length > 0) {
      this.problem = `The rates were not saved: ${problems.join('; ')}.`
      return
    }
    this.saving = true
    this.problem = undefined
    this.notice = undefined
    try {
      const rates = Object.fromEntries(rows.map((row) => [row.code, row.rate]))
      this.#show(await api.saveCurrencies({ base: this.base, rates }))
      this.notice = `Exchange rates saved; forecasts are in ${this.base}.`
      this.dispatchEvent(new CustomEvent('crm-rates-change', { bubbles: true, composed: true }))
    } catch (error) {
      this.problem = `The rates were not saved: ${messageOf(error)}.`
    } finally {
      this.saving = false
    }
  }
}

function upper(event: Event): string {
  return (event.target as HTMLInputElement).value.trim().toUpperCase()
}

customElements.define('crm-exchange-rates', CrmExchangeRates)

declare global {
  interface HTMLElementTagNameMap {
    'crm-exchange-rates': CrmExchangeRates
  }
}

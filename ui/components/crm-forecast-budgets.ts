import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { api, type Budget } from '../api-client.ts'
import { formatMonth } from '../format-money.ts'
import { recordTitleOf } from '../field-values.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-relation-picker.ts'

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const MAX_USERS = 500

/**
 * Budget targets of one module's forecast, for admins: one row per owner
 * and month with its amount in the base currency. A row's amount can be
 * changed or removed, and a new target added by picking a user, a month and
 * an amount. Fires `crm-budgets-change` after every save.
 */
export class CrmForecastBudgets extends LitElement {
  static override properties = {
    module: {},
    currency: {},
    items: { state: true },
    names: { state: true },
    drafts: { state: true },
    owner: { state: true },
    ownerLabel: { state: true },
    period: { state: true },
    amount: { state: true },
    saving: { state: true },
    problem: { state: true },
    notice: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .add {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
        gap: 0.75rem;
        align-items: end;
        margin-top: 1rem;
      }
      .add label,
      .add crm-relation-picker {
        display: grid;
        gap: 0.25rem;
        min-width: 0;
      }
      .add input {
        min-width: 0;
      }
      td input {
        max-width: 10rem;
      }
      td .actions {
        display: flex;
        gap: 0.4rem;
      }
      td button {
        min-height: 2.1rem;
        padding: 0.2rem 0.7rem;
      }
    `,
  ]

  declare module: string
  /** The base currency the targets are in. */
  declare currency: string
  declare items: Budget[] | undefined
  /** User names by id. */
  declare names: Map<number, string>
  /** Amounts typed into existing rows, by `owner|period`. */
  declare drafts: Map<string, string>
  declare owner: number | null
  declare ownerLabel: string | undefined
  declare period: string
  declare amount: string
  declare saving: boolean
  declare problem: string | undefined
  declare notice: string | undefined

  constructor() {
    super()
    this.module = ''
    this.currency = ''
    this.names = new Map()
    this.drafts = new Map()
    this.owner = null
    this.period = ''
    this.amount = ''
    this.saving = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#load()
  }

  override render() {
    const currency = this.currency ? ` (${this.currency})` : ''

    return html`<section class="panel" aria-labelledby="budgets-heading">
      <h2 id="budgets-heading">Budget targets</h2>
      <p class="muted">
        A target per salesperson and month. The forecast shows it beside the weighted and won
        amounts when grouped by owner and month.
      </p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <div role="status">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.#renderTable(currency)}
      <form class="add" @submit=${this.#add} aria-label="Add a target">
        <crm-relation-picker
          label="Owner"
          module="users"
          required
          .value=${this.owner}
          .valueLabel=${this.ownerLabel}
          @crm-relation-change=${this.#pickOwner}
        ></crm-relation-picker>
        <label
          >Month
          <input
            type="month"
            name="period"
            required
            .value=${this.period}
            @input=${(event: Event) => (this.period = (event.target as HTMLInputElement).value)}
        /></label>
        <label
          >Target${currency}
          <input
            type="number"
            name="amount"
            min="0"
            step="0.01"
            required
            .value=${this.amount}
            @input=${(event: Event) => (this.amount = (event.target as HTMLInputElement).value)}
        /></label>
        <button type="submit" class="primary" ?disabled=${this.saving}>Add target</button>
      </form>
    </section>`
  }

  #renderTable(currency: string) {
    const items = this.items
    if (items === undefined) return html`<p role="status">Loading targets…</p>`
    if (items.length === 0) return html`<p>No targets yet: add the first one below.</p>`

    return html`<div class="table-scroll">
      <table>
        <caption class="visually-hidden">
          Budget targets
        </caption>
        <thead>
          <tr>
            <th scope="col">Owner</th>
            <th scope="col">Month</th>
            <th scope="col">Target${currency}</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${items.map((item) => {
            const key = `${item.owner_id}|${item.period}`
            const name = this.#nameOf(item.owner_id)
            const label = `Target of ${name} for ${formatMonth(item.period)}`
            return html`<tr data-owner=${item.owner_id} data-period=${item.period}>
              <th scope="row">${name}</th>
              <td>${formatMonth(item.period)}</td>
              <td>
                <input
                  type="number"
                  min="0"
                  step="0.01"
                  aria-label=${label}
                  .value=${this.drafts.get(key) ?? String(item.amount ?? '')}
                  @input=${(event: Event) => this.#type(key, event)}
                />
              </td>
              <td>
                <div class="actions">
                  <button
                    type="button"
                    ?disabled=${this.saving || !this.drafts.has(key)}
                    aria-label="Save ${label}"
                    @click=${() => void this.#saveRow(item, key)}
                  >
                    Save
                  </button>
                  <button
                    type="button"
                    ?disabled=${this.saving}
                    aria-label="Remove ${label}"
                    @click=${() => void this.#save([{ ...item, amount: null }], `${label} is removed.`)}
                  >
                    Remove
                  </button>
                </div>
              </td>
            </tr>`
          })}
        </tbody>
      </table>
    </div>`
  }

  async #load(): Promise<void> {
    try {
      const [budgets, users, page] = await Promise.all([
        api.getBudgets(this.module),
        api.getModule('users'),
        api.listRecords('users', { limit: MAX_USERS }),
      ])
      this.names = new Map(page.items.map((user) => [user.id, recordTitleOf(users.definition, user)]))
      this.items = budgets.items
    } catch (error) {
      this.problem = `The targets could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }

  #nameOf(id: number): string {
    return this.names.get(id) ?? `User #${id}`
  }

  #type(key: string, event: Event): void {
    const drafts = new Map(this.drafts)
    drafts.set(key, (event.target as HTMLInputElement).value)
    this.drafts = drafts
  }

  #pickOwner = (event: CustomEvent<{ value: number | null; label?: string }>) => {
    this.owner = event.detail.value
    this.ownerLabel = event.detail.label
    if (event.detail.value !== null && event.detail.label) {
      this.names = new Map([...this.names, [event.detail.value, event.detail.label]])
    }
  }

  async #saveRow(item: Budget, key: string): Promise<void> {
    const amount = readAmount(this.drafts.get(key) ?? '')
    if (amount === undefined) {
      this.problem = `Write the target of ${this.#nameOf(item.owner_id)} as an amount of at least 0 with at most 2 decimals, like 15000 or 15000.50.`
      return
    }
    const label = `The target of ${this.#nameOf(item.owner_id)} for ${formatMonth(item.period)}`
    await this.#save([{ ...item, amount }], `${label} is saved.`)
  }

  #add = async (event: SubmitEvent) => {
    event.preventDefault()
    if (this.owner === null) {
      this.problem = 'Choose the owner of the target: type part of a user name and pick one.'
      return
    }
    if (!MONTH.test(this.period)) {
      this.problem = 'Choose the month of the target.'
      return
    }
    const amount = readAmount(this.amount)
    if (amount === undefined) {
      this.problem = 'Write the target as an amount of at least 0 with at most 2 decimals, like 15000 or 15000.50.'
      return
    }
    const name = this.#nameOf(this.owner)
    const saved = await this.#save(
      [{ owner_id: this.owner, period: this.period, amount }],
      `The target of ${name} for ${formatMonth(this.period)} is saved.`,
    )
    if (saved) {
      this.amount = ''
      this.period = ''
    }
  }

  async #save(items: Budget[], notice: string): Promise<boolean> {
    this.saving = true
    this.problem = undefined
    this.notice = undefined
    try {
      const answer = await api.saveBudgets(this.module, items)
      this.items = answer.items
      const drafts = new Map(this.drafts)
      for (const item of items) drafts.delete(`${item.owner_id}|${item.period}`)
      this.drafts = drafts
      this.notice = notice
      this.dispatchEvent(new CustomEvent('crm-budgets-change', { bubbles: true, composed: true }))

      return true
    } catch (error) {
      this.problem = `The target was not saved: ${messageOf(error)}.`

      return false
    } finally {
      this.saving = false
    }
  }
}

/** A non-negative amount with at most two decimals, or undefined. */
function readAmount(text: string): number | undefined {
  const trimmed = text.trim()
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(trimmed)) return undefined

  return Number(trimmed)
}

customElements.define('crm-forecast-budgets', CrmForecastBudgets)

declare global {
  interface HTMLElementTagNameMap {
    'crm-forecast-budgets': CrmForecastBudgets
  }
}

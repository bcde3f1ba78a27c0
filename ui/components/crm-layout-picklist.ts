import { css, html, LitElement, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { ChangeOperation } from '../../engine/core/definition/change-operations.ts'
import type { FieldDefinition, PicklistValueMeta } from '../../engine/core/definition/types.ts'
import { picklistValuesOf } from '../apply-layout-operations.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { LayoutOperationDetail } from './crm-layout-canvas.ts'

const EMPTY = '\u0000empty'

/**
 * The values of one picklist field: add, reorder, rename, merge, delete with
 * a replacement, and per-value metadata (probability 0–100, outcome). Fires
 * `crm-layout-operation` (bubbling and composed, so the editor hears it
 * through the property panel).
 */
export class CrmLayoutPicklist extends LitElement {
  static override properties = {
    field: { attribute: false },
    name: {},
    chosen: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      table {
        font-size: 0.9rem;
      }
      th,
      td {
        padding: 0.25rem 0.35rem;
        white-space: normal;
      }
      td input,
      td select {
        min-height: 2rem;
        padding: 0.15rem 0.3rem;
      }
      .number {
        width: 4.5rem;
      }
      .icon {
        min-height: 2rem;
        padding: 0.1rem 0.45rem;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: end;
        margin-top: 0.5rem;
      }
      form .field {
        display: grid;
        gap: 0.2rem;
        flex: 1 1 9rem;
      }
      h3 {
        margin: 0 0 0.5rem;
        font-size: 1rem;
      }
      h4 {
        margin: 0.75rem 0 0;
        font-size: 0.95rem;
      }
      .chosen {
        border: 1px solid var(--crm-border);
        border-radius: 6px;
        padding: 0.25rem 0.75rem 0.75rem;
        margin-top: 0.5rem;
      }
    `,
  ]

  /** The picklist field in the draft. */
  declare field: FieldDefinition | undefined
  /** The field's name. */
  declare name: string
  /** The value whose rename, merge and delete forms are open. */
  declare chosen: string | undefined

  constructor() {
    super()
    this.name = ''
  }

  override render() {
    const field = this.field
    if (field === undefined) return nothing
    const values = picklistValuesOf(field)
    const meta = field['x-values'] ?? {}

    return html`<h3>Picklist values</h3>
      <table>
        <caption class="visually-hidden">
          Values of ${field.title}
        </caption>
        <thead>
          <tr>
            <th scope="col">Value</th>
            <th scope="col">Probability (%)</th>
            <th scope="col">Outcome</th>
            <th scope="col"><span class="visually-hidden">Order and actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            values,
            (value) => value,
            (value, index) => this.#renderRow(values, value, index, meta[value]),
          )}
        </tbody>
      </table>
      ${this.chosen !== undefined && values.includes(this.chosen) ? this.#renderChosen(values, this.chosen) : nothing}
      <form aria-label="Add a value" @submit=${this.#add}>
        <div class="field">
          <label for="new-value">New value</label>
          <input id="new-value" name="value" required maxlength="200" />
        </div>
        <button type="submit">Add value</button>
      </form>`
  }

  #renderRow(values: string[], value: string, index: number, meta: PicklistValueMeta | undefined) {
    return html`<tr>
      <th scope="row">${value}</th>
      <td>
        <input
          class="number"
          type="number"
          min="0"
          max="100"
          aria-label="Probability of ${value}"
          .value=${meta?.probability === undefined ? '' : String(meta.probability)}
          @change=${(event: Event) => this.#setMeta(value, meta, { probability: (event.target as HTMLInputElement).value })}
        />
      </td>
      <td>
        <select
          aria-label="Outcome of ${value}"
          @change=${(event: Event) => this.#setMeta(value, meta, { outcome: (event.target as HTMLSelectElement).value })}
        >
          <option value="" ?selected=${meta?.outcome === undefined}>—</option>
          ${(['open', 'won', 'lost'] as const).map((outcome) => html`<option value=${outcome} ?selected=${meta?.outcome === outcome}>${outcome}</option>`)}
        </select>
      </td>
      <td>
        <button
          class="icon"
          type="button"
          aria-label="Move ${value} up"
          ?disabled=${index === 0}
          @click=${() => this.#reorder(values, index, index - 1)}
        >
          ↑
        </button>
        <button
          class="icon"
          type="button"
          aria-label="Move ${value} down"
          ?disabled=${index === values.length - 1}
          @click=${() => this.#reorder(values, index, index + 1)}
        >
          ↓
        </button>
        <button
          class="icon"
          type="button"
          aria-pressed=${this.chosen === value ? 'true' : 'false'}
          @click=${() => (this.chosen = this.chosen === value ? undefined : value)}
        >
          Edit<span class="visually-hidden"> ${value}</span>
        </button>
      </td>
    </tr>`
  }

  #renderChosen(values: string[], value: string) {
    const others = values.filter((item) => item !== value)

    return html`<div class="chosen" role="group" aria-label="Change ${value}">
      <h4>“${value}”</h4>
      <form
        aria-label="Rename ${value}"
        @submit=${(event: SubmitEvent) => this.#rename(event, value)}
      >
        <div class="field">
          <label for="rename-value">Rename to</label>
          <input id="rename-value" name="to" required maxlength="200" .value=${value} />
        </div>
        <button type="submit">Rename value</button>
      </form>
      ${
        others.length === 0
          ? nothing
          : html`<form
              aria-label="Merge ${value}"
              @submit=${(event: SubmitEvent) => this.#merge(event, value)}
            >
              <div class="field">
                <label for="merge-into">Merge into</label>
                <select id="merge-into" name="into">
                  ${others.map((other) => html`<option value=${other}>${other}</option>`)}
                </select>
              </div>
              <button type="submit">Merge value</button>
            </form>`
      }
      <form
        aria-label="Delete ${value}"
        @submit=${(event: SubmitEvent) => this.#delete(event, value)}
      >
        <div class="field">
          <label for="replacement">Records with “${value}” get</label>
          <select id="replacement" name="replacement">
            ${others.map((other) => html`<option value=${other}>${other}</option>`)}
            <option value=${EMPTY}>No value (leave them empty)</option>
          </select>
        </div>
        <button type="submit">Delete value</button>
      </form>
    </div>`
  }

  #emit(operation: ChangeOperation): void {
    const detail: LayoutOperationDetail = { operation }
    this.dispatchEvent(
      new CustomEvent('crm-layout-operation', { detail, bubbles: true, composed: true }),
    )
  }

  #add = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const value = String(new FormData(form).get('value') ?? '').trim()
    if (value === '') return
    form.reset()
    this.#emit({ op: 'addPicklistValue', field: this.name, value })
  }

  #reorder(values: string[], from: number, to: number): void {
    const next = [...values]
    const [moved] = next.splice(from, 1)
    next.splice(to, 0, moved)
    this.#emit({ op: 'reorderPicklistValues', field: this.name, values: next })
  }

  #setMeta(
    value: string,
    current: PicklistValueMeta | undefined,
    change: { probability?: string; outcome?: string },
  ): void {
    const meta: PicklistValueMeta = { ...current }
    if (change.probability !== undefined) {
      const number = Number(change.probability)
      if (change.probability.trim() === '') delete meta.probability
      else if (Number.isFinite(number)) meta.probability = Math.min(100, Math.max(0, number))
    }
    if (change.outcome !== undefined) {
      if (change.outcome === '') delete meta.outcome
      else meta.outcome = change.outcome as PicklistValueMeta['outcome']
    }
    const empty = Object.keys(meta).length === 0
    this.#emit({ op: 'setPicklistValueMeta', field: this.name, value, meta: empty ? null : meta })
  }

  #rename(event: SubmitEvent, from: string): void {
    event.preventDefault()
    const to = String(new FormData(event.target as HTMLFormElement).get('to') ?? '').trim()
    if (to === '' || to === from) return
    this.chosen = to
    this.#emit({ op: 'renamePicklistValue', field: this.name, from, to })
  }

  #merge(event: SubmitEvent, from: string): void {
    event.preventDefault()
    const into = String(new FormData(event.target as HTMLFormElement).get('into'))
    this.chosen = undefined
    this.#emit({ op: 'mergePicklistValues', field: this.name, from: [from], into })
  }

  #delete(event: SubmitEvent, value: string): void {
    event.preventDefault()
    const choice = String(new FormData(event.target as HTMLFormElement).get('replacement'))
    this.chosen = undefined
    const replacement = choice === EMPTY ? null : choice
    this.#emit({ op: 'deletePicklistValue', field: this.name, value, replacement })
  }
}

customElements.define('crm-layout-picklist', CrmLayoutPicklist)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-picklist': CrmLayoutPicklist
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { live } from 'lit/directives/live.js'
import { api, type CrmRecord, type LiveModule } from '../api-client.ts'
import { recordTitleOf } from '../field-values.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'

const SEARCH_DELAY_MS = 250
const OPTION_COUNT = 10

interface Option {
  id: number
  title: string
}

/**
 * A search-as-you-type choice of one record of another module (a combobox
 * with a list box). It renders its own label so the label stays tied to the
 * input inside this shadow root. Fires `crm-relation-change` with
 * `detail.value` (the id, or null when cleared) and `detail.label`.
 */
export class CrmRelationPicker extends LitElement {
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true }

  static override properties = {
    label: {},
    module: {},
    value: { attribute: false },
    valueLabel: {},
    error: {},
    required: { type: Boolean },
    text: { state: true },
    options: { state: true },
    open: { state: true },
    active: { state: true },
    status: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .field {
        display: grid;
        gap: 0.25rem;
        position: relative;
      }
      .required {
        color: var(--crm-danger);
      }
      .combo {
        display: flex;
        gap: 0.25rem;
      }
      [aria-invalid='true'] {
        border-color: var(--crm-danger);
        border-width: 2px;
      }
      ul {
        position: absolute;
        top: 100%;
        left: 0;
        right: 0;
        z-index: 3;
        margin: 0.15rem 0 0;
        padding: 0.25rem 0;
        list-style: none;
        background: var(--crm-surface);
        border: 1px solid var(--crm-border);
        border-radius: 6px;
        box-shadow: 0 6px 18px rgba(0, 0, 0, 0.12);
        max-height: 16rem;
        overflow-y: auto;
      }
      li {
        padding: 0.45rem 0.75rem;
        cursor: pointer;
      }
      li[aria-selected='true'] {
        background: var(--crm-accent);
        color: #fff;
      }
      li.note {
        cursor: default;
        color: var(--crm-muted);
      }
      .error {
        margin: 0;
        font-size: 0.9rem;
      }
    `,
  ]

  /** The field's label, shown and tied to the search input. */
  declare label: string
  /** The module whose records are offered, for example `accounts` or `users`. */
  declare module: string
  /** The chosen record's id, or null. */
  declare value: number | null
  /** The chosen record's title. */
  declare valueLabel: string | undefined
  /** The server's message about this field. */
  declare error: string | undefined
  /** Whether a value is required. */
  declare required: boolean
  declare text: string
  declare options: Option[]
  declare open: boolean
  declare active: number
  declare status: string | undefined

  #target: LiveModule | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #searchNumber = 0

  constructor() {
    super()
    this.label = ''
    this.module = ''
    this.value = null
    this.required = false
    this.text = ''
    this.options = []
    this.open = false
    this.active = -1
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value') || changed.has('valueLabel')) this.text = this.#chosenText()
  }

  override disconnectedCallback(): void {
    clearTimeout(this.#timer)
    super.disconnectedCallback()
  }

  override render() {
    const activeId = this.open && this.active >= 0 ? `option-${this.active}` : nothing

    return html`<div class="field">
      <label for="input">
        ${this.label}${this.required ? html` <span class="required" aria-hidden="true">*</span>` : nothing}
      </label>
      <div class="combo">
        <input
          id="input"
          role="combobox"
          autocomplete="off"
          placeholder="Type to search"
          aria-autocomplete="list"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="listbox"
          aria-activedescendant=${activeId}
          aria-required=${this.required ? 'true' : 'false'}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'error' : nothing}
          .value=${live(this.text)}
          @input=${this.#type}
          @keydown=${this.#key}
          @focus=${this.#focus}
          @blur=${this.#blur}
        />
        ${
          this.value === null
            ? nothing
            : html`<button type="button" aria-label="Clear ${this.label}" @click=${this.#clear}>
                ✕
              </button>`
        }
      </div>
      <ul id="listbox" role="listbox" aria-label=${this.label} ?hidden=${!this.open}>
        ${this.options.map(
          (option, index) =>
            html`<li
              id="option-${index}"
              role="option"
              aria-selected=${index === this.active ? 'true' : 'false'}
              @mousedown=${(event: Event) => event.preventDefault()}
              @click=${() => this.#choose(option)}
            >
              ${option.title}
            </li>`,
        )}
        ${this.status ? html`<li class="note" role="presentation">${this.status}</li>` : nothing}
      </ul>
      ${this.error ? html`<p id="error" class="error">${this.error}</p>` : nothing}
    </div>`
  }

  #type = (event: InputEvent) => {
    this.text = (event.target as HTMLInputElement).value
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#search(), SEARCH_DELAY_MS)
  }

  #focus = () => {
    if (this.options.length === 0) void this.#search()
  }

  #blur = () => {
    this.open = false
    // Leaving an emptied input clears the choice; leaving a half-typed search keeps the old choice.
    if (this.text.trim() === '' && this.value !== null) this.#emit(null)
    else this.text = this.#chosenText()
  }

  #key = (event: KeyboardEvent) => {
    const count = this.options.length
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      if (!this.open) void this.#search()
      else if (count > 0) this.active = (this.active + 1) % count
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault()
      this.active = (this.active - 1 + count) % count
    } else if (event.key === 'Enter' && this.open) {
      // Enter picks the highlighted record instead of submitting the form.
      event.preventDefault()
      const option = this.options[this.active] ?? (count === 1 ? this.options[0] : undefined)
      if (option) this.#choose(option)
    } else if (event.key === 'Escape' && this.open) {
      event.preventDefault()
      this.open = false
      this.text = this.#chosenText()
    }
  }

  async #search(): Promise<void> {
    const number = ++this.#searchNumber
    this.open = true
    this.status = 'Searching…'
    try {
      this.#target ??= await api.getModule(this.module)
      const target = this.#target
      const page = await api.listRecords(this.module, { q: this.#query(), limit: OPTION_COUNT })
      if (number !== this.#searchNumber) return
      this.options = page.items.map((record: CrmRecord) => ({
        id: record.id,
        title: recordTitleOf(target.definition, record),
      }))
      this.active = this.options.length > 0 ? 0 : -1
      this.status = this.#statusOf(page.total)
    } catch (error) {
      if (number !== this.#searchNumber) return
      this.options = []
      this.status = `Search failed: ${messageOf(error)}. Type again to retry.`
    }
  }

  #query(): string {
    const text = this.text.trim()
    // The input still shows the chosen title: offer everything, not just that record.
    return text === this.#chosenText() ? '' : text
  }

  #statusOf(total: number): string | undefined {
    if (total === 0) return 'No matching records. Try fewer letters.'
    if (total > this.options.length)
      return `${total - this.options.length} more; type more letters to narrow down.`

    return undefined
  }

  #choose(option: Option): void {
    this.open = false
    this.text = option.title
    this.#emit(option.id, option.title)
  }

  #clear = () => {
    this.text = ''
    this.#emit(null)
    this.renderRoot.querySelector('input')?.focus()
  }

  #emit(value: number | null, label?: string): void {
    this.dispatchEvent(new CustomEvent('crm-relation-change', { detail: { value, label } }))
  }

  #chosenText(): string {
    if (this.value === null) return ''

    return this.valueLabel ?? `#${this.value}`
  }
}

customElements.define('crm-relation-picker', CrmRelationPicker)

declare global {
  interface HTMLElementTagNameMap {
    'crm-relation-picker': CrmRelationPicker
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import { targetModuleOf, visibleFields } from '../field-values.ts'
import { DATE_PRESETS, type ListFilter } from '../list-state.ts'
import { loadRecordTitle } from '../record-titles.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-relation-picker.ts'

const NUMBER_KINDS = new Set(['integer', 'decimal', 'currency', 'percent', 'computed'])
const DATE_KINDS = new Set(['date', 'datetime'])
const OPERATOR_TEXT: Record<string, string> = {
  eq: 'is',
  ne: 'is not',
  lt: 'before or below',
  lte: 'at most',
  gt: 'above',
  gte: 'at least',
  contains: 'contains',
  in: 'is one of',
  empty: 'is empty',
  within: 'in',
}

/**
 * The filter builder of a list: the active conditions with a remove button
 * each, and a form that adds conditions on one field with inputs that fit
 * its kind (text contains, picklist in, date range or preset, number range,
 * relation is, owner is me). Fires `crm-filters-change` with `detail.filters`.
 * "Owner is me" is kept as the value `me`, which the server reads as whoever
 * asks, so a shared view "My deals" shows each reader their own deals.
 * A chip of a relation filter names the record, also when only its id came
 * along (a reload, a shared link, a saved view).
 */
export class CrmListFilters extends LitElement {
  static override properties = {
    definition: { attribute: false },
    filters: { attribute: false },
    field: { state: true },
    draft: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        list-style: none;
        padding: 0;
        margin: 0 0 0.5rem;
      }
      .chips li {
        display: flex;
        align-items: center;
        gap: 0.25rem;
        border: 1px solid #c9d3e0;
        border-radius: 1rem;
        padding: 0.1rem 0.25rem 0.1rem 0.75rem;
      }
      .chips button {
        min-height: 1.75rem;
        padding: 0 0.5rem;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.5rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        border: 1px solid #c9d3e0;
        padding: 0.25rem 0.5rem;
      }
      fieldset label {
        display: flex;
        align-items: center;
        gap: 0.25rem;
      }
    `,
  ]

  declare definition: ModuleDefinition | undefined
  declare filters: ListFilter[]
  /** The field the add form is about. */
  declare field: string
  /** What the add form holds, by input name. */
  declare draft: Record<string, string>

  // Titles of records picked in relation filters, to name them in the chips.
  #labels = new Map<string, string>()

  constructor() {
    super()
    this.filters = []
    this.field = ''
    this.draft = {}
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('filters') || changed.has('definition')) this.#nameRecords()
  }

  /** Looks up the titles of records that filters name only by id. */
  #nameRecords(): void {
    for (const filter of this.filters) {
      const field = this.#fieldOf(filter.field)
      const target = field ? targetModuleOf(field) : undefined
      const key = `${filter.field}:${filter.value}`
      if (target === undefined || !/^[1-9]\d*$/.test(filter.value) || this.#labels.has(key)) continue
      void loadRecordTitle(target, Number(filter.value)).then((title) => {
        if (title === undefined || this.#labels.has(key)) return
        this.#labels.set(key, title)
        this.requestUpdate()
      })
    }
  }

  override render() {
    const definition = this.definition
    if (definition === undefined) return nothing
    const fields = visibleFields(definition).filter(([, field]) => field['x-kind'] !== 'textarea')

    return html`<section aria-label="Filters">
      ${this.filters.length === 0
        ? nothing
        : html`<ul class="chips" aria-label="Active filters">
            ${this.filters.map((filter, index) => this.#renderChip(filter, index))}
          </ul>`}
      <form @submit=${this.#apply}>
        <label>
          Filter by
          <select
            .value=${this.field}
            @change=${(event: Event) => {
              this.field = (event.target as HTMLSelectElement).value
              this.draft = {}
            }}
          >
            <option value="">Choose a field…</option>
            ${fields.map(
              ([name, field]) =>
                html`<option value=${name} ?selected=${name === this.field}>${field.title}</option>`,
            )}
          </select>
        </label>
        ${this.#renderEditor()}
        ${this.field
          ? html`<button type="submit" class="primary">Apply filter</button>`
          : nothing}
        ${this.filters.length > 0
          ? html`<button type="button" @click=${() => this.#emit([])}>Clear filters</button>`
          : nothing}
      </form>
    </section>`
  }

  #fieldOf(name: string): FieldDefinition | undefined {
    return this.definition?.record.properties[name]
  }

  #renderChip(filter: ListFilter, index: number) {
    const field = this.#fieldOf(filter.field)
    const title = field?.title ?? filter.field
    const text = `${title} ${OPERATOR_TEXT[filter.operator] ?? filter.operator} ${this.#valueText(filter, field)}`

    return html`<li>
      <span>${text}</span>
      <button
        type="button"
        aria-label="Remove filter ${text}"
        @click=${() => this.#emit(this.filters.filter((_, other) => other !== index))}
      >
        ×
      </button>
    </li>`
  }

  // TODO(#5): views saved before `me` hold their creator's id; nothing tells those from a person picked on purpose.
  #valueText(filter: ListFilter, field: FieldDefinition | undefined): string {
    if (filter.operator === 'within')
      return (DATE_PRESETS as Record<string, string>)[filter.value]?.toLowerCase() ?? filter.value
    if (filter.operator === 'empty') return ''
    if (filter.operator === 'in') return filter.value.split(',').join(', ')
    if (field?.['x-kind'] === 'user' && filter.value === 'me') return 'me'
    if (field && targetModuleOf(field))
      return this.#labels.get(`${filter.field}:${filter.value}`) ?? `#${filter.value}`

    return filter.value
  }

  #set(name: string, value: string): void {
    this.draft = { ...this.draft, [name]: value }
  }

  #input(name: string, label: string, type = 'text') {
    return html`<label>
      ${label}
      <input
        type=${type}
        step=${type === 'number' ? 'any' : nothing}
        .value=${this.draft[name] ?? ''}
        @input=${(event: Event) => this.#set(name, (event.target as HTMLInputElement).value)}
      />
    </label>`
  }

  #renderEditor() {
    const field = this.#fieldOf(this.field)
    if (field === undefined) return nothing
    const kind = field['x-kind']
    const title = field.title
    const choices = field.enum ?? field.items?.enum
    if (choices) {
      const chosen = new Set((this.draft.in ?? '').split(',').filter(Boolean))

      return html`<fieldset>
        <legend>${title} is one of</legend>
        ${choices.map(
          (choice) =>
            html`<label>
              <input
                type="checkbox"
                .checked=${chosen.has(choice)}
                @change=${(event: Event) => {
                  const next = new Set(chosen)
                  if ((event.target as HTMLInputElement).checked) next.add(choice)
                  else next.delete(choice)
                  this.#set('in', [...next].join(','))
                }}
              />
              ${choice}
            </label>`,
        )}
      </fieldset>`
    }
    if (DATE_KINDS.has(kind)) {
      const preset = this.draft.within ?? ''

      return html`<label>
          ${title} range
          <select @change=${(event: Event) => this.#set('within', (event.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${preset === ''}>From and to…</option>
            ${Object.entries(DATE_PRESETS).map(
              ([value, text]) =>
                html`<option value=${value} ?selected=${preset === value}>${text}</option>`,
            )}
          </select>
        </label>
        ${preset === '' ? html`${this.#input('gte', 'From', 'date')} ${this.#input('lte', 'To', 'date')}` : nothing}`
    }
    if (NUMBER_KINDS.has(kind)) {
      return html`${this.#input('gte', `${title} at least`, 'number')}
      ${this.#input('lte', `${title} at most`, 'number')}`
    }
    const target = targetModuleOf(field)
    if (target !== undefined) {
      return html`<crm-relation-picker
          .label=${`${title} is`}
          .module=${target}
          .value=${this.draft.eq ? Number(this.draft.eq) : null}
          .valueLabel=${this.draft.label}
          @crm-relation-change=${(event: CustomEvent<{ value: number | null; label?: string }>) => {
            this.draft = {
              eq: event.detail.value === null ? '' : String(event.detail.value),
              label: event.detail.label ?? '',
            }
          }}
        ></crm-relation-picker>
        ${kind === 'user'
          ? html`<button
              type="button"
              @click=${() => this.#replace(this.field, [{ field: this.field, operator: 'eq', value: 'me' }])}
            >
              ${title} is me
            </button>`
          : nothing}`
    }
    if (kind === 'boolean') {
      return html`<label>
        ${title} is
        <select @change=${(event: Event) => this.#set('eq', (event.target as HTMLSelectElement).value)}>
          <option value="">Choose…</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      </label>`
    }

    return this.#input('contains', `${title} contains`)
  }

  #apply = (event: SubmitEvent) => {
    event.preventDefault()
    const name = this.field
    if (!name) return
    const added: ListFilter[] = []
    for (const operator of ['within', 'in', 'contains', 'eq', 'gte', 'lte']) {
      const value = (this.draft[operator] ?? '').trim()
      if (value !== '') added.push({ field: name, operator, value })
    }
    if (added.some((filter) => filter.operator === 'within'))
      added.splice(0, added.length, added.find((filter) => filter.operator === 'within')!)
    if (this.draft.eq && this.draft.label) this.#labels.set(`${name}:${this.draft.eq}`, this.draft.label)
    this.#replace(name, added)
  }

  #replace(name: string, added: ListFilter[]): void {
    this.#emit([...this.filters.filter((filter) => filter.field !== name), ...added])
    this.field = ''
    this.draft = {}
  }

  #emit(filters: ListFilter[]): void {
    this.dispatchEvent(new CustomEvent('crm-filters-change', { detail: { filters } }))
  }
}

customElements.define('crm-list-filters', CrmListFilters)

declare global {
  interface HTMLElementTagNameMap {
    'crm-list-filters': CrmListFilters
  }
}

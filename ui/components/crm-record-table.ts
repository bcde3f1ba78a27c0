import { css, html, LitElement, nothing } from 'lit'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { CrmRecord } from '../api-client.ts'
import { formatValue, listColumns, recordTitleOf, visibleFields } from '../field-values.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

/** A button at the end of each row (Unlink); `name` gives its accessible name per record. */
export interface RowAction {
  text: string
  name: (record: CrmRecord) => string
  disabled?: boolean
}

/**
 * A table of records of one module: the definition's list columns, related
 * records by title, the first cell linking to the record. With `sortable`,
 * header buttons fire `crm-sort` with `detail.sort` (`field` or `-field`).
 * With `rowAction`, each row ends with a button that fires `crm-row-action`
 * with `detail.record`.
 */
export class CrmRecordTable extends LitElement {
  static override properties = {
    definition: { attribute: false },
    records: { attribute: false },
    sort: {},
    sortable: { type: Boolean },
    caption: {},
    rowAction: { attribute: false },
    columns: { attribute: false },
    selectable: { type: Boolean },
    selected: { attribute: false },
  }

  static override styles = [
    sharedStyles,
    css`
      /* Fixed layout: columns share the width by weight and long values truncate, so a list
         of eight columns fits 1280 px instead of scrolling sideways; narrower screens scroll. */
      table {
        table-layout: fixed;
        min-width: 48rem;
      }
      th {
        white-space: normal;
        vertical-align: bottom;
        overflow-wrap: break-word;
      }
      th,
      td {
        padding: 0.5rem 0.6rem;
      }
      td {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .number {
        text-align: right;
      }
      th button {
        border: none;
        background: none;
        min-height: 0;
        padding: 0.2rem 0;
        color: inherit;
        font-weight: 600;
      }
      tbody tr:hover {
        background: #f6f9fd;
      }
      th.select,
      td.select {
        text-align: center;
        padding: 0.5rem 0.25rem;
      }
      td.action {
        text-align: right;
      }
      td.action button {
        min-height: 2rem;
        padding: 0.2rem 0.6rem;
      }
    `,
  ]

  /** The module definition whose `x-list` fields become the columns. */
  declare definition: ModuleDefinition | undefined
  /** The records to show, in the order given. */
  declare records: CrmRecord[]
  /** The current sort, `field` ascending or `-field` descending. */
  declare sort: string | undefined
  /** Whether the column headers are buttons that ask for another sort. */
  declare sortable: boolean
  /** The table's accessible name, for example "Potentials". */
  declare caption: string
  declare rowAction: RowAction | undefined
  /** The columns to show in order; unset (or naming no live field) for the `x-list` fields. */
  declare columns: string[] | undefined
  /** Whether each row starts with a checkbox; changes fire `crm-select` with `detail.ids` and `detail.selected`. */
  declare selectable: boolean
  /** The ids of the checked rows. */
  declare selected: ReadonlySet<number>

  constructor() {
    super()
    this.records = []
    this.sortable = false
    this.caption = ''
    this.selectable = false
    this.selected = new Set()
  }

  #columns(definition: ModuleDefinition): [string, FieldDefinition][] {
    if (this.columns === undefined || this.columns.length === 0) return listColumns(definition)
    const fields = new Map(visibleFields(definition))
    const chosen = this.columns
      .filter((name) => fields.has(name))
      .map((name): [string, FieldDefinition] => [name, fields.get(name)!])

    return chosen.length > 0 ? chosen : listColumns(definition)
  }

  #select(ids: number[], selected: boolean): void {
    this.dispatchEvent(new CustomEvent('crm-select', { detail: { ids, selected } }))
  }

  #renderSelectHeader() {
    if (!this.selectable) return nothing
    const ids = this.records.map((record) => record.id)
    const all = ids.length > 0 && ids.every((id) => this.selected.has(id))

    return html`<th scope="col" class="select">
      <input
        type="checkbox"
        aria-label="Select page"
        .checked=${all}
        @change=${(event: Event) => this.#select(ids, (event.target as HTMLInputElement).checked)}
      />
    </th>`
  }

  #renderSelectCell(record: CrmRecord) {
    if (!this.selectable) return nothing

    return html`<td class="select">
      <input
        type="checkbox"
        aria-label="Select ${recordTitleOf(this.definition!, record)}"
        .checked=${this.selected.has(record.id)}
        @change=${(event: Event) =>
          this.#select([record.id], (event.target as HTMLInputElement).checked)}
      />
    </td>`
  }

  override render() {
    const definition = this.definition
    if (definition === undefined) return nothing
    const columns = this.#columns(definition)

    // The wrapper scrolls sideways on narrow screens; focusable so keyboards can scroll it too.
    return html`<div class="table-scroll" role="region" aria-label=${this.caption} tabindex="0">
      <table>
        <caption class="visually-hidden">
          ${this.caption}
        </caption>
        <colgroup>
          ${this.selectable ? html`<col style="width: 2.5rem" />` : nothing}
          ${columnWidths(columns, this.rowAction !== undefined).map(
            (width) => html`<col style="width: ${width}%" />`,
          )}
        </colgroup>
        <thead>
          <tr>
            ${this.#renderSelectHeader()}
            ${columns.map(([name, field]) => this.#renderHeader(name, field))}
            ${this.rowAction
              ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>`
              : nothing}
          </tr>
        </thead>
        <tbody>
          ${this.records.map(
            (record) =>
              html`<tr>
                ${this.#renderSelectCell(record)}
                ${columns.map(([name, field], index) => {
                  const text = formatValue(field, record[name], record._labels?.[name])
                  const align = isNumeric(field) ? 'number' : ''
                  // The whole value as a tooltip: the cell may show it cut short.
                  if (index > 0)
                    return html`<td class=${align} title=${text || nothing}>${text}</td>`
                  const href = hrefOf({ screen: 'detail', module: definition.name, id: record.id })
                  const title = text || `#${record.id}`

                  return html`<td title=${title}><a href=${href}>${title}</a></td>`
                })}
                ${this.#renderAction(record)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`
  }

  #renderAction(record: CrmRecord) {
    const action = this.rowAction
    if (action === undefined) return nothing

    return html`<td class="action">
      <button
        type="button"
        aria-label=${action.name(record)}
        ?disabled=${action.disabled}
        @click=${() =>
          this.dispatchEvent(new CustomEvent('crm-row-action', { detail: { record } }))}
      >
        ${action.text}
      </button>
    </td>`
  }

  #renderHeader(name: string, field: FieldDefinition) {
    const title = field.title
    const align = isNumeric(field) ? 'number' : ''
    if (!this.sortable) return html`<th class=${align} scope="col">${title}</th>`
    const direction =
      this.sort === name ? 'ascending' : this.sort === `-${name}` ? 'descending' : undefined
    const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : ''
    const next = direction === 'ascending' ? `-${name}` : name

    return html`<th class=${align} scope="col" aria-sort=${direction ?? 'none'}>
      <button type="button" @click=${() => this.#requestSort(next)}>
        ${title} <span aria-hidden="true">${arrow}</span>
      </button>
    </th>`
  }

  #requestSort(sort: string): void {
    this.dispatchEvent(new CustomEvent('crm-sort', { detail: { sort } }))
  }
}

const NUMERIC_KINDS = new Set(['integer', 'decimal', 'currency', 'percent', 'computed'])

// How much room a column of each kind needs, relative to the others.
const WIDTH_WEIGHTS: Partial<Record<string, number>> = {
  text: 1.5,
  email: 1.6,
  url: 1.5,
  relation: 1.4,
  user: 1.2,
  picklist: 1.2,
  'multi-picklist': 1.4,
  date: 1.05,
  datetime: 1.3,
  currency: 1.35,
  decimal: 1.2,
  computed: 1.35,
  integer: 0.8,
  percent: 0.8,
  'auto-number': 1,
  boolean: 0.6,
}

function isNumeric(field: FieldDefinition): boolean {
  return NUMERIC_KINDS.has(field['x-kind']) && field.type !== 'string'
}

/** Column widths in percent; the first column (the link to the record) gets the most room. */
function columnWidths(columns: [string, FieldDefinition][], withAction = false): number[] {
  const weights = columns.map(
    ([, field], index) => (WIDTH_WEIGHTS[field['x-kind']] ?? 1.2) * (index === 0 ? 1.6 : 1),
  )
  if (withAction) weights.push(1)
  const total = weights.reduce((sum, weight) => sum + weight, 0)

  return weights.map((weight) => Math.round((weight / total) * 1000) / 10)
}

customElements.define('crm-record-table', CrmRecordTable)

declare global {
  interface HTMLElementTagNameMap {
    'crm-record-table': CrmRecordTable
  }
}

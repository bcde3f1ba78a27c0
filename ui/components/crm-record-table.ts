import { css, html, LitElement, nothing } from 'lit'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { CrmRecord } from '../api-client.ts'
import { formatValue, listColumns } from '../field-values.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

/**
 * A table of records of one module: the definition's list columns, related
 * records by title, the first cell linking to the record. With `sortable`,
 * header buttons fire `crm-sort` with `detail.sort` (`field` or `-field`).
 */
export class CrmRecordTable extends LitElement {
  static override properties = {
    definition: { attribute: false },
    records: { attribute: false },
    sort: {},
    sortable: { type: Boolean },
    caption: {},
  }

  static override styles = [
    sharedStyles,
    css`
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

  constructor() {
    super()
    this.records = []
    this.sortable = false
    this.caption = ''
  }

  override render() {
    const definition = this.definition
    if (definition === undefined) return nothing
    const columns = listColumns(definition)

    // The wrapper scrolls sideways on narrow screens; focusable so keyboards can scroll it too.
    return html`<div class="table-scroll" role="region" aria-label=${this.caption} tabindex="0">
      <table>
        <caption class="visually-hidden">
          ${this.caption}
        </caption>
        <thead>
          <tr>
            ${columns.map(([name, field]) => this.#renderHeader(name, field.title))}
          </tr>
        </thead>
        <tbody>
          ${this.records.map(
            (record) =>
              html`<tr>
                ${columns.map(([name, field], index) => {
                  const text = formatValue(field, record[name], record._labels?.[name])
                  if (index > 0) return html`<td>${text}</td>`
                  const href = hrefOf({ screen: 'detail', module: definition.name, id: record.id })

                  return html`<td><a href=${href}>${text || `#${record.id}`}</a></td>`
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`
  }

  #renderHeader(name: string, title: string) {
    if (!this.sortable) return html`<th scope="col">${title}</th>`
    const direction =
      this.sort === name ? 'ascending' : this.sort === `-${name}` ? 'descending' : undefined
    const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : ''
    const next = direction === 'ascending' ? `-${name}` : name

    return html`<th scope="col" aria-sort=${direction ?? 'none'}>
      <button type="button" @click=${() => this.#requestSort(next)}>
        ${title} <span aria-hidden="true">${arrow}</span>
      </button>
    </th>`
  }

  #requestSort(sort: string): void {
    this.dispatchEvent(new CustomEvent('crm-sort', { detail: { sort } }))
  }
}

customElements.define('crm-record-table', CrmRecordTable)

declare global {
  interface HTMLElementTagNameMap {
    'crm-record-table': CrmRecordTable
  }
}

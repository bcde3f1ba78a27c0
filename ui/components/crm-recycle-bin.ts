import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { api, type CrmRecord, type LiveModule, type RecordPage } from '../api-client.ts'
import { formatValue, listColumns, recordTitleOf } from '../field-values.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

const PAGE_SIZE = 25

/**
 * The recycle bin of one module: its deleted records, most recently deleted
 * first, page by page, each with a "Restore" button that takes it out of
 * the bin. Only users whose role may delete in the module may restore.
 */
export class CrmRecycleBin extends LitElement {
  static override properties = {
    module: {},
    live: { state: true },
    page: { state: true },
    offset: { state: true },
    loading: { state: true },
    problem: { state: true },
    notice: { state: true },
    restoring: { state: true },
    restored: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .pager {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      .pager output {
        margin-right: auto;
      }
      td button {
        min-height: 2.1rem;
        padding: 0.2rem 0.7rem;
      }
      tbody[aria-busy='true'] {
        opacity: 0.6;
      }
    `,
  ]

  /** The module's machine name, for example `potentials`. */
  declare module: string
  declare live: LiveModule | undefined
  declare page: RecordPage | undefined
  declare offset: number
  declare loading: boolean
  declare problem: string | undefined
  declare notice: string | undefined
  /** The id of the record being restored. */
  declare restoring: number | undefined
  /** The record restored last, linked from the notice. */
  declare restored: CrmRecord | undefined

  #requestNumber = 0

  constructor() {
    super()
    this.module = ''
    this.offset = 0
    this.loading = true
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#loadDefinition()
  }

  override render() {
    const live = this.live
    if (this.problem && live === undefined)
      return html`<div class="alert" role="alert">${this.problem}</div>`
    if (live === undefined) return html`<p role="status">Loading the recycle bin…</p>`
    const label = live.definition.label
    if (live.permission?.delete === false) {
      return html`<h1>Recycle bin: ${label.plural}</h1>
        <p class="panel">
          Your role may not delete or restore ${label.plural.toLowerCase()}, so their recycle bin
          is not open to you. Ask an administrator to restore a record you need.
        </p>`
    }

    return html`
      <h1>Recycle bin: ${label.plural}</h1>
      <p class="muted">
        Deleted ${label.plural.toLowerCase()} stay here until they are restored. Restoring puts a
        record back in the
        <a href=${hrefOf({ screen: 'list', module: this.module })}>list of ${label.plural}</a>
        with its values and links.
      </p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <div role="status">
        ${
          this.notice
            ? html`<p class="notice">
                ${this.notice}
                ${
                  this.restored
                    ? html`<a
                        href=${hrefOf({ screen: 'detail', module: this.module, id: this.restored.id })}
                        >Open ${recordTitleOf(live.definition, this.restored)}</a
                      >`
                    : nothing
                }
              </p>`
            : nothing
        }
      </div>
      ${this.#renderRecords(live)}
    `
  }

  #renderRecords(live: LiveModule) {
    const page = this.page
    const plural = live.definition.label.plural.toLowerCase()
    if (page === undefined) return html`<p role="status">Loading deleted ${plural}…</p>`
    if (page.total === 0) {
      return html`<p class="panel">The recycle bin is empty: no ${plural} are deleted.</p>`
    }
    const definition = live.definition
    // A few columns besides the title keep the Restore button in sight on narrow screens.
    const columns = listColumns(definition)
      .filter(([name]) => name !== definition.recordTitle)
      .slice(0, 4)
    const first = this.offset + 1
    const last = this.offset + page.items.length

    return html`
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">
            Deleted ${plural}
          </caption>
          <thead>
            <tr>
              <th scope="col">${titleHeading(live)}</th>
              ${columns.map(([, field]) => html`<th scope="col">${field.title}</th>`)}
              <th scope="col">Deleted</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody aria-busy=${this.loading ? 'true' : 'false'}>
            ${page.items.map((record) => {
              const title = recordTitleOf(definition, record)
              return html`<tr data-id=${record.id}>
                <th scope="row">${title}</th>
                ${columns.map(
                  ([name, field]) =>
                    html`<td>${formatValue(field, record[name], record._labels?.[name])}</td>`,
                )}
                <td>${deletedAt(record)}</td>
                <td>
                  <button
                    type="button"
                    aria-label="Restore ${title}"
                    ?disabled=${this.restoring !== undefined}
                    @click=${() => void this.#restore(record)}
                  >
                    ${this.restoring === record.id ? 'Restoring…' : 'Restore'}
                  </button>
                </td>
              </tr>`
            })}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <output>${first}–${last} of ${page.total}</output>
        <button
          type="button"
          ?disabled=${this.offset === 0 || this.loading}
          @click=${() => this.#goTo(this.offset - PAGE_SIZE)}
        >
          Previous page
        </button>
        <button
          type="button"
          ?disabled=${last >= page.total || this.loading}
          @click=${() => this.#goTo(this.offset + PAGE_SIZE)}
        >
          Next page
        </button>
      </div>
    `
  }

  async #loadDefinition(): Promise<void> {
    try {
      this.live = await api.getModule(this.module)
      if (this.live.permission?.delete !== false) await this.#loadRecords()
    } catch (error) {
      this.problem = `The module “${this.module}” could not be loaded: ${messageOf(error)}. Choose a module in the navigation.`
    }
  }

  async #loadRecords(): Promise<void> {
    const number = ++this.#requestNumber
    this.loading = true
    try {
      const query = { deleted: true, sort: '-updated_at', limit: PAGE_SIZE, offset: this.offset }
      const page = await api.listRecords(this.module, query)
      if (number !== this.#requestNumber) return
      // The last record of the last page was restored: show the page before.
      if (page.items.length === 0 && page.total > 0 && this.offset > 0) {
        this.offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE)
        return void (await this.#loadRecords())
      }
      this.page = page
      this.problem = undefined
    } catch (error) {
      if (number !== this.#requestNumber) return
      this.problem = `The deleted records could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    } finally {
      if (number === this.#requestNumber) this.loading = false
    }
  }

  async #restore(record: CrmRecord): Promise<void> {
    const title = recordTitleOf(this.live!.definition, record)
    this.restoring = record.id
    this.notice = undefined
    this.restored = undefined
    try {
      this.restored = await api.restoreRecord(this.module, record.id)
      this.notice = `“${title}” is restored.`
      this.problem = undefined
      await this.#loadRecords()
    } catch (error) {
      this.problem = `“${title}” could not be restored: ${messageOf(error)}. Reload the page and try again.`
    } finally {
      this.restoring = undefined
    }
    // The restored row is gone: keep keyboard users in the table or on the notice.
    await this.updateComplete
    const next = this.renderRoot.querySelector<HTMLButtonElement>('tbody button:not([disabled])')
    if (next) next.focus()
    else this.renderRoot.querySelector<HTMLAnchorElement>('.notice a')?.focus()
  }

  #goTo(offset: number): void {
    this.offset = Math.max(0, offset)
    void this.#loadRecords()
  }
}

function titleHeading(live: LiveModule): string {
  const title = live.definition.recordTitle

  return title ? (live.definition.record.properties[title]?.title ?? 'Record') : 'Record'
}

function deletedAt(record: CrmRecord): string {
  const text = record.deleted_at

  return typeof text === 'string' ? formatValue({ 'x-kind': 'datetime', title: '' }, text) : ''
}

customElements.define('crm-recycle-bin', CrmRecycleBin)

declare global {
  interface HTMLElementTagNameMap {
    'crm-recycle-bin': CrmRecycleBin
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { api, ApiError, type LiveModule, type RecordPage } from '../api-client.ts'
import { listRecords, massUpdate, type MassUpdateResult } from '../list-api.ts'
import { listHash, PAGE_SIZES, readListState, type ListFilter, type ListState } from '../list-state.ts'
import { listColumns, recordTitleOf, visibleFields } from '../field-values.ts'
import { exportHref } from '../list-api.ts'
import { hrefOf } from '../route.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-record-table.ts'
import './crm-mass-edit.ts'
import './crm-list-filters.ts'
import './crm-saved-views.ts'
import type { SavedView } from '../list-api.ts'

const SEARCH_DELAY_MS = 300

/**
 * The list screen of one module: a search box, the records in the
 * definition's list columns, sorting by column header and paging. The
 * search, sort and page live in the hash (`#/potentials?q=…&sort=-amount&offset=25`),
 * so a reload or a shared link shows the same page.
 */
export class CrmRecordList extends LitElement {
  static override properties = {
    module: {},
    live: { state: true },
    page: { state: true },
    query: { state: true },
    sort: { state: true },
    offset: { state: true },
    limit: { state: true },
    view: { state: true },
    loading: { state: true },
    problem: { state: true },
    filters: { state: true },
    columns: { state: true },
    selected: { state: true },
    action: { state: true },
    busy: { state: true },
    outcome: { state: true },
    userId: { state: true },
    viewNote: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .search {
        display: flex;
        gap: 0.5rem;
        flex: 1 1 16rem;
      }
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
      .selection {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin: 0.5rem 0;
      }
      .selection output {
        margin-right: auto;
      }
      .outcome ul {
        margin: 0.25rem 0 0;
      }
    `,
  ]

  /** The module's machine name, for example `potentials`. */
  declare module: string
  declare live: LiveModule | undefined
  declare page: RecordPage | undefined
  declare query: string
  declare sort: string | undefined
  declare offset: number
  /** Rows per page. */
  declare limit: number
  /** The saved view picked, kept in the address. */
  declare view: number | undefined
  declare loading: boolean
  declare problem: string | undefined
  declare filters: ListFilter[]
  declare columns: string[] | undefined
  /** The checked records, kept across pages; titles for the confirmation and the report. */
  declare selected: Map<number, string>
  /** The open selection action: the mass edit form or the delete confirmation. */
  declare action: 'edit' | 'delete' | undefined
  declare busy: boolean
  /** What the last mass edit or delete did, with every failure and its reason. */
  declare outcome: Outcome | undefined
  /** The logged-in user's id, for telling one's own saved views. */
  declare userId: number | undefined
  /** Says which fields a picked view named that the module no longer has. */
  declare viewNote: string | undefined

  // Answers can arrive out of order while someone types; only the latest request may render.
  #requestNumber = 0
  #searchTimer: ReturnType<typeof setTimeout> | undefined

  constructor() {
    super()
    this.module = ''
    this.loading = true
    const state = readListState(location.hash)
    this.query = state.q
    this.sort = state.sort
    this.offset = state.offset
    this.limit = state.limit ?? PAGE_SIZES[0]
    this.view = state.view
    this.filters = state.filters ?? []
    this.columns = state.columns
    this.selected = new Map()
    this.busy = false
  }

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('hashchange', this.#onHashChange)
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#loadDefinition()
  }

  override disconnectedCallback(): void {
    clearTimeout(this.#searchTimer)
    window.removeEventListener('hashchange', this.#onHashChange)
    super.disconnectedCallback()
  }

  // A hash typed or pasted by hand for this same list: show what it asks for.
  #onHashChange = () => {
    const state = readListState(location.hash)
    if (listHash(this.module, state) === listHash(this.module, this.#state())) return
    this.query = state.q
    this.sort = state.sort
    this.offset = state.offset
    this.limit = state.limit ?? PAGE_SIZES[0]
    this.view = state.view
    this.filters = state.filters ?? []
    this.columns = state.columns
    void this.#loadRecords()
  }

  override render() {
    const live = this.live
    if (this.problem && live === undefined)
      return html`<div class="alert" role="alert">${this.problem}</div>`
    if (live === undefined) return html`<p role="status">Loading…</p>`
    const label = live.definition.label
    // Quick create is a chunk of its own, defined when it arrives.
    void import('./crm-quick-create.ts')

    return html`
      <h1>${label.plural}</h1>
      <div class="toolbar">
        <form class="search" role="search" @submit=${this.#submitSearch}>
          <label class="visually-hidden" for="search">Search ${label.plural}</label>
          <input
            id="search"
            type="search"
            placeholder="Search ${label.plural.toLowerCase()}"
            .value=${this.query}
            @input=${this.#typeSearch}
          />
          <button type="submit">Search</button>
        </form>
        ${
          live.permission?.create === false
            ? nothing
            : html`<a
                class="button primary"
                href=${hrefOf({ screen: 'create', module: this.module })}
                >New ${label.singular}</a
              >`
        }
        ${
          live.permission?.import === false
            ? nothing
            : html`<a class="button" href=${hrefOf({ screen: 'import', module: this.module })}
                >Import</a
              >`
        }
        <crm-quick-create .live=${live} @crm-record-created=${this.#created}></crm-quick-create>
      </div>
      <crm-saved-views
        .module=${this.module}
        .userId=${this.userId}
        .current=${this.view}
        @crm-view-current=${(event: CustomEvent<{ id: number | undefined }>) => {
          this.view = event.detail.id
          void this.#loadRecords()
        }}
        .query=${{
          q: this.query.trim(),
          filters: this.filters,
          sort: this.sort ? [this.sort] : [],
          columns: this.columns ?? [],
        }}
        @crm-view-apply=${this.#applyView}
      ></crm-saved-views>
      ${this.viewNote ? html`<p class="alert" role="alert">${this.viewNote}</p>` : nothing}
      <crm-list-filters
        .definition=${live.definition}
        .filters=${this.filters}
        @crm-filters-change=${this.#changeFilters}
      ></crm-list-filters>
      ${this.#renderColumnsAndExport()}
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.#renderSelection()} ${this.#renderOutcome()}
      ${this.#renderRecords()}
    `
  }

  #renderRecords() {
    const live = this.live!
    const page = this.page
    if (page === undefined) {
      // A failed first load says so above; "Loading…" would never end.
      return this.problem
        ? nothing
        : html`<p role="status">Loading ${live.definition.label.plural.toLowerCase()}…</p>`
    }
    const plural = live.definition.label.plural.toLowerCase()
    if (page.total === 0) {
      return html`<p class="panel" role="status">
        ${
          this.filters.length > 0
            ? `No ${plural} match these filters${this.query ? ` and “${this.query}”` : ''}. Remove a filter or clear the search.`
            : this.query
            ? `No ${plural} match “${this.query}”. Try another word or clear the search.`
            : `There are no ${plural} yet. Create the first one with “New ${live.definition.label.singular}”.`
        }
      </p>`
    }
    const first = this.offset + 1
    const last = this.offset + page.items.length
    const range = `${formatCount(first)}–${formatCount(last)} of ${formatCount(page.total)}`

    return html`
      <crm-record-table
        .definition=${live.definition}
        .records=${page.items}
        .sort=${this.sort}
        .caption=${live.definition.label.plural}
        .columns=${this.columns}
        .selected=${new Set(this.selected.keys())}
        ?selectable=${this.#canSelect()}
        sortable
        @crm-select=${this.#changeSelection}
        aria-busy=${this.loading ? 'true' : 'false'}
        @crm-sort=${this.#changeSort}
      ></crm-record-table>
      <div class="pager">
        <output role="status">${range}</output>
        <button
          type="button"
          ?disabled=${this.offset === 0}
          @click=${() => this.#goTo(this.offset - this.limit)}
        >
          Previous page
        </button>
        <button
          type="button"
          ?disabled=${last >= page.total}
          @click=${() => this.#goTo(this.offset + this.limit)}
        >
          Next page
        </button>
        <label>
          Rows per page
          <select @change=${this.#changeLimit}>
            ${PAGE_SIZES.map((size) => html`<option .value=${String(size)} ?selected=${size === this.limit}>${size}</option>`)}
          </select>
        </label>
      </div>
    `
  }

  async #loadDefinition(): Promise<void> {
    try {
      this.live = await api.getModule(this.module)
      void api.getSession().then(
        ({ user }) => (this.userId = user.id),
        () => undefined,
      )
      await this.#loadRecords()
    } catch (error) {
      this.problem = `The module “${this.module}” could not be loaded: ${messageOf(error)}. Choose a module in the navigation.`
    }
  }

  #state(): ListState {
    return {
      q: this.query,
      sort: this.sort,
      offset: this.offset,
      limit: this.limit === PAGE_SIZES[0] ? undefined : this.limit,
      view: this.view,
      filters: this.filters,
      columns: this.columns,
    }
  }

  #changeLimit = (event: Event) => {
    this.limit = Number((event.target as HTMLSelectElement).value)
    this.offset = 0
    void this.#loadRecords()
  }

  async #loadRecords(): Promise<void> {
    const number = ++this.#requestNumber
    this.loading = true
    // replaceState: no hashchange, so the screen is not rebuilt, and Back leaves the list.
    const hash = listHash(this.module, this.#state())
    if (location.hash !== hash) history.replaceState(history.state, '', hash)
    try {
      const query = {
        q: this.query.trim(),
        sort: this.sort,
        limit: this.limit,
        offset: this.offset,
        filters: this.filters,
      }
      const page = await listRecords(this.module, query)
      if (number !== this.#requestNumber) return
      this.page = page
      this.problem = undefined
    } catch (error) {
      if (number !== this.#requestNumber) return
      // A filter the module cannot take (an old link, a removed field) is undone from its chip.
      const byFilter = error instanceof ApiError && error.issues.some((issue) => issue.code === 'filter')
      this.problem = `The records could not be loaded: ${messageOf(error)}. ${
        byFilter
          ? 'Remove that filter with the × on its chip, or clear the filters.'
          : 'Try again, or clear the search.'
      }`
    } finally {
      if (number === this.#requestNumber) this.loading = false
    }
  }

  /** A record made by quick create: the list shows it. */
  #created = () => {
    void this.#loadRecords()
  }

  #typeSearch = (event: InputEvent) => {
    this.query = (event.target as HTMLInputElement).value
    clearTimeout(this.#searchTimer)
    this.#searchTimer = setTimeout(() => this.#search(), SEARCH_DELAY_MS)
  }

  #submitSearch = (event: SubmitEvent) => {
    event.preventDefault()
    clearTimeout(this.#searchTimer)
    this.#search()
  }

  #search(): void {
    this.offset = 0
    void this.#loadRecords()
  }

  #changeSort = (event: CustomEvent<{ sort: string }>) => {
    this.sort = event.detail.sort
    this.offset = 0
    void this.#loadRecords()
  }

  // Opening the form moves the focus into it, so a keyboard user does not Tab past the list's
  // other actions to reach its first field.
  #toggleMassEdit = async () => {
    this.action = this.action === 'edit' ? undefined : 'edit'
    if (this.action !== 'edit') return
    await this.updateComplete
    const form = this.renderRoot.querySelector('crm-mass-edit')
    await form?.updateComplete
    form?.renderRoot.querySelector<HTMLElement>('crm-field-input')?.focus()
  }

  #applyView = (event: CustomEvent<{ view: SavedView | undefined }>) => {
    const view = event.detail.view
    this.view = view?.id
    const broken = new Set(view?.broken ?? [])
    const keep = (name: string) => !broken.has(name.replace(/^-/, ''))
    const query = view?.query ?? {}
    this.query = query.q ?? ''
    this.filters = (query.filters ?? []).filter((filter) => keep(filter.field))
    this.sort = (query.sort ?? []).filter(keep)[0]
    const columns = (query.columns ?? []).filter(keep)
    this.columns = columns.length > 0 ? columns : undefined
    this.offset = 0
    this.viewNote =
      broken.size > 0
        ? `The view “${view!.name}” names fields that were removed: ${[...broken].join(', ')}. The list shows the view without them.`
        : undefined
    void this.#loadRecords()
  }

  /** The visible columns in order: the chosen ones that still exist, else the `x-list` fields. */
  #visibleColumns(): string[] {
    const fields = new Map(visibleFields(this.live!.definition))
    const chosen = (this.columns ?? []).filter((name) => fields.has(name))

    return chosen.length > 0 ? chosen : listColumns(this.live!.definition).map(([name]) => name)
  }

  #renderColumnsAndExport() {
    const visible = this.#visibleColumns()
    const hidden = visibleFields(this.live!.definition).filter(([name]) => !visible.includes(name))
    const fields = this.live!.definition.record.properties
    const request = { q: this.query.trim(), filters: this.filters, sort: this.sort }

    return html`<div class="selection">
      <details class="columns">
        <summary>Columns</summary>
        <ol aria-label="Visible columns">
          ${visible.map(
            (name, index) => html`<li>
              <label
                ><input
                  type="checkbox"
                  checked
                  ?disabled=${visible.length === 1}
                  @change=${() => this.#setColumns(visible.filter((other) => other !== name))}
                />
                ${fields[name].title}</label
              >
              <button
                type="button"
                aria-label="Move ${fields[name].title} up"
                ?disabled=${index === 0}
                @click=${() => this.#setColumns(swap(visible, index, index - 1))}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label="Move ${fields[name].title} down"
                ?disabled=${index === visible.length - 1}
                @click=${() => this.#setColumns(swap(visible, index, index + 1))}
              >
                ↓
              </button>
            </li>`,
          )}
        </ol>
        <ul aria-label="Hidden columns">
          ${hidden.map(
            ([name, field]) => html`<li>
              <label
                ><input type="checkbox" @change=${() => this.#setColumns([...visible, name])} />
                ${field.title}</label
              >
            </li>`,
          )}
        </ul>
      </details>
      ${this.live!.permission?.export === false
        ? nothing
        : html`<a class="button" download href=${exportHref(this.module, request, visible)}
              >Export CSV</a
            >
            <a
              class="button"
              download
              href=${exportHref(this.module, request, visible, 'excel')}
              >Export for Excel</a
            >`}
    </div>`
  }

  #setColumns(columns: string[]): void {
    const defaults = listColumns(this.live!.definition).map(([name]) => name)
    this.columns = columns.join(',') === defaults.join(',') ? undefined : columns
    void this.#loadRecords()
  }

  #changeFilters = (event: CustomEvent<{ filters: ListFilter[] }>) => {
    this.filters = event.detail.filters
    this.offset = 0
    void this.#loadRecords()
  }

  #canSelect(): boolean {
    const permission = this.live?.permission

    return permission?.edit !== false || permission?.delete !== false
  }

  #changeSelection = (event: CustomEvent<{ ids: number[]; selected: boolean }>) => {
    const next = new Map(this.selected)
    for (const id of event.detail.ids) {
      const record = this.page?.items.find((item) => item.id === id)
      if (!event.detail.selected) next.delete(id)
      else if (record) next.set(id, recordTitleOf(this.live!.definition, record))
    }
    this.selected = next
    if (next.size === 0) this.action = undefined
  }

  #renderSelection() {
    const count = this.selected.size
    if (count === 0 || this.live === undefined) return nothing
    const permission = this.live.permission
    const plural = this.live.definition.label.plural.toLowerCase()

    return html`<div class="selection" role="group" aria-label="Selection">
        <output>${count} selected</output>
        ${permission?.edit === false
          ? nothing
          : html`<button
              type="button"
              aria-expanded=${this.action === 'edit' ? 'true' : 'false'}
              @click=${this.#toggleMassEdit}
            >
              Edit selected
            </button>`}
        ${permission?.delete === false
          ? nothing
          : html`<button type="button" class="danger" @click=${() => (this.action = 'delete')}>
              Delete selected
            </button>`}
        <button type="button" @click=${() => this.#clearSelection()}>Clear selection</button>
      </div>
      ${this.action === 'edit'
        ? html`<crm-mass-edit
            .definition=${this.live.definition}
            .live=${this.live}
            .count=${count}
            ?busy=${this.busy}
            @crm-mass-apply=${this.#applyMassEdit}
            @crm-mass-cancel=${() => (this.action = undefined)}
          ></crm-mass-edit>`
        : nothing}
      ${this.action === 'delete'
        ? html`<div class="panel" role="alertdialog" aria-label="Confirm delete">
            <p>
              Delete ${count} ${count === 1 ? this.live.definition.label.singular.toLowerCase() : plural}?
              They go to the recycle bin and can be restored from there.
            </p>
            <button type="button" class="danger" ?disabled=${this.busy} @click=${this.#deleteSelected}>
              Delete ${count}
            </button>
            <button type="button" @click=${() => (this.action = undefined)}>Cancel</button>
          </div>`
        : nothing}`
  }

  #renderOutcome() {
    const outcome = this.outcome
    if (outcome === undefined) return nothing
    const failed = outcome.failures.length

    return html`<div class=${failed > 0 ? 'alert outcome' : 'panel outcome'} role=${failed > 0 ? 'alert' : 'status'}>
      <strong>${outcome.summary}</strong>
      ${failed > 0
        ? html`<ul aria-label="Failures">
            ${outcome.failures.map((failure) => html`<li>${failure}</li>`)}
          </ul>`
        : nothing}
    </div>`
  }

  #clearSelection(): void {
    this.selected = new Map()
    this.action = undefined
  }

  #applyMassEdit = async (event: CustomEvent<{ values: Record<string, unknown> }>) => {
    const ids = [...this.selected.keys()]
    this.busy = true
    try {
      const result: MassUpdateResult = await massUpdate(this.module, ids, event.detail.values)
      const failures = result.failed.map((failure) => {
        const title = this.selected.get(failure.id) ?? `#${failure.id}`
        const issues = failure.issues?.map((issue) => issue.message).join('; ')

        return `${title}: ${issues || failure.message}`
      })
      this.outcome = {
        summary: `${result.updated.length} updated, ${result.failed.length} failed`,
        failures,
      }
      // The failed records stay selected, so they can be corrected and tried again.
      this.selected = new Map([...this.selected].filter(([id]) => !result.updated.includes(id)))
      if (result.failed.length === 0) this.action = undefined
    } catch (error) {
      this.outcome = { summary: `Nothing was changed: ${messageOf(error)}.`, failures: [] }
    } finally {
      this.busy = false
    }
    await this.#loadRecords()
  }

  #deleteSelected = async () => {
    this.busy = true
    const failures: string[] = []
    let deleted = 0
    const remaining = new Map(this.selected)
    for (const [id, title] of this.selected) {
      try {
        await api.deleteRecord(this.module, id)
        deleted++
        remaining.delete(id)
      } catch (error) {
        failures.push(`${title}: ${messageOf(error)}`)
      }
    }
    this.outcome = { summary: `${deleted} deleted, ${failures.length} failed`, failures }
    this.selected = remaining
    this.action = undefined
    this.busy = false
    if (this.offset > 0 && this.page && deleted >= this.page.items.length) this.offset = 0
    await this.#loadRecords()
  }

  #goTo(offset: number): void {
    this.offset = Math.max(0, offset)
    void this.#loadRecords()
  }
}

function swap(names: string[], from: number, to: number): string[] {
  const next = [...names]
  ;[next[from], next[to]] = [next[to], next[from]]

  return next
}

interface Outcome {
  summary: string
  failures: string[]
}

/** A count with the reader's thousands separators: 8,800 in English. */
function formatCount(count: number): string {
  return count.toLocaleString()
}

customElements.define('crm-record-list', CrmRecordList)

declare global {
  interface HTMLElementTagNameMap {
    'crm-record-list': CrmRecordList
  }
}

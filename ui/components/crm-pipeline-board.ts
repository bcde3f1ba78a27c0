import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type {
  FieldDefinition,
  ForecastSettings,
  ModuleDefinition,
} from '../../engine/core/definition/types.ts'
import {
  api,
  ApiError,
  type CrmRecord,
  type ForecastRow,
  type LiveModule,
} from '../api-client.ts'
import { formatValue, recordTitleOf, visibleFields } from '../field-values.ts'
import { formatMoney } from '../format-money.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

const PAGE_SIZE = 20
const MAX_PAGE_SIZE = 500

type Outcome = 'open' | 'won' | 'lost' | 'none'

/** One column of the board: the records of one stage value, loaded page by page. */
interface Column {
  stage: string
  /** `open` and `won` stages are in the forecast; `lost` and values without metadata are not. */
  outcome: Outcome
  items: CrmRecord[]
  /** How many records have this stage, as the last list answer said (and moves since). */
  total: number | undefined
  loading: boolean
  problem?: string
}

/**
 * The pipeline board of a module whose definition declares
 * `behaviours.forecast`: one column per value of the stage picklist, in the
 * definition's order, with cards sorted by the forecast's date field and
 * loaded page by page. Column headers show true totals from the forecast
 * (count, amount, weighted amount) for open and won stages, and the list
 * total for the others. A card moves to another stage by drag and drop or
 * by its "Move to…" menu; the move is a PATCH with `If-Match`, so the
 * server applies the stage's defaults and keeps the stage history, and a
 * refused move (412, 422, …) puts the card back with a message.
 */
export class CrmPipelineBoard extends LitElement {
  static override properties = {
    module: {},
    live: { state: true },
    columns: { state: true },
    sums: { state: true },
    baseCurrency: { state: true },
    sumsProblem: { state: true },
    problem: { state: true },
    message: { state: true },
    status: { state: true },
    saving: { state: true },
    menuFor: { state: true },
    dropStage: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .board {
        display: flex;
        gap: 0.75rem;
        overflow-x: auto;
        padding-bottom: 0.75rem;
        /* Every column as tall as the longest: a card from far down a long column drops
           straight across, without dragging it up out of sight to a short column's top. */
        align-items: stretch;
      }
      .column {
        flex: 0 0 16.5rem;
        background: #e9eef5;
        border: 1px solid var(--crm-border);
        border-radius: 8px;
        padding: 0.6rem;
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
        min-height: 12rem;
      }
      .column.drop {
        outline: 3px dashed var(--crm-accent);
        outline-offset: -3px;
        background: #dde8f7;
      }
      .column h2 {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        font-size: 1rem;
        margin: 0;
      }
      .count {
        flex: none;
        align-self: flex-start;
        background: #fff;
        border-radius: 999px;
        padding: 0 0.55rem;
        font-size: 0.9rem;
        min-width: 1.8rem;
        text-align: center;
      }
      .sums {
        margin: 0;
        font-size: 0.85rem;
        color: var(--crm-muted);
        display: grid;
        gap: 0.1rem;
        min-height: 2.6em;
      }
      .sums dt {
        display: inline;
      }
      .sums dd {
        display: inline;
        margin: 0;
        font-weight: 600;
        color: #1d2430;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
        min-height: 4rem;
      }
      .card {
        position: relative;
        background: var(--crm-surface);
        border: 1px solid var(--crm-border);
        border-radius: 6px;
        padding: 0.5rem 0.6rem;
        display: grid;
        gap: 0.15rem;
        cursor: grab;
        font-size: 0.92rem;
      }
      .card[aria-busy='true'] {
        opacity: 0.6;
      }
      .card a {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .card .meta {
        color: var(--crm-muted);
        overflow-wrap: anywhere;
      }
      .card .figures {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 0.5rem;
      }
      .card .amount {
        font-variant-numeric: tabular-nums;
      }
      .card .move {
        justify-self: start;
        min-height: 2rem;
        padding: 0.15rem 0.6rem;
        font-size: 0.85rem;
        margin-top: 0.25rem;
      }
      [role='menu'] {
        position: absolute;
        z-index: 3;
        left: 0.4rem;
        right: 0.4rem;
        top: 100%;
        margin: 0.15rem 0 0;
        padding: 0.25rem 0;
        list-style: none;
        background: var(--crm-surface);
        border: 1px solid var(--crm-border);
        border-radius: 6px;
        box-shadow: 0 6px 18px rgba(0, 0, 0, 0.15);
      }
      [role='menuitem'] {
        display: block;
        width: 100%;
        border: none;
        border-radius: 0;
        min-height: 2.25rem;
        text-align: left;
        color: inherit;
      }
      [role='menuitem']:hover,
      [role='menuitem']:focus {
        background: var(--crm-accent);
        color: #fff;
      }
      .empty {
        color: var(--crm-muted);
        font-size: 0.9rem;
        padding: 0.5rem 0;
      }
      .more {
        width: 100%;
        justify-content: center;
      }
    `,
  ]

  /** The module's machine name, for example `potentials`. */
  declare module: string
  declare live: LiveModule | undefined
  declare columns: Column[]
  /** Forecast rows by stage value; undefined until they arrive. */
  declare sums: Map<string, ForecastRow> | undefined
  declare baseCurrency: string
  declare sumsProblem: string | undefined
  declare problem: string | undefined
  /** Why the last move was refused. */
  declare message: string | undefined
  /** What the last move did, for screen readers and everyone. */
  declare status: string | undefined
  /** Ids of records whose move is being saved. */
  declare saving: ReadonlySet<number>
  /** The id of the card whose "Move to…" menu is open. */
  declare menuFor: number | undefined
  /** The column a dragged card is over. */
  declare dropStage: string | undefined

  #dragging: { id: number; from: string } | undefined
  // Per column, only the latest list answer may render.
  #requests = new Map<string, number>()
  #forecastRequest = 0

  constructor() {
    super()
    this.module = ''
    this.columns = []
    this.baseCurrency = ''
    this.saving = new Set()
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#load()
  }

  override render() {
    const live = this.live
    if (this.problem && live === undefined)
      return html`<div class="alert" role="alert">${this.problem}</div>`
    if (live === undefined) return html`<p role="status">Loading the board…</p>`
    const label = live.definition.label
    const settings = live.definition.behaviours?.forecast
    if (settings === undefined) {
      return html`<h1>${label.plural} board</h1>
        <p class="panel">
          ${label.plural} have no pipeline board: their definition declares no forecast settings
          (stage, amount, weighted amount). Use the
          <a href=${hrefOf({ screen: 'list', module: this.module })}>list of ${label.plural}</a>
          instead.
        </p>`
    }

    return html`
      <h1>${label.plural} board</h1>
      <p class="muted">
        ${
          this.#canMove()
            ? `Drag a card to another column, or use its “Move to…” button, to change its ${this.#stageTitle().toLowerCase()}.`
            : `Your role may not change the ${this.#stageTitle().toLowerCase()} of ${label.plural.toLowerCase()}; the board is read-only for you.`
        }
        Totals are in ${this.baseCurrency || 'the base currency'}.
      </p>
      ${this.message ? html`<div class="alert" role="alert">${this.message}</div>` : nothing}
      ${this.sumsProblem ? html`<div class="alert" role="alert">${this.sumsProblem}</div>` : nothing}
      <div role="status">${this.status ? html`<p class="notice">${this.status}</p>` : nothing}</div>
      <div class="board">
        ${this.columns.map((column, index) => this.#renderColumn(live.definition, settings, column, index))}
      </div>
    `
  }

  #renderColumn(
    definition: ModuleDefinition,
    settings: ForecastSettings,
    column: Column,
    index: number,
  ) {
    const headingId = `stage-${index}`

    return html`<section
      class="column ${this.dropStage === column.stage ? 'drop' : ''}"
      data-stage=${column.stage}
      aria-labelledby=${headingId}
      aria-busy=${column.loading ? 'true' : 'false'}
      @dragover=${(event: DragEvent) => this.#dragOver(event, column.stage)}
      @dragleave=${(event: DragEvent) => this.#dragLeave(event, column.stage)}
      @drop=${(event: DragEvent) => this.#drop(event, column.stage)}
    >
      <h2 id=${headingId}>
        <span>${column.stage}</span>
        <span class="count" aria-label="${this.#countOf(column) ?? 'unknown'} records"
          >${this.#countOf(column) ?? '…'}</span
        >
      </h2>
      ${this.#renderSums(definition, settings, column)}
      ${column.problem ? html`<p class="error" role="alert">${column.problem}</p>` : nothing}
      <ol aria-labelledby=${headingId}>
        ${repeat(
          column.items,
          (record) => record.id,
          (record) => this.#renderCard(definition, settings, column, record),
        )}
        ${
          column.items.length === 0 && !column.loading && column.total === 0
            ? html`<li class="empty">No ${definition.label.plural.toLowerCase()} here.</li>`
            : nothing
        }
        ${column.loading && column.items.length === 0 ? html`<li class="empty">Loading…</li>` : nothing}
      </ol>
      ${
        column.total !== undefined && column.items.length < column.total
          ? html`<button
              type="button"
              class="more"
              ?disabled=${column.loading}
              aria-describedby=${headingId}
              @click=${() => void this.#loadColumn(column.stage, column.items.length)}
            >
              ${column.loading ? 'Loading…' : `Load more (${column.total - column.items.length} more)`}
            </button>`
          : nothing
      }
    </section>`
  }

  #renderSums(definition: ModuleDefinition, settings: ForecastSettings, column: Column) {
    const fields = definition.record.properties
    const amountTitle = fields[settings.amount]?.title ?? settings.amount
    const weightedTitle = fields[settings.weighted]?.title ?? settings.weighted
    if (column.outcome === 'lost' || column.outcome === 'none') {
      return html`<p class="sums">Not in the forecast</p>`
    }
    const row = this.sums?.get(column.stage)
    const known = this.sums !== undefined
    const amount = known ? formatMoney(row ? (column.outcome === 'won' ? row.won : row.amount) : 0, this.baseCurrency) : '…'
    if (column.outcome === 'won') {
      return html`<dl class="sums">
        <div><dt>${amountTitle} won:</dt> <dd data-sum="amount">${amount}</dd></div>
      </dl>`
    }
    const weighted = known ? formatMoney(row?.weighted ?? 0, this.baseCurrency) : '…'

    return html`<dl class="sums">
      <div><dt>${amountTitle}:</dt> <dd data-sum="amount">${amount}</dd></div>
      <div><dt>${weightedTitle}:</dt> <dd data-sum="weighted">${weighted}</dd></div>
    </dl>`
  }

  #renderCard(
    definition: ModuleDefinition,
    settings: ForecastSettings,
    column: Column,
    record: CrmRecord,
  ) {
    const fields = definition.record.properties
    const title = recordTitleOf(definition, record)
    const titleId = `card-${record.id}`
    const account = this.#accountField(definition)
    const accountLabel = account ? record._labels?.[account[0]] : undefined
    const currency = settings.currency ? String(record[settings.currency] ?? '') : ''
    const amount = formatMoney(record[settings.amount], currency || this.baseCurrency)
    const dateField = fields[settings.date]
    const date = dateField ? formatValue(dateField, record[settings.date]) : ''
    const canMove = this.#canMove()
    const busy = this.saving.has(record.id)
    const menuOpen = this.menuFor === record.id

    return html`<li
      class="card"
      data-id=${record.id}
      draggable=${canMove && !busy ? 'true' : 'false'}
      aria-busy=${busy ? 'true' : 'false'}
      @dragstart=${(event: DragEvent) => this.#dragStart(event, record, column.stage)}
      @dragend=${this.#dragEnd}
    >
      <a
        id=${titleId}
        draggable="false"
        href=${hrefOf({ screen: 'detail', module: this.module, id: record.id })}
        >${title}</a
      >
      ${accountLabel ? html`<span class="meta account">${accountLabel}</span>` : nothing}
      <span class="figures">
        <span class="amount">${amount}</span>
        ${
          date
            ? html`<span class="meta date" title=${dateField?.title ?? ''}
                ><span class="visually-hidden">${dateField?.title}: </span>${date}</span
              >`
            : nothing
        }
      </span>
      ${
        canMove
          ? html`<button
              type="button"
              class="move"
              aria-haspopup="menu"
              aria-expanded=${menuOpen ? 'true' : 'false'}
              aria-controls=${menuOpen ? `menu-${record.id}` : nothing}
              aria-describedby=${titleId}
              ?disabled=${busy}
              @click=${() => this.#toggleMenu(record.id)}
            >
              Move to…
            </button>`
          : nothing
      }
      ${menuOpen ? this.#renderMenu(record, column.stage, titleId) : nothing}
    </li>`
  }

  #renderMenu(record: CrmRecord, from: string, titleId: string) {
    const targets = this.columns.map((column) => column.stage).filter((stage) => stage !== from)

    return html`<ul
      id="menu-${record.id}"
      role="menu"
      aria-labelledby=${titleId}
      @keydown=${(event: KeyboardEvent) => this.#menuKey(event, record.id)}
      @focusout=${(event: FocusEvent) => this.#menuFocusOut(event, record.id)}
    >
      ${targets.map(
        (stage) =>
          html`<li role="none">
            <button
              type="button"
              role="menuitem"
              tabindex="-1"
              @click=${() => this.#chooseFromMenu(record, from, stage)}
            >
              ${stage}
            </button>
          </li>`,
      )}
    </ul>`
  }

  // ---- loading ----

  async #load(): Promise<void> {
    this.problem = undefined
    try {
      const live = await api.getModule(this.module)
      const settings = live.definition.behaviours?.forecast
      if (settings) {
        const stageField = live.definition.record.properties[settings.stage]
        this.columns = stagesOf(stageField).map((stage) => ({
          stage,
          outcome: outcomeOf(stageField, stage),
          items: [],
          total: undefined,
          loading: true,
        }))
      }
      this.live = live
      if (!settings) return
      await Promise.all([
        this.#loadSums(),
        ...this.columns.map((column) => this.#loadColumn(column.stage, 0)),
      ])
    } catch (error) {
      this.problem = `The board of “${this.module}” could not be loaded: ${messageOf(error)}. Choose a module in the navigation or reload the page.`
    }
  }

  async #loadSums(): Promise<void> {
    const number = ++this.#forecastRequest
    try {
      const forecast = await api.getForecast(this.module, { groupBy: ['stage'] })
      if (number !== this.#forecastRequest) return
      this.baseCurrency = forecast.baseCurrency
      this.sums = new Map(forecast.rows.map((row) => [row.stage ?? '', row]))
      this.sumsProblem = undefined
    } catch (error) {
      if (number !== this.#forecastRequest) return
      this.sumsProblem = `The column totals could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }

  /** Loads a page of one column from `offset`; offset 0 replaces what the column holds. */
  async #loadColumn(stage: string, offset: number, limit = PAGE_SIZE): Promise<void> {
    const settings = this.#settings()
    if (!settings) return
    const number = (this.#requests.get(stage) ?? 0) + 1
    this.#requests.set(stage, number)
    this.#updateColumn(stage, (column) => ({ ...column, loading: true }))
    try {
      const page = await api.listRecords(this.module, {
        filters: { [settings.stage]: stage },
        sort: settings.date,
        limit: Math.min(limit, MAX_PAGE_SIZE),
        offset,
      })
      if (this.#requests.get(stage) !== number) return
      this.#updateColumn(stage, (column) => {
        const kept = offset === 0 ? [] : column.items
        const known = new Set(kept.map((record) => record.id))
        const items = [...kept, ...page.items.filter((record) => !known.has(record.id))]

        return { ...column, items, total: page.total, loading: false, problem: undefined }
      })
    } catch (error) {
      if (this.#requests.get(stage) !== number) return
      this.#updateColumn(stage, (column) => ({
        ...column,
        loading: false,
        problem: `This column could not be loaded: ${messageOf(error)}. Reload the page to try again.`,
      }))
    }
  }

  /** Reloads what a column already shows, so it matches the server after a move. */
  #refreshColumn(stage: string): Promise<void> {
    const column = this.#column(stage)

    return this.#loadColumn(stage, 0, Math.max(PAGE_SIZE, column?.items.length ?? 0))
  }

  // ---- moving ----

  async #move(record: CrmRecord, from: string, to: string): Promise<void> {
    const settings = this.#settings()
    if (!settings || from === to || this.saving.has(record.id)) return
    const definition = this.live!.definition
    const title = recordTitleOf(definition, record)
    this.message = undefined
    this.status = undefined
    this.saving = new Set([...this.saving, record.id])
    const moved = { ...record, [settings.stage]: to }
    this.#takeOut(record.id)
    this.#putIn(to, moved)
    try {
      const saved = await api.updateRecord(this.module, record.id, record.version, {
        [settings.stage]: to,
      })
      this.#replace(to, saved)
      this.status = `Moved “${title}” to ${to}${this.#defaultsNote(definition, saved)}.`
      await Promise.all([this.#loadSums(), this.#refreshColumn(from), this.#refreshColumn(to)])
    } catch (error) {
      this.#takeOut(record.id)
      const current =
        error instanceof ApiError && error.status === 412 && isRecord(error.details.current)
          ? (error.details.current as CrmRecord)
          : undefined
      const back = current ?? record
      const backStage = String(back[settings.stage] ?? from)
      this.#putIn(this.#column(backStage) ? backStage : from, back)
      this.message = this.#refusal(error, title, to, current !== undefined)
      if (current) void this.#loadSums()
    } finally {
      const saving = new Set(this.saving)
      saving.delete(record.id)
      this.saving = saving
    }
  }

  #refusal(error: unknown, title: string, to: string, hasCurrent: boolean): string {
    if (error instanceof ApiError && error.status === 412) {
      return `“${title}” was not moved: someone else changed it after this board was loaded. ${
        hasCurrent ? 'The card shows the newer values now' : 'Reload the board to see them'
      }; move it again if it still belongs in ${to}.`
    }
    if (error instanceof ApiError && error.status === 422) {
      const issues = error.issues.map((issue) => issue.message).join('; ')

      return `“${title}” cannot move to ${to}: ${issues || error.message}. Open it, complete the fields, then move it again.`
    }
    if (error instanceof ApiError && error.status === 403) {
      return `“${title}” was not moved: ${error.message}. Ask an administrator for the right to edit it.`
    }

    return `“${title}” was not moved: ${messageOf(error)}. Try again.`
  }

  /** ", Probability (%) is now 20.00 %" for each field the stage's picklist defaults set. */
  #defaultsNote(definition: ModuleDefinition, saved: CrmRecord): string {
    const settings = this.#settings()!
    const notes = (definition.behaviours?.picklistDefaults ?? [])
      .filter((rule) => rule.source === settings.stage)
      .map((rule) => {
        const field = definition.record.properties[rule.target]
        if (!field || saved[rule.target] === undefined) return ''

        return `; ${field.title} is now ${formatValue(field, saved[rule.target]) || 'empty'}`
      })

    return notes.join('')
  }

  #takeOut(id: number): void {
    this.columns = this.columns.map((column) => {
      if (!column.items.some((record) => record.id === id)) return column

      return {
        ...column,
        items: column.items.filter((record) => record.id !== id),
        total: column.total === undefined ? undefined : Math.max(0, column.total - 1),
      }
    })
  }

  #putIn(stage: string, record: CrmRecord): void {
    const date = this.#settings()!.date
    this.#updateColumn(stage, (column) => {
      const items = [...column.items, record].sort((a, b) => compareBy(a, b, date))

      return { ...column, items, total: column.total === undefined ? undefined : column.total + 1 }
    })
  }

  #replace(stage: string, record: CrmRecord): void {
    this.#updateColumn(stage, (column) => ({
      ...column,
      items: column.items.map((item) => (item.id === record.id ? record : item)),
    }))
  }

  // ---- drag and drop ----

  #dragStart(event: DragEvent, record: CrmRecord, from: string): void {
    if (!this.#canMove() || this.saving.has(record.id)) {
      event.preventDefault()
      return
    }
    this.menuFor = undefined
    this.#dragging = { id: record.id, from }
    event.dataTransfer?.setData('text/plain', recordTitleOf(this.live!.definition, record))
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move'
  }

  #dragEnd = () => {
    this.#dragging = undefined
    this.dropStage = undefined
  }

  #dragOver(event: DragEvent, stage: string): void {
    if (this.#dragging === undefined || this.#dragging.from === stage) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move'
    this.dropStage = stage
  }

  #dragLeave(event: DragEvent, stage: string): void {
    const to = event.relatedTarget as Node | null
    if (to && (event.currentTarget as Node).contains(to)) return
    if (this.dropStage === stage) this.dropStage = undefined
  }

  #drop(event: DragEvent, stage: string): void {
    const dragging = this.#dragging
    this.#dragEnd()
    if (dragging === undefined || dragging.from === stage) return
    event.preventDefault()
    const record = this.#column(dragging.from)?.items.find((item) => item.id === dragging.id)
    if (record) void this.#move(record, dragging.from, stage)
  }

  // ---- the "Move to…" menu ----

  async #toggleMenu(id: number): Promise<void> {
    this.menuFor = this.menuFor === id ? undefined : id
    if (this.menuFor === undefined) return
    await this.updateComplete
    this.#menuItems()[0]?.focus()
  }

  #menuItems(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')]
  }

  #menuKey(event: KeyboardEvent, id: number): void {
    const items = this.#menuItems()
    const index = items.indexOf(this.renderRoot.querySelector<HTMLButtonElement>('[role="menuitem"]:focus')!)
    const focus = (next: number) => {
      event.preventDefault()
      items[(next + items.length) % items.length]?.focus()
    }
    if (event.key === 'ArrowDown') focus(index + 1)
    else if (event.key === 'ArrowUp') focus(index - 1)
    else if (event.key === 'Home') focus(0)
    else if (event.key === 'End') focus(items.length - 1)
    else if (event.key === 'Escape') {
      event.preventDefault()
      void this.#closeMenu(id, true)
    } else if (event.key === 'Tab') {
      this.menuFor = undefined
    }
  }

  #menuFocusOut(event: FocusEvent, id: number): void {
    const to = event.relatedTarget as Node | null
    if (to && (event.currentTarget as Node).contains(to)) return
    // A click on the card's own "Move to…" button closes the menu through the button.
    if (to instanceof HTMLElement && to.matches(`[data-id="${id}"] button.move`)) return
    if (this.menuFor === id) this.menuFor = undefined
  }

  async #closeMenu(id: number, refocus: boolean): Promise<void> {
    this.menuFor = undefined
    if (refocus) await this.#focusMoveButton(id)
  }

  async #chooseFromMenu(record: CrmRecord, from: string, to: string): Promise<void> {
    this.menuFor = undefined
    const moving = this.#move(record, from, to)
    await this.#focusMoveButton(record.id)
    await moving
    await this.#focusMoveButton(record.id)
  }

  /** Keyboard users stay on the card they moved, wherever it went. */
  async #focusMoveButton(id: number): Promise<void> {
    await this.updateComplete
    const button = this.renderRoot.querySelector<HTMLButtonElement>(`[data-id="${id}"] button.move`)
    if (button && !button.disabled) button.focus()
    else this.renderRoot.querySelector<HTMLAnchorElement>(`[data-id="${id}"] a`)?.focus()
  }

  // ---- helpers ----

  #settings(): ForecastSettings | undefined {
    return this.live?.definition.behaviours?.forecast
  }

  #stageTitle(): string {
    const settings = this.#settings()

    return settings ? (this.live!.definition.record.properties[settings.stage]?.title ?? settings.stage) : ''
  }

  #canMove(): boolean {
    const live = this.live
    const settings = this.#settings()
    if (!live || !settings) return false
    const stageField = live.definition.record.properties[settings.stage]

    return live.permission?.edit !== false && stageField !== undefined && stageField.readOnly !== true
  }

  /** The card's second line: the first listed relation field, such as the account. */
  #accountField(definition: ModuleDefinition): [string, FieldDefinition] | undefined {
    const relations = visibleFields(definition).filter(([, field]) => field['x-kind'] === 'relation')

    return relations.find(([, field]) => field['x-list']) ?? relations[0]
  }

  #countOf(column: Column): number | undefined {
    const row = this.sums?.get(column.stage)
    if (column.outcome === 'open' && this.sums) return row?.openCount ?? 0
    if (column.outcome === 'won' && this.sums) return row?.wonCount ?? 0

    return column.total
  }

  #column(stage: string): Column | undefined {
    return this.columns.find((column) => column.stage === stage)
  }

  #updateColumn(stage: string, change: (column: Column) => Column): void {
    this.columns = this.columns.map((column) => (column.stage === stage ? change(column) : column))
  }
}

/** The values of a stage picklist, in the definition's order. */
function stagesOf(field: FieldDefinition | undefined): string[] {
  return field?.enum ?? []
}

function outcomeOf(field: FieldDefinition | undefined, stage: string): Outcome {
  const meta = field?.['x-values']?.[stage]
  if (meta === undefined) return 'none'

  return meta.outcome ?? 'open'
}

/** The server's list order: the date ascending (empty first), then the id. */
function compareBy(a: CrmRecord, b: CrmRecord, field: string): number {
  const left = String(a[field] ?? '')
  const right = String(b[field] ?? '')
  if (left !== right) return left < right ? -1 : 1

  return a.id - b.id
}

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as CrmRecord).id === 'number'
}

customElements.define('crm-pipeline-board', CrmPipelineBoard)

declare global {
  interface HTMLElementTagNameMap {
    'crm-pipeline-board': CrmPipelineBoard
  }
}

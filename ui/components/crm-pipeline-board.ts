import { html, LitElement, nothing, type PropertyValues } from 'lit'
import type { ForecastSettings } from '../../engine/core/definition/types.ts'
import { api, type CrmRecord, type LiveModule } from '../api-client.ts'
import { recordTitleOf } from '../field-values.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import {
  currentRecordOf,
  describeMoveRefusal,
  describeStageDefaults,
} from './describe-pipeline-move.ts'
import { pipelineBoardStyles } from './pipeline-board-styles.ts'
import { PipelineCardDrag } from './pipeline-card-drag.ts'
import {
  createColumns,
  findColumn,
  putInRecord,
  replaceRecord,
  takeOutRecord,
  updateColumn,
  type Column,
} from './pipeline-columns.ts'
import type { StageSums } from './pipeline-column-totals.ts'
import { PipelineMoveMenu } from './pipeline-move-menu.ts'
import { renderPipelineColumn, type ColumnContext } from './render-pipeline-column.ts'

const PAGE_SIZE = 20
const MAX_PAGE_SIZE = 500

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
 *
 * The columns and cards render in pipeline-columns.ts' model through
 * render-pipeline-column.ts and render-pipeline-card.ts, into this element's
 * own shadow root; dragging and the menu live in pipeline-card-drag.ts and
 * pipeline-move-menu.ts.
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

  static override styles = [sharedStyles, pipelineBoardStyles]

  /** The module's machine name, for example `potentials`. */
  declare module: string
  declare live: LiveModule | undefined
  declare columns: Column[]
  /** Forecast rows by stage value; undefined until they arrive. */
  declare sums: StageSums
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

  // Per column, only the latest list answer may render.
  #requests = new Map<string, number>()
  #forecastRequest = 0
  #drag = new PipelineCardDrag(this, {
    mayDrag: (record) => this.#canMove() && !this.saving.has(record.id),
    titleOf: (record) => recordTitleOf(this.live!.definition, record),
    recordIn: (stage, id) => findColumn(this.columns, stage)?.items.find((item) => item.id === id),
    move: (record, from, to) => void this.#move(record, from, to),
  })
  #menu = new PipelineMoveMenu(this, (record, from, to) => this.#move(record, from, to))

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
    const context: ColumnContext = {
      module: this.module,
      definition: live.definition,
      settings,
      baseCurrency: this.baseCurrency,
      stages: this.columns.map((column) => column.stage),
      canMove: this.#canMove(),
      saving: this.saving,
      menuFor: this.menuFor,
      sums: this.sums,
      dropStage: this.dropStage,
      drag: this.#drag,
      menu: this.#menu,
      loadMore: (stage, offset) => void this.#loadColumn(stage, offset),
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
        ${this.columns.map((column, index) => renderPipelineColumn(context, column, index))}
      </div>
    `
  }

  // ---- loading ----

  async #load(): Promise<void> {
    this.problem = undefined
    try {
      const live = await api.getModule(this.module)
      const settings = live.definition.behaviours?.forecast
      if (settings) this.columns = createColumns(live.definition.record.properties[settings.stage])
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
    // The card moves at once; a refusal below puts it back.
    const moved = { ...record, [settings.stage]: to }
    this.columns = takeOutRecord(this.columns, record.id)
    this.columns = putInRecord(this.columns, to, moved, settings.date)
    try {
      const saved = await api.updateRecord(this.module, record.id, record.version, {
        [settings.stage]: to,
      })
      this.columns = replaceRecord(this.columns, to, saved)
      this.status = `Moved “${title}” to ${to}${describeStageDefaults(definition, settings.stage, saved)}.`
      await Promise.all([this.#loadSums(), this.#refreshColumn(from), this.#refreshColumn(to)])
    } catch (error) {
      this.columns = takeOutRecord(this.columns, record.id)
      const current = currentRecordOf(error)
      const back = current ?? record
      const backStage = String(back[settings.stage] ?? from)
      const backTo = findColumn(this.columns, backStage) ? backStage : from
      this.columns = putInRecord(this.columns, backTo, back, settings.date)
      this.message = describeMoveRefusal(error, title, to, current !== undefined)
      if (current) void this.#loadSums()
    } finally {
      const saving = new Set(this.saving)
      saving.delete(record.id)
      this.saving = saving
    }
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

  #column(stage: string): Column | undefined {
    return findColumn(this.columns, stage)
  }

  #updateColumn(stage: string, change: (column: Column) => Column): void {
    this.columns = updateColumn(this.columns, stage, change)
  }
}

customElements.define('crm-pipeline-board', CrmPipelineBoard)

declare global {
  interface HTMLElementTagNameMap {
    'crm-pipeline-board': CrmPipelineBoard
  }
}

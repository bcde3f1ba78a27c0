import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { keyed } from 'lit/directives/keyed.js'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import { api, type LiveModule, type ModuleSummary, type SchemaPlan } from '../api-client.ts'
import { applyLayoutOperations, type ChangeOperation } from '../apply-layout-operations.ts'
import { describeChangeFailure, type ChangeFailure } from '../describe-change-failure.ts'
import { describeOperation } from '../describe-operation.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { LayoutOperationDetail } from './crm-layout-canvas.ts'
import './crm-layout-add.ts'
import './crm-layout-canvas.ts'
import './crm-layout-field-panel.ts'
import './crm-layout-history.ts'
import './crm-layout-plan.ts'
import './crm-layout-preview.ts'

type Tab = 'layout' | 'preview' | 'history'

const TABS: [Tab, string][] = [
  ['layout', 'Layout'],
  ['preview', 'Form preview'],
  ['history', 'Version history'],
]

/**
 * The Layout Editor (admins only). Edits queue Layout Editor operations;
 * the canvas and the form preview show the draft with them applied. Review
 * posts the queue for the server's plan (steps, counts, refusals), and Apply
 * sends the queue in one PUT based on the version that was loaded. The
 * history tab lists, compares, restores, exports and imports versions.
 */
export class CrmLayoutEditor extends LitElement {
  static override properties = {
    module: {},
    live: { state: true },
    modules: { state: true },
    operations: { state: true },
    draft: { state: true },
    selected: { state: true },
    tab: { state: true },
    plan: { state: true },
    failure: { state: true },
    problem: { state: true },
    notice: { state: true },
    draftNote: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .top {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.5rem 1rem;
        margin-bottom: 0.75rem;
      }
      .top h1 {
        margin: 0 auto 0 0;
      }
      .picker {
        display: grid;
        gap: 0.25rem;
        min-width: 12rem;
      }
      .pending {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--crm-accent);
        border-radius: 8px;
        background: #eef4fc;
        margin-bottom: 0.75rem;
      }
      .pending details {
        flex: 1 1 100%;
        order: 2;
      }
      .pending strong {
        margin-right: auto;
      }
      [role='tablist'] {
        display: flex;
        gap: 0.25rem;
        border-bottom: 2px solid var(--crm-border);
        margin-bottom: 1rem;
      }
      [role='tab'] {
        border: none;
        border-radius: 6px 6px 0 0;
        background: none;
        color: inherit;
      }
      [role='tab'][aria-selected='true'] {
        background: var(--crm-accent);
        color: #fff;
      }
      .workspace {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr);
        gap: 1rem;
        align-items: start;
      }
      .draft-note {
        padding: 0.5rem 0.75rem;
        border-left: 4px solid var(--crm-accent);
        background: #eef4fc;
      }
      .hint {
        position: sticky;
        top: 0.5rem;
      }
      crm-layout-plan {
        margin-bottom: 1rem;
      }
      @media (max-width: 56rem) {
        .workspace {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ]

  /** The module whose layout is edited. */
  declare module: string
  declare live: LiveModule | undefined
  declare modules: ModuleSummary[]
  declare operations: ChangeOperation[]
  declare draft: ModuleDefinition | undefined
  declare selected: string | undefined
  declare tab: Tab
  declare plan: SchemaPlan | undefined
  declare failure: ChangeFailure | undefined
  declare problem: string | undefined
  declare notice: string | undefined
  /** Says that a queue kept from an earlier visit was restored. */
  declare draftNote: string | undefined
  declare busy: boolean

  constructor() {
    super()
    this.module = ''
    this.modules = []
    this.operations = []
    this.tab = 'layout'
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#load()
  }

  // The queue outlives a click on another screen: it is kept for this tab until applied or discarded.
  override updated(changed: PropertyValues<this>): void {
    if (!changed.has('operations') || this.live === undefined) return
    const key = draftKey(this.module)
    if (this.operations.length === 0) sessionStorage.removeItem(key)
    else sessionStorage.setItem(key, JSON.stringify(this.operations))
  }

  override render() {
    const live = this.live
    const draft = this.draft
    if (live === undefined || draft === undefined) {
      return this.problem
        ? html`<div class="alert" role="alert">${this.problem}</div>`
        : html`<p role="status">Loading the layout…</p>`
    }

    return html`
      <div class="top">
        <h1>Layout editor: ${live.definition.label.plural}</h1>
        ${this.#renderPicker()}
      </div>
      <p class="muted">
        Version ${live.version}. Edits wait in a list of pending changes until you review and apply
        them as the next version.
      </p>
      ${this.notice ? html`<p class="notice" role="status">${this.notice} <a href=${hrefOf({ screen: 'create', module: this.module })}>Open the form</a></p>` : nothing}
      ${this.draftNote ? html`<p class="draft-note" role="status">${this.draftNote}</p>` : nothing}
      ${this.#renderProblems()} ${this.#renderPending(draft)}
      ${
        this.plan
          ? html`<crm-layout-plan
              .plan=${this.plan}
              ?busy=${this.busy}
              fixable
              @crm-plan-apply=${this.#apply}
              @crm-plan-cancel=${() => (this.plan = undefined)}
              @crm-plan-clear-failing=${this.#clearFailing}
            ></crm-layout-plan>`
          : nothing
      }
      <div role="tablist" aria-label="Layout editor views">
        ${TABS.map(
          ([tab, label]) =>
            html`<button
              role="tab"
              type="button"
              id="tab-${tab}"
              aria-selected=${this.tab === tab ? 'true' : 'false'}
              aria-controls="panel-${tab}"
              tabindex=${this.tab === tab ? '0' : '-1'}
              @click=${() => (this.tab = tab)}
              @keydown=${this.#tabKey}
            >
              ${label}
            </button>`,
        )}
      </div>
      <div role="tabpanel" id="panel-${this.tab}" aria-labelledby="tab-${this.tab}">
        ${this.#renderTab(live, draft)}
      </div>
    `
  }

  #renderPicker() {
    const hasPending = this.operations.length > 0

    return html`<div class="picker">
      <label for="module-picker">Module</label>
      <select
        id="module-picker"
        ?disabled=${hasPending}
        aria-describedby=${hasPending ? 'picker-note' : nothing}
        @change=${this.#pickModule}
      >
        ${this.modules.map((module) => html`<option value=${module.name} ?selected=${module.name === this.module}>${module.label.plural}</option>`)}
      </select>
      ${hasPending ? html`<span id="picker-note" class="muted">Apply or discard the pending changes first.</span>` : nothing}
    </div>`
  }

  #renderProblems() {
    const failure = this.failure
    if (this.problem === undefined && failure === undefined) return nothing

    return html`<div class="alert" role="alert">
      ${this.problem ? html`<p>${this.problem}</p>` : nothing}
      ${failure ? html`<p>${failure.message}</p>` : nothing}
      ${
        failure && failure.issues.length > 0
          ? html`<ul class="issues">
              ${failure.issues.map((issue) => html`<li>${issue.message}</li>`)}
            </ul>`
          : nothing
      }
      ${failure?.stale ? html`<button type="button" @click=${this.#reloadKeepingChanges}>Reload the layout</button>` : nothing}
    </div>`
  }

  #renderPending(draft: ModuleDefinition) {
    const count = this.operations.length
    if (count === 0) return nothing

    return html`<div class="pending" role="region" aria-label="Pending changes">
      <strong>${count} pending ${count === 1 ? 'change' : 'changes'}</strong>
      <details>
        <summary>Show the pending changes</summary>
        <ol>
          ${this.operations.map((operation) => html`<li>${describeOperation(operation, draft)}</li>`)}
        </ol>
      </details>
      <button type="button" ?disabled=${this.busy} @click=${this.#undo}>Undo last change</button>
      <button type="button" ?disabled=${this.busy} @click=${this.#discard}>Discard all</button>
      <button class="primary" type="button" ?disabled=${this.busy} @click=${this.#review}>
        ${this.busy && this.plan === undefined ? 'Planning…' : 'Review and apply…'}
      </button>
    </div>`
  }

  #renderTab(live: LiveModule, draft: ModuleDefinition) {
    switch (this.tab) {
      case 'preview':
        return html`<crm-layout-preview .definition=${draft}></crm-layout-preview>`
      case 'history':
        return html`<crm-layout-history
          .module=${this.module}
          .live=${live}
          @crm-definition-changed=${this.#onDefinitionChanged}
        ></crm-layout-history>`
      default:
        return this.#renderWorkspace(draft)
    }
  }

  #renderWorkspace(draft: ModuleDefinition) {
    const targets = this.modules.filter((module) => module.name !== 'users')
    const selected =
      this.selected !== undefined && draft.record.properties[this.selected] !== undefined
        ? this.selected
        : undefined

    return html`<div class="workspace">
      <div>
        <crm-layout-add
          .definition=${draft}
          .modules=${targets}
          @crm-layout-operation=${this.#onOperation}
          @crm-field-select=${this.#onSelect}
        ></crm-layout-add>
        <crm-layout-canvas
          .definition=${draft}
          .selected=${selected}
          @crm-layout-operation=${this.#onOperation}
          @crm-field-select=${this.#onSelect}
        ></crm-layout-canvas>
      </div>
      ${
        selected === undefined
          ? html`<p class="panel hint muted">
              Select a field to change its label, help text, default, visibility, kind or API name,
              to make it mandatory, or to archive it.
            </p>`
          : keyed(
              selected,
              html`<crm-layout-field-panel
                .definition=${draft}
                .name=${selected}
                .modules=${targets}
                .countGaps=${this.#countGaps}
                @crm-layout-operation=${this.#onOperation}
                @crm-field-select=${this.#onSelect}
              ></crm-layout-field-panel>`,
            )
      }
    </div>`
  }

  async #load(): Promise<void> {
    try {
      const [live, modules] = await Promise.all([api.getModule(this.module), api.listModules()])
      this.modules = modules.items
      const saved = readSavedDraft(this.module)
      const dropped = this.#setLive(live, saved)
      this.problem = undefined
      if (this.operations.length > 0) {
        this.draftNote = `${this.operations.length} pending ${this.operations.length === 1 ? 'change' : 'changes'} from before ${this.operations.length === 1 ? 'is' : 'are'} still here${dropped.length > 0 ? `; ${dropped.length} no longer fit the live version and were dropped` : ''}. Review and apply them, or discard them.`
      }
    } catch (error) {
      this.problem = `The layout of “${this.module}” could not be loaded: ${messageOf(error)}. Choose a module in the navigation.`
    }
  }

  /** Takes a new live version and applies the operations that still fit it; returns those that did not. */
  #setLive(live: LiveModule, operations: ChangeOperation[]): ChangeOperation[] {
    const kept: ChangeOperation[] = []
    const dropped: ChangeOperation[] = []
    let draft = live.definition
    for (const operation of operations) {
      try {
        draft = applyLayoutOperations(draft, [operation])
        kept.push(operation)
      } catch {
        dropped.push(operation)
      }
    }
    this.live = live
    this.operations = kept
    this.draft = kept.length === 0 ? live.definition : draft

    return dropped
  }

  #onOperation = (event: CustomEvent<LayoutOperationDetail>) => {
    event.stopPropagation()
    this.#queue(event.detail.operation)
  }

  #onSelect = (event: CustomEvent<{ field: string | undefined }>) => {
    this.selected = event.detail.field
  }

  /** Adds an operation to the queue when it applies to the draft; repeated edits of one thing merge. */
  #queue(operation: ChangeOperation): void {
    try {
      const draft = applyLayoutOperations(this.draft!, [operation])
      this.operations = mergeOperation(this.operations, operation)
      this.draft = draft
      this.problem = undefined
      this.notice = undefined
      this.draftNote = undefined
      this.plan = undefined
    } catch (error) {
      this.problem = `That change cannot be made: ${messageOf(error)}.`
    }
  }

  #undo = () => {
    this.#setLive(this.live!, this.operations.slice(0, -1))
    this.plan = undefined
    this.problem = undefined
  }

  #discard = () => {
    this.draftNote = undefined
    this.#setLive(this.live!, [])
    this.plan = undefined
    this.problem = undefined
    this.failure = undefined
  }

  #review = async () => {
    await this.#run(async () => {
      this.plan = await api.planChange(this.module, {
        baseVersion: this.live!.version,
        operations: this.operations,
      })
      await this.updateComplete
      this.renderRoot.querySelector('crm-layout-plan')?.scrollIntoView({ block: 'start' })
    })
  }

  #apply = async (event: CustomEvent<{ note: string }>) => {
    const note = event.detail.note || undefined
    await this.#run(async () => {
      const operations = this.operations
      const saved = await api.applyChange(this.module, {
        baseVersion: this.live!.version,
        operations,
        note,
      })
      this.plan = undefined
      this.draftNote = undefined
      this.#setLive({ ...this.live!, ...saved }, [])
      this.notice = `Version ${saved.version} of ${saved.definition.label.plural} is live: ${operations.length} ${operations.length === 1 ? 'change' : 'changes'} applied. Forms, lists and the API use it now.`
    })
  }

  /** After a conversion refusal: clear the failing values (keeping the originals) and plan again. */
  #clearFailing = async (event: CustomEvent<{ field: string }>) => {
    const index = this.operations.findLastIndex(
      (operation) => operation.op === 'changeKind' && operation.field === event.detail.field,
    )
    if (index === -1) return
    const operation = this.operations[index] as Extract<ChangeOperation, { op: 'changeKind' }>
    const cleared = {
      ...operation,
      conversion: { ...operation.conversion, onFailure: 'clear' as const },
    }
    this.operations = this.operations.map((item, position) => (position === index ? cleared : item))
    await this.#review()
  }

  #countGaps = async (field: string): Promise<number> => {
    const operations: ChangeOperation[] = [
      ...this.operations,
      { op: 'setRequired', field, required: true, keepGaps: true },
    ]
    const plan = await api.planChange(this.module, { baseVersion: this.live!.version, operations })
    const step = plan.steps.find((item) => item.kind === 'keep-gaps' && item.field === field)

    return step?.kind === 'keep-gaps' ? step.records : 0
  }

  #reloadKeepingChanges = async () => {
    await this.#run(async () => {
      const dropped = this.#setLive(await api.getModule(this.module), this.operations)
      this.plan = undefined
      if (dropped.length > 0) {
        this.problem = `${dropped.length} pending ${dropped.length === 1 ? 'change no longer fits' : 'changes no longer fit'} the newer version and ${dropped.length === 1 ? 'was' : 'were'} dropped.`
      }
    })
  }

  #onDefinitionChanged = (event: CustomEvent<{ live: LiveModule }>) => {
    this.#setLive(event.detail.live, this.operations)
    this.plan = undefined
    this.notice = `Version ${event.detail.live.version} of ${event.detail.live.definition.label.plural} is live.`
  }

  #pickModule = (event: Event) => {
    const module = (event.target as HTMLSelectElement).value
    location.hash = hrefOf({ screen: 'layout-editor', module })
  }

  /** Arrow keys move between tabs, as the ARIA tabs pattern expects. */
  #tabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    const index = TABS.findIndex(([tab]) => tab === this.tab)
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length][0]
    this.tab = next
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus(),
    )
  }

  /** Runs one request; a refusal (409, 422) or failure becomes the message above the tabs. */
  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true
    this.failure = undefined
    this.problem = undefined
    try {
      await action()
    } catch (error) {
      this.failure = describeChangeFailure(error, this.live?.definition.label.plural ?? this.module)
    } finally {
      this.busy = false
    }
  }
}

function draftKey(module: string): string {
  return `crm-layout-draft:${module}`
}

/** The queue kept for a module in this tab, or none when there is none or it cannot be read. */
function readSavedDraft(module: string): ChangeOperation[] {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(draftKey(module)) ?? '[]')

    return Array.isArray(saved) ? (saved as ChangeOperation[]) : []
  } catch {
    return []
  }
}

/**
 * Repeated edits of the same thing replace each other instead of piling up:
 * properties of one field, the metadata of one value, the block order, the
 * place of one field.
 */
function mergeOperation(operations: ChangeOperation[], next: ChangeOperation): ChangeOperation[] {
  const last = operations.at(-1)
  if (last === undefined) return [next]
  const rest = operations.slice(0, -1)
  if (last.op === 'updateField' && next.op === 'updateField' && last.field === next.field) {
    return [...rest, { ...next, properties: { ...last.properties, ...next.properties } }]
  }
  const sameTarget =
    (last.op === 'setPicklistValueMeta' &&
      next.op === 'setPicklistValueMeta' &&
      last.field === next.field &&
      last.value === next.value) ||
    (last.op === 'reorderBlocks' && next.op === 'reorderBlocks') ||
    (last.op === 'reorderPicklistValues' &&
      next.op === 'reorderPicklistValues' &&
      last.field === next.field) ||
    (last.op === 'moveField' && next.op === 'moveField' && last.field === next.field)

  return sameTarget ? [...rest, next] : [...operations, next]
}

customElements.define('crm-layout-editor', CrmLayoutEditor)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-editor': CrmLayoutEditor
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type {
  FieldDefinition,
  ModuleDefinition,
  RollupDefinition,
} from '../../engine/core/definition/types.ts'
import { api, ApiError, type CrmRecord, type Issue, type LiveModule } from '../api-client.ts'
import { formatValue, isReadOnly, recordTitleOf, targetModuleOf } from '../field-values.ts'
import { fieldOfIssue, messageFor } from '../issue-field.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

const MAX_LINES = 500

/** A line module found from a roll-up: its live definition and the roll-up that sums it. */
interface LineSource {
  live: LiveModule
  rollup: RollupDefinition
}

/**
 * The lines of a record whose definition sums a child module by a roll-up
 * and whose children cannot exist without it (their link field is required):
 * a quote's product lines. Lines are records of the child module, added,
 * changed and removed through the records API; the server computes each
 * line total and the roll-up (the quote's total, and the potential's amount
 * the quote feeds). Choosing a related record (a product) fills an empty
 * money field of the line from the chosen record's first money field (the
 * list price from the product's unit price). Fires `crm-record-changed`
 * after each change so the page reloads the record.
 */
export class CrmLineItems extends LitElement {
  static override properties = {
    module: {},
    record: { attribute: false },
    definition: { attribute: false },
    source: { state: true },
    lines: { state: true },
    problem: { state: true },
    draft: { state: true },
    labels: { state: true },
    editing: { state: true },
    issues: { state: true },
    busy: { state: true },
    done: { state: true },
    filled: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      td.number,
      th.number {
        text-align: right;
      }
      td.actions {
        display: flex;
        gap: 0.4rem;
        justify-content: flex-end;
      }
      tfoot th,
      tfoot td {
        border-bottom: none;
        font-weight: 700;
      }
      form {
        margin-top: 1rem;
        padding: 1rem;
        border: 1px dashed var(--crm-border);
        border-radius: 8px;
      }
      .grid {
        display: grid;
        gap: 0.75rem 1rem;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      .add {
        margin-top: 0.75rem;
      }
    `,
  ]

  /** The module of the record whose lines these are (quotes). */
  declare module: string
  /** The record whose lines these are; its roll-up field is the total. */
  declare record: CrmRecord | undefined
  declare definition: ModuleDefinition | undefined
  declare source: LineSource | null | undefined
  declare lines: CrmRecord[] | undefined
  declare problem: string | undefined
  /** The values of the line being added or changed; undefined when no form is open. */
  declare draft: Record<string, unknown> | undefined
  declare labels: Record<string, string>
  /** The line being changed, or undefined while adding one. */
  declare editing: CrmRecord | undefined
  declare issues: Issue[]
  declare busy: boolean
  declare done: string | undefined
  /** Says which fields a chosen record filled in, in the open form. */
  declare filled: string | undefined

  #request = 0
  // The values a chosen related record filled in, so a later choice may replace them.
  #prefilled: Record<string, unknown> = {}
  #targets = new Map<string, Promise<LiveModule>>()

  constructor() {
    super()
    this.module = ''
    this.labels = {}
    this.issues = []
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('definition') && this.definition) void this.#findSource()
    else if (changed.has('record') && this.source) void this.#loadLines()
  }

  override render() {
    const source = this.source
    if (!source || !this.record) return nothing
    const line = source.live.definition

    return html`<section class="panel" aria-labelledby="lines-title">
      <h2 id="lines-title">${line.label.plural}</h2>
      <p class="visually-hidden" role="status">${this.done ?? ''}</p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.#renderTable(source)} ${this.#renderForm(source)}
    </section>`
  }

  #renderTable(source: LineSource) {
    const lines = this.lines
    if (lines === undefined) return html`<p role="status">Loading the lines…</p>`
    const line = source.live.definition
    const columns = this.#columns(line)
    const parentField = this.definition!.record.properties[source.rollup.target]
    const canEdit = source.live.permission?.edit !== false
    const canDelete = source.live.permission?.delete === true

    return html`<div class="table-scroll" role="region" aria-label=${line.label.plural} tabindex="0">
      <table>
        <caption class="visually-hidden">${line.label.plural}</caption>
        <thead>
          <tr>
            ${columns.map(
              ([, field]) => html`<th scope="col" class=${numeric(field) ? 'number' : ''}>${field.title}</th>`,
            )}
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${lines.length === 0
            ? html`<tr>
                <td colspan=${columns.length + 1} class="muted">
                  No ${line.label.plural.toLowerCase()} yet. Add the first one below.
                </td>
              </tr>`
            : lines.map((record, index) => {
                const name = `${line.label.singular.toLowerCase()} ${index + 1}`

                return html`<tr>
                  ${columns.map(
                    ([field, definition]) =>
                      html`<td class=${numeric(definition) ? 'number' : ''}>
                        ${formatValue(definition, record[field], record._labels?.[field]) || '—'}
                      </td>`,
                  )}
                  <td class="actions">
                    ${canEdit
                      ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.#edit(record)}>
                          Edit<span class="visually-hidden"> ${name}</span>
                        </button>`
                      : nothing}
                    ${canDelete
                      ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.#remove(record, name)}>
                          Remove<span class="visually-hidden"> ${name}</span>
                        </button>`
                      : nothing}
                  </td>
                </tr>`
              })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan=${columns.length - 1}>${parentField?.title ?? 'Total'}</th>
            <td class="number" data-total>
              ${parentField ? formatValue(parentField, this.record![source.rollup.target]) || '—' : '—'}
            </td>
            <td></td>
          </tr>
        </tfoot>
      </table>
    </div>`
  }

  #renderForm(source: LineSource) {
    const line = source.live.definition
    const draft = this.draft
    if (draft === undefined) {
      return source.live.permission?.create === false
        ? nothing
        : html`<button class="add" type="button" ?disabled=${this.busy} @click=${this.#add}>
            Add ${line.label.singular.toLowerCase()}
          </button>`
    }
    const title = this.editing
      ? `Change ${line.label.singular.toLowerCase()} ${(this.lines ?? []).indexOf(this.editing) + 1}`
      : `New ${line.label.singular.toLowerCase()}`
    const editable = this.#editable(line)
    const elsewhere = this.issues.filter((issue) => !editable.includes(fieldOfIssue(issue) ?? ''))

    return html`<form aria-label=${title} @submit=${this.#save} @keydown=${this.#escape}>
      <h3>${title}</h3>
      ${elsewhere.length > 0
        ? html`<div class="alert" role="alert">${elsewhere.map((issue) => issue.message).join('; ')}</div>`
        : nothing}
      <div class="grid">
        ${editable.map(
          (name) => html`<crm-field-input
            data-field=${name}
            .name=${name}
            .field=${line.record.properties[name]}
            .value=${draft[name] ?? null}
            .valueLabel=${this.labels[name]}
            .error=${messageFor(this.issues, name)}
            ?required=${(line.record.required ?? []).includes(name)}
            @crm-field-change=${this.#change}
          ></crm-field-input>`,
        )}
      </div>
      <p class="muted filled" role="status">${this.filled ?? ''}</p>
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Saving…' : `Save ${line.label.singular.toLowerCase()}`}
        </button>
        <button type="button" @click=${this.#close}>Cancel</button>
      </div>
    </form>`
  }

  /** The table's columns: every live field of a line but the link to this record. */
  #columns(line: ModuleDefinition): [string, FieldDefinition][] {
    const via = this.source!.rollup.via
    const names = line.layout.blocks.flatMap((block) => block.fields)

    return names
      .filter((name) => name !== via)
      .map((name): [string, FieldDefinition] => [name, line.record.properties[name]])
      .filter(([, field]) => field !== undefined && !field['x-archived'])
  }

  /** The fields the line form asks for: the columns a person can type into. */
  #editable(line: ModuleDefinition): string[] {
    return this.#columns(line)
      .filter(([, field]) => !isReadOnly(field))
      .map(([name]) => name)
  }

  /** The roll-up that sums lines: its source's link to this record is required, so lines belong here. */
  async #findSource(): Promise<void> {
    const rollups = this.definition?.behaviours?.rollups ?? []
    for (const rollup of rollups) {
      if (rollup.aggregate !== 'sum') continue
      const live = await api.getModule(rollup.module).catch(() => undefined)
      if (live?.definition.record.required?.includes(rollup.via)) {
        this.source = { live, rollup }
        await this.#loadLines()
        return
      }
    }
    this.source = null
  }

  async #loadLines(): Promise<void> {
    const number = ++this.#request
    const source = this.source!
    try {
      const page = await api.listRecords(source.live.name, {
        filters: { [source.rollup.via]: String(this.record!.id) },
        sort: 'id',
        limit: MAX_LINES,
      })
      if (number !== this.#request) return
      this.lines = page.items
      this.problem = undefined
    } catch (error) {
      if (number !== this.#request) return
      this.problem = `The lines could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }

  #add = () => {
    this.editing = undefined
    const defaults: Record<string, unknown> = {}
    for (const [name, field] of Object.entries(this.source!.live.definition.record.properties)) {
      if (field.default !== undefined) defaults[name] = field.default
    }
    void this.#open(defaults, {})
  }

  #edit(record: CrmRecord): void {
    this.editing = record
    const values = Object.fromEntries(this.#editable(this.source!.live.definition).map((name) => [name, record[name] ?? null]))
    void this.#open(values, { ...(record._labels ?? {}) })
  }

  async #open(values: Record<string, unknown>, labels: Record<string, string>): Promise<void> {
    this.draft = values
    this.labels = labels
    this.issues = []
    this.filled = undefined
    this.#prefilled = {}
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('form crm-field-input')?.focus()
  }

  #close = () => {
    this.draft = undefined
    this.editing = undefined
    this.issues = []
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button.add')?.focus())
  }

  #escape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') this.#close()
  }

  #change = (event: CustomEvent<FieldChangeDetail>) => {
    const { name, value, label } = event.detail
    this.draft = { ...this.draft, [name]: value }
    if (label !== undefined) this.labels = { ...this.labels, [name]: label }
    const field = this.source!.live.definition.record.properties[name]
    const target = targetModuleOf(field)
    if (target !== undefined && target !== 'users' && typeof value === 'number') {
      void this.#prefill(target, value)
    }
  }

  /** Fills the line's empty money fields from the chosen record's first money field. */
  async #prefill(module: string, id: number): Promise<void> {
    try {
      let target = this.#targets.get(module)
      if (target === undefined) {
        target = api.getModule(module)
        this.#targets.set(module, target)
      }
      const [live, chosen] = await Promise.all([target, api.getRecord(module, id)])
      const price = Object.entries(live.definition.record.properties).find(
        ([, field]) => field['x-kind'] === 'currency' && !field['x-archived'],
      )
      if (price === undefined || this.draft === undefined) return
      const value = chosen[price[0]]
      if (value === null || value === undefined) return
      const line = this.source!.live.definition
      const next = { ...this.draft }
      const filled: string[] = []
      for (const name of this.#editable(line)) {
        const field = line.record.properties[name]
        if (field['x-kind'] !== 'currency') continue
        const current = next[name]
        if (current === null || current === undefined || current === this.#prefilled[name]) {
          next[name] = value
          this.#prefilled[name] = value
          filled.push(`${field.title} ${formatValue(field, value)}`)
        }
      }
      this.draft = next
      if (filled.length > 0) {
        this.filled = `${filled.join(', ')} from ${recordTitleOf(live.definition, chosen)}.`
      }
    } catch {
      // No price to offer: the person types it.
    }
  }

  #save = async (event: SubmitEvent) => {
    event.preventDefault()
    if (this.busy || this.draft === undefined) return
    const source = this.source!
    this.busy = true
    try {
      if (this.editing) {
        const changed = Object.fromEntries(
          Object.entries(this.draft).filter(
            ([name, value]) => JSON.stringify(value ?? null) !== JSON.stringify(this.editing![name] ?? null),
          ),
        )
        if (Object.keys(changed).length > 0) {
          await api.updateRecord(source.live.name, this.editing.id, this.editing.version, changed)
        }
      } else {
        const values = Object.fromEntries(
          Object.entries(this.draft).filter(([, value]) => value !== null && value !== ''),
        )
        await api.createRecord(source.live.name, { ...values, [source.rollup.via]: this.record!.id })
      }
      this.done = this.editing ? 'Line changed.' : 'Line added.'
      this.draft = undefined
      this.editing = undefined
      this.#changed()
    } catch (error) {
      this.issues = this.#issuesOf(error)
    } finally {
      this.busy = false
    }
  }

  async #remove(record: CrmRecord, name: string): Promise<void> {
    this.busy = true
    try {
      await api.deleteRecord(this.source!.live.name, record.id)
      this.done = `${name} removed.`
      if (this.editing?.id === record.id) this.#close()
      this.#changed()
    } catch (error) {
      this.problem = `${name} was not removed: ${messageOf(error)}. Reload and try again.`
    } finally {
      this.busy = false
    }
  }

  #issuesOf(error: unknown): Issue[] {
    if (error instanceof ApiError && error.issues.length > 0) return error.issues
    if (error instanceof ApiError && error.status === 412) {
      return [{ message: 'Someone else changed this line meanwhile. Cancel and edit it again.' }]
    }

    return [{ message: `Not saved: ${messageOf(error)}. Try again.` }]
  }

  /** The record's roll-up moved: the page reloads it, which reloads these lines. */
  #changed(): void {
    this.dispatchEvent(new CustomEvent('crm-record-changed', { bubbles: true, composed: true }))
  }
}

function numeric(field: FieldDefinition): boolean {
  return ['integer', 'decimal', 'currency', 'percent', 'computed'].includes(field['x-kind'])
}

customElements.define('crm-line-items', CrmLineItems)

declare global {
  interface HTMLElementTagNameMap {
    'crm-line-items': CrmLineItems
  }
}

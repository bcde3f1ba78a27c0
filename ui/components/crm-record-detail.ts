import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { FieldDefinition } from '../../engine/core/definition/types.ts'
import {
  api,
  type CrmRecord,
  type LiveModule,
  type RelationEntry,
} from '../api-client.ts'
import {
  formatValue,
  isReadOnly,
  recordTitleOf,
  safeHttpUrl,
  targetModuleOf,
} from '../field-values.ts'
import { formatMoney } from '../format-money.ts'
import { messageOf } from '../message-of.ts'
import { loadModuleLabels, rollupNote } from '../rollup-note.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { InlineEditDetail } from './crm-inline-edit.ts'
import './crm-inline-edit.ts'
import './crm-related-records.ts'

/**
 * The detail screen of one record: the layout's blocks with their values,
 * and the relation menu with counts; choosing an entry lists the related records.
 */
export class CrmRecordDetail extends LitElement {
  static override properties = {
    module: {},
    recordId: { type: Number },
    live: { state: true },
    record: { state: true },
    relations: { state: true },
    problem: { state: true },
    selected: { state: true },
    deleting: { state: true },
    editing: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .heading {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.5rem 1rem;
      }
      .heading h1 {
        margin-right: auto;
      }
      .kind {
        color: var(--crm-muted);
        margin: 0 0 0.25rem;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(var(--columns, 2), minmax(0, 1fr));
        gap: 0.75rem 1.5rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
        color: var(--crm-muted);
        font-size: 0.9rem;
      }
      dd {
        margin: 0.1rem 0 0;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      dd .note {
        display: block;
        font-size: 0.85rem;
      }
      dd button.value {
        display: inline;
        min-height: 0;
        padding: 0.1rem 0.2rem;
        margin-left: -0.2rem;
        border: 1px solid transparent;
        background: none;
        color: inherit;
        text-align: left;
        white-space: pre-wrap;
        cursor: text;
      }
      dd button.value:hover {
        border-color: var(--crm-border);
        background: #f6f9fd;
      }
      dt button.pencil {
        min-height: 0;
        padding: 0 0.35rem;
        border-color: transparent;
        font-size: 0.85rem;
      }
      dt button.pencil:hover {
        border-color: var(--crm-border);
      }
      .editing dd {
        white-space: normal;
      }
      .relations ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .relations button {
        flex-wrap: wrap;
      }
      .relations .totals {
        flex-basis: 100%;
        font-size: 0.8rem;
        text-align: left;
      }
      .relations button[aria-pressed='true'] {
        background: var(--crm-accent);
        color: #fff;
      }
      .count {
        display: inline-block;
        min-width: 1.6rem;
        padding: 0 0.4rem;
        border-radius: 999px;
        background: #e3ebf7;
        color: #17324f;
        font-size: 0.85rem;
        text-align: center;
      }
      .confirm {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      button.danger {
        border-color: var(--crm-danger);
        color: var(--crm-danger);
      }
      @media (max-width: 40rem) {
        dl {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ]

  /** The module's machine name. */
  declare module: string
  /** The id of the record to show. */
  declare recordId: number
  declare live: LiveModule | undefined
  declare record: CrmRecord | undefined
  declare relations: RelationEntry[] | undefined
  declare problem: string | undefined
  declare selected: RelationEntry | undefined
  /** True while asking to confirm the delete, 'busy' while it is sent. */
  declare deleting: boolean | 'busy'
  /** The field being edited in place, if any. */
  declare editing: string | undefined

  // Module labels, for saying which linked records fill a roll-up field.
  #moduleLabels = new Map<string, { singular: string; plural: string }>()

  constructor() {
    super()
    this.module = ''
    this.recordId = 0
    this.deleting = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('module') || changed.has('recordId')) && this.module && this.recordId)
      void this.#load()
  }

  override render() {
    if (this.problem) return html`<div class="alert" role="alert">${this.problem}</div>`
    const { live, record } = this
    if (live === undefined || record === undefined)
      return html`<p role="status">Loading the record…</p>`
    const definition = live.definition
    // The timeline is a chunk of its own, defined when it arrives.
    void import('./crm-record-timeline.ts')
    if (definition.behaviours?.history) void import('./crm-stage-history.ts')
    if (definition.behaviours?.rollups?.length) void import('./crm-line-items.ts')
    if (definition.behaviours?.conversion) void import('./crm-lead-conversion.ts')

    return html`
      <p class="kind">${definition.label.singular}</p>
      <div class="heading">
        <h1>${recordTitleOf(definition, record)}</h1>
        <a class="button" href=${hrefOf({ screen: 'list', module: this.module })}
          >Back to ${definition.label.plural}</a
        >
        ${
          live.permission?.edit === false || isConverted(definition, record)
            ? nothing
            : html`<a
                class="button primary"
                href=${hrefOf({ screen: 'edit', module: this.module, id: record.id })}
                >Edit</a
              >`
        }
        ${live.permission?.delete ? this.#renderDelete(recordTitleOf(definition, record)) : nothing}
      </div>
      ${
        definition.behaviours?.conversion
          ? html`<crm-lead-conversion
              .live=${live}
              .record=${record}
              @crm-record-changed=${this.#reload}
            ></crm-lead-conversion>`
          : nothing
      }
      ${definition.layout.blocks.map((block) => {
        const fields = block.fields.filter((name) => {
          const field = definition.record.properties[name]
          return field !== undefined && !field['x-archived']
        })

        return html`<section class="panel" aria-labelledby="block-${block.id}">
          <h2 id="block-${block.id}">${block.label}</h2>
          <dl style="--columns: ${block.columns ?? 2}">
            ${fields.map((name) => this.#renderField(name, definition.record.properties[name], record))}
          </dl>
        </section>`
      })}
      ${
        definition.behaviours?.rollups?.length
          ? html`<crm-line-items
              .module=${this.module}
              .record=${record}
              .definition=${definition}
              @crm-record-changed=${this.#reload}
            ></crm-line-items>`
          : nothing
      }
      ${
        definition.behaviours?.history
          ? html`<crm-stage-history
              .module=${this.module}
              .recordId=${record.id}
              .definition=${definition}
              .revision=${record.version}
            ></crm-stage-history>`
          : nothing
      }
      ${this.#renderRelations()}
      <crm-record-timeline
        .module=${this.module}
        .recordId=${record.id}
        .revision=${record.version}
      ></crm-record-timeline>
    `
  }

  #renderDelete(title: string) {
    if (this.deleting === false) {
      return html`<button class="danger" type="button" @click=${this.#askDelete}>Delete</button>`
    }

    return html`<div class="confirm" role="group" aria-label="Confirm the delete">
      <span>Move “${title}” to the recycle bin?</span>
      <button
        class="danger"
        type="button"
        ?disabled=${this.deleting === 'busy'}
        @click=${this.#delete}
      >
        Move to the recycle bin
      </button>
      <button type="button" @click=${() => (this.deleting = false)}>Keep it</button>
    </div>`
  }

  #askDelete = async () => {
    this.deleting = true
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('.confirm button')?.focus()
  }

  #delete = async () => {
    this.deleting = 'busy'
    try {
      await api.deleteRecord(this.module, this.recordId)
      location.hash = hrefOf({ screen: 'list', module: this.module })
    } catch (error) {
      this.deleting = false
      this.problem = `The record could not be deleted: ${messageOf(error)}. Reload and try again.`
    }
  }

  #renderField(name: string, field: FieldDefinition, record: CrmRecord) {
    if (this.editing === name) {
      return html`<div class="editing" data-field=${name}>
        <dt class="visually-hidden">${field.title}</dt>
        <dd><crm-inline-edit
            .module=${this.module}
            .live=${this.live}
            .record=${record}
            .name=${name}
            .field=${field}
            @crm-inline-saved=${this.#inlineDone}
            @crm-inline-cancel=${this.#inlineDone}
          ></crm-inline-edit></dd>
      </div>`
    }
    const value = this.#renderValue(name, field, record)
    if (!this.#canEditInline(name, field, record)) {
      return html`<div data-field=${name}>
        <dt>${field.title}</dt>
        <dd>${value}${this.#renderNote(name, record)}</dd>
      </div>`
    }
    const text = formatValue(field, record[name], record._labels?.[name])
    // A value that is a link keeps its link; a pencil beside the label edits it instead.
    if (isLinkValue(field, record[name])) {
      return html`<div data-field=${name}>
        <dt>
          ${field.title}
          <button
            class="pencil"
            type="button"
            aria-label="Edit ${field.title}"
            title="Edit ${field.title}"
            @click=${() => this.#startEdit(name)}
          >
            ✎
          </button>
        </dt>
        <dd>${value}</dd>
      </div>`
    }

    return html`<div data-field=${name}>
      <dt>${field.title}</dt>
      <dd><button
          class="value"
          type="button"
          aria-label="Edit ${field.title}: ${text || 'empty'}"
          @click=${() => this.#startEdit(name)}
        >${value}</button></dd>
    </div>`
  }

  /** Fields the person may change in place: not generated, not filled by a roll-up, on an editable record. */
  #canEditInline(name: string, field: FieldDefinition, record: CrmRecord): boolean {
    const live = this.live!

    return (
      live.permission?.edit !== false &&
      !isConverted(live.definition, record) &&
      !isReadOnly(field) &&
      record._rollups?.[name] === undefined
    )
  }

  async #startEdit(name: string): Promise<void> {
    this.editing = name
    await this.updateComplete
    await this.renderRoot.querySelector('crm-inline-edit')?.focusInput()
  }

  #inlineDone = async (event: CustomEvent<InlineEditDetail>) => {
    const { name, record } = event.detail
    if (record) this.record = record
    this.editing = undefined
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>(`[data-field="${name}"] button`)?.focus()
  }

  /** Says which linked records fill a field a roll-up fills right now. */
  #renderNote(name: string, record: CrmRecord) {
    const note = rollupNote(record, name, this.#moduleLabels)

    return note ? html`<span class="note muted">${note}</span>` : nothing
  }

  #renderValue(name: string, field: FieldDefinition, record: CrmRecord) {
    const value = record[name]
    const text = formatValue(field, value, record._labels?.[name])
    if (text === '') return html`<span class="muted">—</span>`
    const target = targetModuleOf(field)
    if (target !== undefined && typeof value === 'number') {
      return html`<a href=${hrefOf({ screen: 'detail', module: target, id: value })}>${text}</a>`
    }
    if (field['x-kind'] === 'email') return html`<a href="mailto:${String(value)}">${text}</a>`
    const url = field['x-kind'] === 'url' ? safeHttpUrl(value) : undefined
    if (url !== undefined)
      return html`<a href=${url} rel="noopener noreferrer" target="_blank">${text}</a>`

    return text
  }

  #renderRelations() {
    const relations = this.relations ?? []

    return html`<section class="panel relations" aria-labelledby="related-title">
      <h2 id="related-title">Related</h2>
      ${
        relations.length === 0
          ? html`<p class="muted">Nothing can be related to this record.</p>`
          : html`<nav aria-label="Related lists">
              <ul>
                ${relations.map(
                  (entry) =>
                    html`<li>
                      <button
                        type="button"
                        aria-pressed=${this.selected?.id === entry.id ? 'true' : 'false'}
                        @click=${() => this.#select(entry)}
                      >
                        ${entry.label} <span class="count">${entry.count}</span
                        ><span class="visually-hidden"> related</span>${
                          entry.totals
                            ? html`<span class="totals"
                                >open ${formatMoney(entry.totals.open, entry.totals.currency)}
                                · weighted
                                ${formatMoney(entry.totals.weighted, entry.totals.currency)}</span
                              >`
                            : nothing
                        }
                      </button>
                    </li>`,
                )}
              </ul>
            </nav>`
      }
      ${this.#renderRelated()}
    </section>`
  }

  #renderRelated() {
    const selected = this.selected
    if (selected === undefined) return nothing

    return html`<crm-related-records
      .module=${this.module}
      .recordId=${this.recordId}
      .entry=${selected}
      ?canEditRecord=${this.live?.permission?.edit !== false && !isConverted(this.live!.definition, this.record!)}
      @crm-relations-changed=${this.#reload}
    ></crm-related-records>`
  }

  async #load(): Promise<void> {
    try {
      const [live, record, relations, labels] = await Promise.all([
        api.getModule(this.module),
        api.getRecord(this.module, this.recordId),
        api.listRelations(this.module, this.recordId),
        loadModuleLabels(),
      ])
      this.#moduleLabels = labels
      this.live = live
      this.record = record
      this.relations = relations.items
    } catch (error) {
      this.problem = `This record could not be loaded: ${messageOf(error)}. Go back to the list and choose it again.`
    }
  }

  /** Something on the page changed the record (a line, a link): show it and its counts afresh. */
  #reload = async () => {
    try {
      const [record, relations] = await Promise.all([
        api.getRecord(this.module, this.recordId),
        api.listRelations(this.module, this.recordId),
      ])
      this.record = record
      this.relations = relations.items
      const selected = this.selected
      if (selected) this.selected = relations.items.find((item) => item.id === selected.id)
    } catch (error) {
      this.problem = `This record could not be loaded again: ${messageOf(error)}. Reload the page.`
    }
  }

  #select(entry: RelationEntry): void {
    this.selected = entry
  }
}

/** A value the detail shows as a link: a related record, an e-mail address, a web address. */
function isLinkValue(field: FieldDefinition, value: unknown): boolean {
  if (targetModuleOf(field) !== undefined) return typeof value === 'number'
  if (field['x-kind'] === 'email') return typeof value === 'string' && value !== ''
  if (field['x-kind'] === 'url') return safeHttpUrl(value) !== undefined

  return false
}

/** A converted record (a lead) is read-only: the server refuses edits by anyone but admins. */
function isConverted(definition: LiveModule['definition'], record: CrmRecord): boolean {
  const conversion = definition.behaviours?.conversion

  return conversion !== undefined && record[conversion.convertedAt] != null
}

customElements.define('crm-record-detail', CrmRecordDetail)

declare global {
  interface HTMLElementTagNameMap {
    'crm-record-detail': CrmRecordDetail
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import {
  api,
  type CrmRecord,
  type LiveModule,
  type RecordPage,
  type RelationEntry,
} from '../api-client.ts'
import { recordTitleOf } from '../field-values.ts'
import { formatMoney } from '../format-money.ts'
import { formatCount } from '../format-when.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { RowAction } from './crm-record-table.ts'
import './crm-record-table.ts'
import './crm-relation-picker.ts'

const PAGE_SIZE = 50

/**
 * One related list of a record's relation menu: the records with paging,
 * "Add <singular>" (the create form with the link filled in:
 * `#/potentials/new?related_to=12`; for a many-to-many relation the form
 * creates the record linked: `#/contacts/new?_link=potentials/12/potentials.contacts`),
 * "Select existing" to link a record and Unlink per row, each offered only
 * where the role and the link field allow it, and the open, weighted and
 * won totals when the server sends them.
 * Fires `crm-relations-changed` after a link or an unlink.
 */
export class CrmRelatedRecords extends LitElement {
  static override properties = {
    module: {},
    recordId: { type: Number },
    entry: { attribute: false },
    canEditRecord: { type: Boolean },
    live: { state: true },
    page: { state: true },
    offset: { state: true },
    loading: { state: true },
    problem: { state: true },
    selecting: { state: true },
    chosen: { state: true },
    busy: { state: true },
    done: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      h3 {
        margin: 1rem 0 0.5rem;
      }
      .toolbar {
        margin-bottom: 0.5rem;
      }
      .totals {
        margin: 0 0 0.5rem;
      }
      .select {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.5rem;
        margin-bottom: 0.75rem;
      }
      .select crm-relation-picker {
        flex: 1 1 18rem;
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
    `,
  ]

  /** The module of the record whose relation this is. */
  declare module: string
  declare recordId: number
  declare entry: RelationEntry | undefined
  /** Whether the role may edit the record itself: many-to-many links change it. */
  declare canEditRecord: boolean
  declare live: LiveModule | undefined
  declare page: RecordPage | undefined
  declare offset: number
  declare loading: boolean
  declare problem: string | undefined
  declare selecting: boolean
  declare chosen: { id: number; label?: string } | undefined
  declare busy: boolean
  declare done: string | undefined

  #request = 0

  constructor() {
    super()
    this.module = ''
    this.recordId = 0
    this.canEditRecord = false
    this.offset = 0
    this.loading = false
    this.selecting = false
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('entry') as RelationEntry | undefined
    if (changed.has('entry') && this.entry && before?.id !== this.entry.id) {
      this.live = undefined
      this.page = undefined
      this.selecting = false
      this.done = undefined
      void this.#load(0)
    }
  }

  override render() {
    const entry = this.entry
    if (entry === undefined) return nothing
    const live = this.live

    return html`<h3>${entry.label}</h3>
      ${this.#renderTotals(entry)}
      ${live ? this.#renderToolbar(entry, live) : nothing}
      <p class="visually-hidden" role="status">${this.done ?? ''}</p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.#renderRecords(entry)}`
  }

  #renderTotals(entry: RelationEntry) {
    const totals = entry.totals
    if (totals === undefined) return nothing

    return html`<p class="totals">
      Open ${formatMoney(totals.open, totals.currency)} · weighted
      ${formatMoney(totals.weighted, totals.currency)} · won
      ${formatMoney(totals.won, totals.currency)}
    </p>`
  }

  #renderToolbar(entry: RelationEntry, live: LiveModule) {
    const singular = live.definition.label.singular
    const canAdd = this.#canAdd(entry, live)
    const canLink = this.#canLink(entry, live)
    if (!canAdd && !canLink) return nothing
    // One-to-many: the new record's link field is filled in. Many-to-many: the form creates it linked.
    const link =
      entry.kind === 'one-to-many'
        ? { [entry.field ?? '']: String(this.recordId) }
        : { _link: `${this.module}/${this.recordId}/${entry.id}` }
    const href = `${hrefOf({ screen: 'create', module: entry.module })}?${new URLSearchParams(link)}`

    return html`<div class="toolbar">
        ${canAdd ? html`<a class="button" href=${href}>Add ${singular}</a>` : nothing}
        ${canLink && !this.selecting
          ? html`<button type="button" @click=${this.#openSelect}>
              Select existing<span class="visually-hidden"> ${live.definition.label.plural}</span>
            </button>`
          : nothing}
      </div>
      ${this.selecting ? this.#renderSelect(live) : nothing}`
  }

  #renderSelect(live: LiveModule) {
    const singular = live.definition.label.singular.toLowerCase()

    return html`<form class="select" aria-label="Link ${article(singular)} ${singular}" @submit=${this.#link}>
      <crm-relation-picker
        .label=${`${live.definition.label.singular} to link`}
        .module=${live.name}
        .value=${this.chosen?.id ?? null}
        .valueLabel=${this.chosen?.label}
        @crm-relation-change=${(event: CustomEvent<{ value: number | null; label?: string }>) =>
          (this.chosen =
            event.detail.value === null
              ? undefined
              : { id: event.detail.value, label: event.detail.label })}
      ></crm-relation-picker>
      <button class="primary" type="submit" ?disabled=${this.busy || this.chosen === undefined}>
        Link
      </button>
      <button type="button" @click=${() => (this.selecting = false)}>Cancel</button>
    </form>`
  }

  #renderRecords(entry: RelationEntry) {
    const live = this.live
    const page = this.page
    if (live === undefined || page === undefined) {
      return this.problem ? nothing : html`<p role="status">Loading ${entry.label.toLowerCase()}…</p>`
    }
    if (page.total === 0) {
      return html`<p role="status">
        No ${entry.label.toLowerCase()} are related to this record yet.${this.#emptyHint(entry, live)}
      </p>`
    }
    const last = this.offset + page.items.length
    const range = `${formatCount(this.offset + 1)}–${formatCount(last)} of ${formatCount(page.total)}`
    const unlink: RowAction | undefined = this.#canUnlink(entry, live)
      ? {
          text: 'Unlink',
          name: (record) => `Unlink ${recordTitleOf(live.definition, record)}`,
          disabled: this.busy,
        }
      : undefined

    return html`<crm-record-table
        .definition=${live.definition}
        .records=${page.items}
        .caption=${entry.label}
        .rowAction=${unlink}
        aria-busy=${this.loading ? 'true' : 'false'}
        @crm-row-action=${(event: CustomEvent<{ record: CrmRecord }>) =>
          this.#unlink(event.detail.record)}
      ></crm-record-table>
      ${page.total > PAGE_SIZE
        ? html`<div class="pager">
            <output role="status">${range}</output>
            <button
              type="button"
              ?disabled=${this.offset === 0 || this.loading}
              @click=${() => this.#load(this.offset - PAGE_SIZE)}
            >
              Previous page<span class="visually-hidden"> of ${entry.label}</span>
            </button>
            <button
              type="button"
              ?disabled=${last >= page.total || this.loading}
              @click=${() => this.#load(this.offset + PAGE_SIZE)}
            >
              Next page<span class="visually-hidden"> of ${entry.label}</span>
            </button>
          </div>`
        : nothing}`
  }

  /** What the person can do about an empty related list, from the buttons above it. */
  #emptyHint(entry: RelationEntry, live: LiveModule): string {
    const singular = live.definition.label.singular
    const add = this.#canAdd(entry, live) ? `add one with “Add ${singular}”` : ''
    const link = this.#canLink(entry, live) ? 'link one with “Select existing”' : ''
    const hint = [add, link].filter(Boolean).join(' or ')

    return hint ? ` You can ${hint}.` : ''
  }

  /** A new related record: one-to-many where its link field is writable, many-to-many where this record may change. */
  #canAdd(entry: RelationEntry, live: LiveModule): boolean {
    if (live.permission?.create === false) return false

    return entry.kind === 'many-to-many' ? this.canEditRecord : this.#linkFieldWritable(entry, live)
  }

  #canLink(entry: RelationEntry, live: LiveModule): boolean {
    if (entry.kind === 'many-to-many') return this.canEditRecord

    return live.permission?.edit !== false && this.#linkFieldWritable(entry, live)
  }

  /** Unlinking empties a one-to-many link field: not offered when the field is required. */
  #canUnlink(entry: RelationEntry, live: LiveModule): boolean {
    if (!this.#canLink(entry, live)) return false

    return entry.kind === 'many-to-many' || !(live.definition.record.required ?? []).includes(entry.field!)
  }

  #linkFieldWritable(entry: RelationEntry, live: LiveModule): boolean {
    const field = entry.field === undefined ? undefined : live.definition.record.properties[entry.field]

    return field !== undefined && !field.readOnly && !field['x-archived']
  }

  async #load(offset: number): Promise<void> {
    const entry = this.entry!
    const number = ++this.#request
    const start = Math.max(0, offset)
    this.loading = true
    this.problem = undefined
    try {
      const [live, page] = await Promise.all([
        this.live?.name === entry.module ? Promise.resolve(this.live) : api.getModule(entry.module),
        api.listRelated(this.module, this.recordId, entry.id, { limit: PAGE_SIZE, offset: start }),
      ])
      if (number !== this.#request) return
      this.live = live
      this.page = page
      this.offset = start
    } catch (error) {
      if (number !== this.#request) return
      this.problem = `The ${entry.label.toLowerCase()} could not be loaded: ${messageOf(error)}. Try again.`
    } finally {
      if (number === this.#request) this.loading = false
    }
  }

  #openSelect = async () => {
    this.selecting = true
    this.chosen = undefined
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('crm-relation-picker')?.focus()
  }

  #link = async (event: SubmitEvent) => {
    event.preventDefault()
    const chosen = this.chosen
    if (chosen === undefined || this.busy) return
    await this.#change(
      () => api.linkRelated(this.module, this.recordId, this.entry!.id, chosen.id),
      `Linked ${chosen.label ?? `#${chosen.id}`}.`,
      'linked',
    )
    if (this.problem === undefined) this.selecting = false
  }

  async #unlink(record: CrmRecord): Promise<void> {
    const title = recordTitleOf(this.live!.definition, record)
    await this.#change(
      () => api.unlinkRelated(this.module, this.recordId, this.entry!.id, record.id),
      `Unlinked ${title}.`,
      'unlinked',
    )
  }

  async #change(run: () => Promise<void>, done: string, verb: string): Promise<void> {
    this.busy = true
    this.problem = undefined
    try {
      await run()
      this.done = done
      await this.#load(this.offset)
      this.dispatchEvent(new CustomEvent('crm-relations-changed', { bubbles: true, composed: true }))
    } catch (error) {
      this.problem = `The record was not ${verb}: ${messageOf(error)}.`
    } finally {
      this.busy = false
    }
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a'
}

customElements.define('crm-related-records', CrmRelatedRecords)

declare global {
  interface HTMLElementTagNameMap {
    'crm-related-records': CrmRelatedRecords
  }
}

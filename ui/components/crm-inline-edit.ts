import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { FieldDefinition } from '../../engine/core/definition/types.ts'
import { api, ApiError, type CrmRecord, type LiveModule } from '../api-client.ts'
import { formatValue } from '../field-values.ts'
import { messageOf } from '../message-of.ts'
import { checkRecord, preloadRecordValidator, recordAfterWrite } from '../record-validation.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

/** What `crm-inline-saved` and `crm-inline-cancel` carry: the record as it is now, when known. */
export interface InlineEditDetail {
  name: string
  record?: CrmRecord
}

/**
 * The editor of one field on the detail view: the input of the field's kind,
 * Save (or Enter) sends only this field with `If-Match`, Cancel (or Escape)
 * leaves it. The server's rules run in the browser first, on the stored
 * record with the new value, and a bad value is refused beside the input
 * without sending; a 422 shows the server's message there too; a 412 says
 * the record changed and shows the newer stored value, and Save again
 * overwrites it. Fires `crm-inline-saved` with the saved record and
 * `crm-inline-cancel` with the newer record when a 412 brought one.
 */
export class CrmInlineEdit extends LitElement {
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true }

  static override properties = {
    module: {},
    live: { attribute: false },
    record: { attribute: false },
    name: {},
    field: { attribute: false },
    value: { state: true },
    label: { state: true },
    error: { state: true },
    current: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        white-space: normal;
        max-width: 36rem;
      }
      form {
        display: grid;
        gap: 0.4rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .row button {
        min-height: 2.1rem;
        padding: 0.2rem 0.7rem;
      }
      .alert {
        margin: 0;
        padding: 0.5rem 0.75rem;
      }
    `,
  ]

  declare module: string
  /** The module's definition as this user sees it; its rules are checked before sending. */
  declare live: LiveModule | undefined
  declare record: CrmRecord | undefined
  declare name: string
  declare field: FieldDefinition | undefined
  declare value: unknown
  declare label: string | undefined
  declare error: string | undefined
  /** The stored record after a 412: someone saved it after the page was loaded. */
  declare current: CrmRecord | undefined
  declare busy: boolean

  constructor() {
    super()
    this.module = ''
    this.name = ''
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('live')) preloadRecordValidator(this.live)
    if ((changed.has('record') || changed.has('name')) && this.record) {
      this.value = this.record[this.name] ?? null
      this.label = this.record._labels?.[this.name]
    }
  }

  /**
   * Puts the cursor in the value's input once it is drawn. Focusing the element
   * itself delegates to its first focusable part, which is Save while the input
   * is still being drawn, so typed text went nowhere.
   */
  async focusInput(): Promise<void> {
    await this.updateComplete
    const input = this.renderRoot.querySelector<LitElement>('crm-field-input')
    await input?.updateComplete
    input?.focus()
  }

  override render() {
    const field = this.field
    if (field === undefined) return nothing

    return html`<form
      aria-label="Edit ${field.title}"
      @submit=${this.#submit}
      @keydown=${this.#key}
    >
      <crm-field-input
        .name=${this.name}
        .field=${field}
        .value=${this.value}
        .valueLabel=${this.label}
        .error=${this.error}
        @crm-field-change=${this.#change}
      ></crm-field-input>
      ${this.#renderStale(field)}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Saving…' : 'Save'}<span class="visually-hidden"> ${field.title}</span>
        </button>
        <button type="button" @click=${this.#cancel}>
          Cancel<span class="visually-hidden"> editing ${field.title}</span>
        </button>
      </div>
    </form>`
  }

  #renderStale(field: FieldDefinition) {
    const current = this.current
    if (current === undefined) return nothing
    const stored = formatValue(field, current[this.name], current._labels?.[this.name]) || '(empty)'

    return html`<div class="alert stale" role="alert">
      Someone else changed this record meanwhile (now version ${current.version}).
      ${field.title} is now “${stored}”. Save again to replace it with your value, or Cancel to keep
      theirs.
    </div>`
  }

  #change = (event: CustomEvent<FieldChangeDetail>) => {
    this.value = event.detail.value
    if (event.detail.label !== undefined) this.label = event.detail.label
  }

  #key = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      this.#cancel()
      return
    }
    // The input sits in its own shadow root, so Enter does not submit the form by itself.
    const target = event.composedPath()[0] as HTMLElement
    if (event.key === 'Enter' && !event.defaultPrevented && target.tagName === 'INPUT') {
      event.preventDefault()
      void this.#save()
    }
  }

  #submit = (event: SubmitEvent) => {
    event.preventDefault()
    void this.#save()
  }

  async #save(): Promise<void> {
    const record = this.record!
    if (this.busy) return
    const base = this.current ?? record
    if (this.current === undefined && same(this.value, record[this.name])) {
      this.#cancel()
      return
    }
    this.busy = true
    try {
      const change = { [this.name]: this.value }
      const issues = await this.#check(change, base)
      if (issues.length > 0) {
        this.error = issues.map((issue) => issue.message).join('; ')
        this.renderRoot.querySelector<HTMLElement>('crm-field-input')?.focus()
        return
      }
      const saved = await api.updateRecord(this.module, record.id, base.version, change)
      this.#emit('crm-inline-saved', saved)
    } catch (error) {
      this.#showFailure(error)
    } finally {
      this.busy = false
    }
  }

  /** The server's rules, run here on the stored record with the new value. */
  async #check(change: Record<string, unknown>, stored: CrmRecord) {
    const live = this.live
    if (live === undefined) return []

    return checkRecord(live, recordAfterWrite(live.definition, change, stored), [this.name])
  }

  #showFailure(error: unknown): void {
    if (error instanceof ApiError && error.status === 412 && isRecord(error.details.current)) {
      this.current = error.details.current
      this.error = undefined
      return
    }
    if (error instanceof ApiError && error.status === 422 && error.issues.length > 0) {
      this.error = error.issues.map((issue) => issue.message).join('; ')
      return
    }
    this.error = `Not saved: ${messageOf(error)}. Try again.`
  }

  #cancel = () => {
    this.#emit('crm-inline-cancel', this.current)
  }

  #emit(type: string, record: CrmRecord | undefined): void {
    const detail: InlineEditDetail = { name: this.name, record }
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}

function same(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null)
}

function isRecord(value: unknown): value is CrmRecord {
  return typeof value === 'object' && value !== null && typeof (value as CrmRecord).id === 'number'
}

customElements.define('crm-inline-edit', CrmInlineEdit)

declare global {
  interface HTMLElementTagNameMap {
    'crm-inline-edit': CrmInlineEdit
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { live } from 'lit/directives/live.js'
import type { FieldDefinition } from '../../engine/core/definition/types.ts'
import { formatValue, isReadOnly, targetModuleOf } from '../field-values.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-relation-picker.ts'

/** Fired when the person changes the value; `detail.value` is already the JSON value to send. */
export interface FieldChangeDetail {
  name: string
  value: unknown
  /** The title of the chosen record, for relation and user fields. */
  label?: string
}

const NUMBER_KINDS = new Set(['integer', 'decimal', 'currency', 'percent'])

/**
 * One field of a record form: its label tied to the input, the input that
 * fits the field's kind, and the server's message for it. Fires
 * `crm-field-change` with a `FieldChangeDetail` on every change.
 */
export class CrmFieldInput extends LitElement {
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true }

  static override properties = {
    name: {},
    field: { attribute: false },
    value: { attribute: false },
    valueLabel: {},
    error: {},
    required: { type: Boolean },
    text: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .required {
        color: var(--crm-danger);
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.5rem;
      }
      input[readonly] {
        background: #eef2f7;
        border-style: dashed;
      }
      [aria-invalid='true'] {
        border-color: var(--crm-danger);
        border-width: 2px;
      }
      .error {
        margin: 0;
        font-size: 0.9rem;
      }
    `,
  ]

  /** The field's machine name, sent back in `crm-field-change`. */
  declare name: string
  /** The field's definition: its kind decides the input. */
  declare field: FieldDefinition | undefined
  /** The current JSON value (a number for numbers, an id for relations, null when empty). */
  declare value: unknown
  /** The title of the related record, for relation and user fields. */
  declare valueLabel: string | undefined
  /** The server's message about this field, shown beside the input. */
  declare error: string | undefined
  /** Whether the definition requires a value; marks the label and the input. */
  declare required: boolean
  // What the person typed; kept apart from `value` so "1." or "-" survive until they are numbers.
  declare text: string

  constructor() {
    super()
    this.name = ''
    this.required = false
    this.text = ''
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (
      (changed.has('value') || changed.has('field')) &&
      !sameValue(this.#parse(this.text), this.value)
    ) {
      this.text = this.#toText(this.value)
    }
  }

  override render() {
    const field = this.field
    if (field === undefined) return nothing
    const target = targetModuleOf(field)
    if (target !== undefined && !isReadOnly(field)) {
      return html`<crm-relation-picker
        .label=${field.title}
        .module=${target}
        .value=${typeof this.value === 'number' ? this.value : null}
        .valueLabel=${this.valueLabel}
        .error=${this.error}
        ?required=${this.required}
        @crm-relation-change=${this.#changeRelation}
      ></crm-relation-picker>`
    }
    if (field['x-kind'] === 'boolean') return this.#renderCheckbox()

    return html`<div class="field">
      <label for="input">
        ${field.title}${this.required ? html` <span class="required" aria-hidden="true">*</span>` : nothing}
      </label>
      ${this.#renderControl(field)}
      ${this.error ? html`<p id="error" class="error">${this.error}</p>` : nothing}
      ${field.description ? html`<p id="help" class="muted">${field.description}</p>` : nothing}
    </div>`
  }

  #renderCheckbox() {
    return html`<div class="field">
      <div class="check">
        <input
          id="input"
          type="checkbox"
          .checked=${live(this.value === true)}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'error' : nothing}
          @change=${(event: Event) => this.#emit((event.target as HTMLInputElement).checked)}
        />
        <label for="input">${this.field!.title}</label>
      </div>
      ${this.error ? html`<p id="error" class="error">${this.error}</p>` : nothing}
    </div>`
  }

  #renderControl(field: FieldDefinition) {
    const kind = field['x-kind']
    const common = {
      invalid: this.error ? 'true' : 'false',
      describedBy:
        [this.error ? 'error' : '', field.description ? 'help' : ''].join(' ').trim() || nothing,
    }
    if (isReadOnly(field)) {
      const shown = formatValue(field, this.value, this.valueLabel)

      return html`<input id="input" readonly .value=${shown} placeholder="Filled in when saved" />`
    }
    if (kind === 'textarea') {
      return html`<textarea
        id="input"
        rows="4"
        maxlength=${field.maxLength ?? nothing}
        aria-required=${this.required ? 'true' : 'false'}
        aria-invalid=${common.invalid}
        aria-describedby=${common.describedBy}
        .value=${live(this.text)}
        @input=${this.#input}
      ></textarea>`
    }
    if (kind === 'picklist') {
      return html`<select
        id="input"
        aria-required=${this.required ? 'true' : 'false'}
        aria-invalid=${common.invalid}
        aria-describedby=${common.describedBy}
        @change=${this.#input}
      >
        <option value="" .selected=${live(this.text === '')}>— None —</option>
        ${(field.enum ?? []).map(
          (option) =>
            html`<option value=${option} .selected=${live(this.text === option)}>
              ${option}
            </option>`,
        )}
      </select>`
    }
    if (kind === 'multi-picklist') {
      const options = field.items?.enum ?? []
      const chosen = Array.isArray(this.value) ? (this.value as unknown[]) : []

      return html`<select
        id="input"
        multiple
        size=${Math.min(Math.max(options.length, 2), 6)}
        aria-required=${this.required ? 'true' : 'false'}
        aria-invalid=${common.invalid}
        aria-describedby=${common.describedBy}
        @change=${this.#chooseMany}
      >
        ${options.map((option) => html`<option value=${option} .selected=${live(chosen.includes(option))}>${option}</option>`)}
      </select>`
    }

    return html`<input
      id="input"
      type=${inputTypeOf(kind)}
      inputmode=${NUMBER_KINDS.has(kind) ? (kind === 'integer' ? 'numeric' : 'decimal') : nothing}
      step=${NUMBER_KINDS.has(kind) ? stepOf(field) : nothing}
      min=${field.minimum ?? nothing}
      max=${field.maximum ?? nothing}
      maxlength=${field.maxLength ?? nothing}
      autocomplete="off"
      aria-required=${this.required ? 'true' : 'false'}
      aria-invalid=${common.invalid}
      aria-describedby=${common.describedBy}
      .value=${live(this.text)}
      @input=${this.#input}
    />`
  }

  #input = (event: Event) => {
    this.text = (event.target as HTMLInputElement).value
    this.#emit(this.#parse(this.text))
  }

  #chooseMany = (event: Event) => {
    const chosen = [...(event.target as HTMLSelectElement).selectedOptions].map(
      (option) => option.value,
    )
    this.#emit(chosen.length === 0 ? null : chosen)
  }

  #changeRelation = (event: CustomEvent<{ value: number | null; label?: string }>) => {
    this.#emit(event.detail.value, event.detail.label)
  }

  #emit(value: unknown, label?: string): void {
    const detail: FieldChangeDetail = { name: this.name, value, label }
    this.dispatchEvent(new CustomEvent('crm-field-change', { detail }))
  }

  /** The JSON value of the typed text: numbers as numbers, empty as null. */
  #parse(text: string): unknown {
    const kind = this.field?.['x-kind']
    if (kind === undefined || kind === 'boolean' || kind === 'multi-picklist') return this.value
    if (text.trim() === '') return null
    if (kind !== undefined && NUMBER_KINDS.has(kind)) {
      const number = Number(text)
      // Not a number: sent as typed, so the server names the problem beside the field.
      return Number.isFinite(number) ? number : text
    }
    if (kind === 'datetime') {
      const date = new Date(text)
      return Number.isNaN(date.getTime()) ? text : date.toISOString()
    }

    return text
  }

  #toText(value: unknown): string {
    if (value === null || value === undefined) return ''
    if (this.field?.['x-kind'] === 'datetime') return toLocalDateTime(String(value))

    return String(value)
  }
}

function inputTypeOf(kind: string): string {
  switch (kind) {
    case 'integer':
    case 'decimal':
    case 'currency':
    case 'percent':
      return 'number'
    case 'date':
      return 'date'
    case 'datetime':
      return 'datetime-local'
    case 'email':
      return 'email'
    case 'phone':
      return 'tel'
    case 'url':
      return 'url'
    default:
      return 'text'
  }
}

function stepOf(field: FieldDefinition): string {
  if (field['x-kind'] === 'integer') return '1'
  const scale = field['x-scale'] ?? 2

  return scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`
}

/** `2026-03-01T09:30:00.000Z` as the local `2026-03-01T10:30` a datetime-local input shows. */
function toLocalDateTime(text: string): string {
  const date = new Date(text)
  if (Number.isNaN(date.getTime())) return text
  const pad = (number: number) => String(number).padStart(2, '0')
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`

  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null)
}

customElements.define('crm-field-input', CrmFieldInput)

declare global {
  interface HTMLElementTagNameMap {
    'crm-field-input': CrmFieldInput
  }
}

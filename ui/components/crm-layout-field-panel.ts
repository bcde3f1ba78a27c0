import { css, html, LitElement, nothing } from 'lit'
import type { ChangeOperation } from '../../engine/core/definition/change-operations.ts'
import type {
  FieldDefinition,
  FieldKindName,
  ModuleDefinition,
} from '../../engine/core/definition/types.ts'
import type { ModuleSummary } from '../api-client.ts'
import { NEW_FIELD_KINDS, parsePicklistValues } from '../create-field-definition.ts'
import { isReadOnly } from '../field-values.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import type { LayoutOperationDetail } from './crm-layout-canvas.ts'
import './crm-field-input.ts'
import './crm-layout-picklist.ts'

const TEXT_KINDS = new Set(['text', 'textarea', 'email', 'phone', 'url'])
const SCALED_KINDS = new Set(['decimal', 'currency', 'percent', 'computed'])
const SHOWN_IN = [
  ['x-list', 'Shown in the list'],
  ['x-quick-create', 'Shown in quick create'],
  ['x-mass-edit', 'Shown in mass edit'],
  ['x-header', 'Shown in the record header'],
] as const

type GapState = { loading: true } | { gaps: number } | { problem: string }

/**
 * The property panel of one field in the Layout Editor: label, help text,
 * default, length or decimals, read-only, where it is shown, its block,
 * mandatory (with the number of records that lack a value), its kind, its
 * API name, picklist values, archive, and for archived fields restore and
 * purge. Fires `crm-layout-operation` and `crm-field-select` (to close or
 * to follow a renamed field).
 */
export class CrmLayoutFieldPanel extends LitElement {
  static override properties = {
    definition: { attribute: false },
    name: {},
    modules: { attribute: false },
    countGaps: { attribute: false },
    defaultValue: { state: true },
    backfill: { state: true },
    gapState: { state: true },
    targetKind: { state: true },
    purgeConfirmed: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      /* Sticky beside a long canvas; a panel taller than the window scrolls on its own. */
      :host {
        position: sticky;
        top: 0.5rem;
        max-height: calc(100vh - 1rem);
        overflow-y: auto;
        border-radius: 8px;
      }
      section.panel {
        margin-bottom: 0;
      }
      .head {
        display: flex;
        align-items: baseline;
        gap: 0.5rem;
      }
      .head h2 {
        margin-right: auto;
      }
      form,
      .part {
        display: grid;
        gap: 0.6rem;
        padding: 0.75rem 0;
        border-top: 1px solid #e3e8ef;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      .row > * {
        flex: 1 1 8rem;
      }
      fieldset {
        border: 1px solid var(--crm-border);
        border-radius: 6px;
        display: grid;
        gap: 0.4rem;
      }
      code {
        color: var(--crm-muted);
      }
      .danger {
        border-color: var(--crm-danger);
        color: var(--crm-danger);
      }
    `,
  ]

  /** The draft definition the panel edits. */
  declare definition: ModuleDefinition | undefined
  /** The field's name in the draft. */
  declare name: string
  /** The modules a relation may point to. */
  declare modules: ModuleSummary[]
  /** Counts the records that lack a value of a field, with the queued changes applied. */
  declare countGaps: ((field: string) => Promise<number>) | undefined
  declare defaultValue: unknown
  declare backfill: unknown
  declare gapState: GapState | undefined
  declare targetKind: FieldKindName | undefined
  declare purgeConfirmed: boolean

  constructor() {
    super()
    this.name = ''
    this.modules = []
    this.purgeConfirmed = false
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.defaultValue = this.#field()?.default ?? null
  }

  override render() {
    const field = this.#field()
    if (field === undefined) return nothing

    return html`<section class="panel" aria-labelledby="panel-title">
      <div class="head">
        <h2 id="panel-title">Field: ${field.title}</h2>
        <button type="button" @click=${this.#close}>Close</button>
      </div>
      <p class="muted"><code>${this.name}</code> · ${field['x-kind']}</p>
      ${
        field['x-archived']
          ? this.#renderArchived(field)
          : html`${this.#renderProperties(field)} ${this.#renderPlacement()}
            ${this.#renderRequired(field)} ${this.#renderKind(field)} ${this.#renderApiName()}
            ${this.#renderPicklist(field)} ${this.#renderArchive()}`
      }
    </section>`
  }

  #renderProperties(field: FieldDefinition) {
    const kind = field['x-kind']
    // Numbers and computed values are read-only by nature; the checkbox would only confuse.
    const generated = isGenerated(field)

    return html`<form aria-label="Properties" @submit=${this.#saveProperties}>
      <h3>Properties</h3>
      <div class="field">
        <label for="title">Label</label>
        <input id="title" name="title" required maxlength="200" .value=${field.title} />
      </div>
      <div class="field">
        <label for="description">Help text</label>
        <textarea id="description" name="description" rows="2" maxlength="2000">
${field.description ?? ''}</textarea>
      </div>
      ${
        isReadOnly({ ...field, readOnly: false })
          ? nothing
          : html`<crm-field-input
              .name=${'default'}
              .field=${{ ...field, title: 'Default value', description: undefined, readOnly: false }}
              .value=${this.defaultValue}
              @crm-field-change=${(event: CustomEvent<FieldChangeDetail>) =>
                (this.defaultValue = event.detail.value)}
            ></crm-field-input>`
      }
      ${
        TEXT_KINDS.has(kind)
          ? html`<div class="field">
              <label for="maxLength">Maximum length</label>
              <input
                id="maxLength"
                name="maxLength"
                type="number"
                min="1"
                max="1000000"
                .value=${String(field.maxLength ?? '')}
              />
            </div>`
          : nothing
      }
      ${
        SCALED_KINDS.has(kind)
          ? html`<div class="field">
              <label for="scale">Decimal places</label>
              <input
                id="scale"
                name="x-scale"
                type="number"
                min="0"
                max="6"
                .value=${String(field['x-scale'] ?? 2)}
              />
            </div>`
          : nothing
      }
      ${
        generated
          ? nothing
          : html`<div class="check">
              <input
                id="readOnly"
                name="readOnly"
                type="checkbox"
                .checked=${field.readOnly === true}
              />
              <label for="readOnly">Read-only</label>
            </div>`
      }
      ${SHOWN_IN.map(
        ([key, label]) =>
          html`<div class="check">
            <input id=${key} name=${key} type="checkbox" .checked=${field[key] === true} />
            <label for=${key}>${label}</label>
          </div>`,
      )}
      <div><button class="primary" type="submit">Update field</button></div>
    </form>`
  }

  #renderPlacement() {
    const blocks = this.definition!.layout.blocks
    const current = blocks.find((block) => block.fields.includes(this.name))?.id

    return html`<form aria-label="Placement" @submit=${this.#moveToBlock}>
      <div class="row">
        <div class="field">
          <label for="block">Block</label>
          <select id="block" name="block">
            ${blocks.map((block) => html`<option value=${block.id} ?selected=${block.id === current}>${block.label}</option>`)}
          </select>
        </div>
        <div><button type="submit">Move to block</button></div>
      </div>
    </form>`
  }

  #renderRequired(field: FieldDefinition) {
    const required = (this.definition!.record.required ?? []).includes(this.name)
    if (required) {
      return html`<div class="part">
        <h3>Mandatory</h3>
        <p>Every ${this.definition!.label.singular.toLowerCase()} must have a ${field.title}.</p>
        <div>
          <button
            type="button"
            @click=${() => this.#emit({ op: 'setRequired', field: this.name, required: false })}
          >
            Make optional
          </button>
        </div>
      </div>`
    }
    const state = this.gapState

    return html`<div class="part">
      <h3>Mandatory</h3>
      ${
        state === undefined
          ? html`<p class="muted">Optional now.</p>
              <div><button type="button" @click=${this.#askGaps}>Make mandatory…</button></div>`
          : 'loading' in state
            ? html`<p role="status">Counting the records without a ${field.title}…</p>`
            : 'problem' in state
              ? html`<p class="error" role="alert">${state.problem}</p>`
              : this.#renderGapChoice(field, state.gaps)
      }
    </div>`
  }

  #renderGapChoice(field: FieldDefinition, gaps: number) {
    const plural = this.definition!.label.plural.toLowerCase()
    if (gaps === 0) {
      return html`<form aria-label="Mandatory" @submit=${this.#makeRequired}>
        <p role="status">No existing ${plural} lack a ${field.title}.</p>
        <div><button class="primary" type="submit">Make mandatory</button></div>
      </form>`
    }

    return html`<form aria-label="Mandatory" @submit=${this.#makeRequired}>
      <p role="status" class="gaps">
        ${gaps.toLocaleString('en-US')} existing ${gaps === 1 ? 'record has' : 'records have'} no
        ${field.title}.
      </p>
      <fieldset>
        <legend>Existing records without a value</legend>
        <div class="check">
          <input id="gaps-fill" type="radio" name="gaps" value="fill" checked />
          <label for="gaps-fill">Fill them with the value below</label>
        </div>
        <crm-field-input
          .name=${'backfill'}
          .field=${{ ...field, title: 'Back-fill value', description: undefined, readOnly: false }}
          .value=${this.backfill ?? null}
          @crm-field-change=${(event: CustomEvent<FieldChangeDetail>) => (this.backfill = event.detail.value)}
        ></crm-field-input>
        <div class="check">
          <input id="gaps-keep" type="radio" name="gaps" value="keep" />
          <label for="gaps-keep">Leave existing records empty</label>
        </div>
      </fieldset>
      <div class="row">
        <div><button class="primary" type="submit">Make mandatory</button></div>
        <div><button type="button" @click=${() => (this.gapState = undefined)}>Cancel</button></div>
      </div>
    </form>`
  }

  #renderKind(field: FieldDefinition) {
    const kind = this.targetKind ?? field['x-kind']
    const isPicklist = kind === 'picklist' || kind === 'multi-picklist'
    if (field['x-kind'] === 'auto-number' || field['x-kind'] === 'computed') return nothing

    return html`<form aria-label="Kind" @submit=${this.#changeKind}>
      <h3>Kind</h3>
      <div class="field">
        <label for="kind">New kind</label>
        <select
          id="kind"
          name="kind"
          @change=${(event: Event) => (this.targetKind = (event.target as HTMLSelectElement).value as FieldKindName)}
        >
          ${NEW_FIELD_KINDS.map((choice) => html`<option value=${choice.kind} ?selected=${choice.kind === kind}>${choice.label}</option>`)}
        </select>
      </div>
      ${
        isPicklist && field['x-kind'] !== kind
          ? html`<div class="field">
              <label for="kind-values">Values, separated by commas</label>
              <input id="kind-values" name="values" />
            </div>`
          : nothing
      }
      ${
        kind === 'relation' && field['x-kind'] !== 'relation'
          ? html`<div class="field">
              <label for="kind-target">Links to</label>
              <select id="kind-target" name="target">
                ${this.modules.map((module) => html`<option value=${module.name}>${module.label.plural}</option>`)}
              </select>
            </div>`
          : nothing
      }
      <div class="row">
        <div class="field">
          <label for="decimal-mark">Decimal mark in stored text</label>
          <select id="decimal-mark" name="decimalMark">
            <option value=".">Point (1,234.56)</option>
            <option value=",">Comma (1.234,56)</option>
          </select>
        </div>
        <div class="field">
          <label for="date-order">Date order in stored text</label>
          <select id="date-order" name="dateOrder">
            <option value="YMD">Year, month, day</option>
            <option value="DMY">Day, month, year</option>
            <option value="MDY">Month, day, year</option>
          </select>
        </div>
      </div>
      <div class="check">
        <input id="clear-failing" name="clear" type="checkbox" />
        <label for="clear-failing"
          >Clear values that cannot be converted, keep a copy of the originals</label
        >
      </div>
      <div><button type="submit">Change kind</button></div>
    </form>`
  }

  #renderApiName() {
    return html`<form aria-label="API name" @submit=${this.#rename}>
      <h3>API name</h3>
      <p class="muted">
        Integrations, CSV mappings and saved links use it; they must change with it.
      </p>
      <div class="row">
        <div class="field">
          <label for="api-name">New API name</label>
          <input
            id="api-name"
            name="newName"
            pattern="[a-z][a-z0-9_]*"
            maxlength="63"
            .value=${this.name}
          />
        </div>
        <div><button type="submit">Rename API name</button></div>
      </div>
    </form>`
  }

  #renderPicklist(field: FieldDefinition) {
    if (field['x-kind'] !== 'picklist' && field['x-kind'] !== 'multi-picklist') return nothing

    return html`<div class="part">
      <crm-layout-picklist .field=${field} .name=${this.name}></crm-layout-picklist>
    </div>`
  }

  #renderArchive() {
    return html`<div class="part">
      <h3>Archive</h3>
      <p class="muted">The field leaves every form; its values stay and it can be restored.</p>
      <div>
        <button
          type="button"
          class="danger"
          @click=${() => this.#emit({ op: 'archiveField', field: this.name })}
        >
          Archive field
        </button>
      </div>
    </div>`
  }

  #renderArchived(field: FieldDefinition) {
    const blocks = this.definition!.layout.blocks
    const restoreTo = field['x-restore']?.block

    return html`<form aria-label="Restore" @submit=${this.#restore}>
        <h3>Archived</h3>
        <p>The values are kept. Restore the field to show it in forms again.</p>
        <div class="field">
          <label for="restore-block">Restore into block</label>
          <select id="restore-block" name="block">
            ${blocks.map((block) => html`<option value=${block.id} ?selected=${block.id === restoreTo}>${block.label}</option>`)}
          </select>
        </div>
        <div><button class="primary" type="submit">Restore field</button></div>
      </form>
      <form aria-label="Purge" @submit=${this.#purge}>
        <h3>Purge</h3>
        <p>
          Purging deletes the column and every stored value of ${field.title}. It cannot be undone.
        </p>
        <div class="check">
          <input
            id="purge-confirm"
            type="checkbox"
            .checked=${this.purgeConfirmed}
            @change=${(event: Event) => (this.purgeConfirmed = (event.target as HTMLInputElement).checked)}
          />
          <label for="purge-confirm">Yes, delete ${field.title} and all its values for good</label>
        </div>
        <div>
          <button class="danger" type="submit" ?disabled=${!this.purgeConfirmed}>
            Purge field
          </button>
        </div>
      </form>`
  }

  #field(): FieldDefinition | undefined {
    return this.definition?.record.properties[this.name]
  }

  #emit(operation: ChangeOperation): void {
    const detail: LayoutOperationDetail = { operation }
    this.dispatchEvent(new CustomEvent('crm-layout-operation', { detail }))
  }

  #close = () => {
    this.dispatchEvent(new CustomEvent('crm-field-select', { detail: { field: undefined } }))
  }

  /** Sends only what differs from the draft; a cleared value becomes null, which removes the property. */
  #saveProperties = (event: SubmitEvent) => {
    event.preventDefault()
    const field = this.#field()!
    const data = new FormData(event.target as HTMLFormElement)
    const next: Record<string, unknown> = {
      title: String(data.get('title') ?? '').trim() || field.title,
      description: String(data.get('description') ?? '').trim() || null,
    }
    if (!isGenerated(field)) next.readOnly = data.get('readOnly') !== null || null
    if (!isReadOnly({ ...field, readOnly: false })) next.default = this.defaultValue ?? null
    if (data.has('maxLength')) next.maxLength = toInteger(data.get('maxLength'))
    if (data.has('x-scale')) next['x-scale'] = toInteger(data.get('x-scale'))
    for (const [key] of SHOWN_IN) next[key] = data.get(key) !== null || null
    const properties = Object.fromEntries(
      Object.entries(next).filter(
        ([key, value]) =>
          JSON.stringify(value ?? null) !==
          JSON.stringify((field as unknown as Record<string, unknown>)[key] ?? null),
      ),
    )
    if (Object.keys(properties).length === 0) return
    this.#emit({ op: 'updateField', field: this.name, properties })
  }

  #moveToBlock = (event: SubmitEvent) => {
    event.preventDefault()
    const block = String(new FormData(event.target as HTMLFormElement).get('block'))
    this.#emit({ op: 'moveField', field: this.name, block })
  }

  #askGaps = async () => {
    // An unticked checkbox is a value too: a boolean fills its gaps with "No" unless ticked.
    if (this.#field()?.['x-kind'] === 'boolean') this.backfill ??= false
    this.gapState = { loading: true }
    try {
      this.gapState = { gaps: (await this.countGaps?.(this.name)) ?? 0 }
    } catch (error) {
      this.gapState = { problem: `The records could not be counted: ${messageOf(error)}.` }
    }
  }

  #makeRequired = (event: SubmitEvent) => {
    event.preventDefault()
    const choice = new FormData(event.target as HTMLFormElement).get('gaps')
    const operation: ChangeOperation = { op: 'setRequired', field: this.name, required: true }
    if (choice === 'keep') operation.keepGaps = true
    else if (choice === 'fill') operation.backfill = this.backfill ?? null
    this.gapState = undefined
    this.#emit(operation)
  }

  #changeKind = (event: SubmitEvent) => {
    event.preventDefault()
    const field = this.#field()!
    const data = new FormData(event.target as HTMLFormElement)
    const kind = String(data.get('kind')) as FieldKindName
    const properties = kindProperties(kind, data)
    const operation: ChangeOperation = {
      op: 'changeKind',
      field: this.name,
      kind,
      conversion: {
        decimalMark: data.get('decimalMark') === ',' ? ',' : '.',
        dateOrder: String(data.get('dateOrder')) as 'YMD' | 'DMY' | 'MDY',
        onFailure: data.get('clear') !== null ? 'clear' : 'refuse',
      },
    }
    if (properties) operation.properties = properties
    if (kind === field['x-kind'] && properties === undefined) return
    this.targetKind = undefined
    this.#emit(operation)
  }

  #rename = (event: SubmitEvent) => {
    event.preventDefault()
    const newName = String(new FormData(event.target as HTMLFormElement).get('newName')).trim()
    if (newName === '' || newName === this.name) return
    this.#emit({ op: 'renameField', field: this.name, newName })
    this.dispatchEvent(new CustomEvent('crm-field-select', { detail: { field: newName } }))
  }

  #restore = (event: SubmitEvent) => {
    event.preventDefault()
    const block = String(new FormData(event.target as HTMLFormElement).get('block'))
    this.#emit({ op: 'restoreField', field: this.name, block })
  }

  #purge = (event: SubmitEvent) => {
    event.preventDefault()
    if (!this.purgeConfirmed) return
    this.#emit({ op: 'purgeField', field: this.name })
    this.#close()
  }
}

function isGenerated(field: FieldDefinition): boolean {
  return field['x-kind'] === 'auto-number' || field['x-kind'] === 'computed'
}

function toInteger(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? '').trim()

  return text === '' ? null : Math.trunc(Number(text))
}

/** The extra keywords a new kind needs: picklist values or the module a relation points to. */
function kindProperties(kind: FieldKindName, data: FormData): Partial<FieldDefinition> | undefined {
  const values = parsePicklistValues(String(data.get('values') ?? ''))
  if (kind === 'picklist' && data.has('values')) return { enum: values }
  if (kind === 'multi-picklist' && data.has('values')) {
    return { items: { type: 'string', enum: values }, uniqueItems: true }
  }
  if (kind === 'relation' && data.has('target')) {
    return { 'x-relation': { module: String(data.get('target')) } }
  }

  return undefined
}

customElements.define('crm-layout-field-panel', CrmLayoutFieldPanel)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-field-panel': CrmLayoutFieldPanel
  }
}

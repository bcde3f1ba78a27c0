import { html, LitElement, nothing } from 'lit'
import type { ChangeOperation } from '../../engine/core/definition/change-operations.ts'
import type {
  FieldDefinition,
  FieldKindName,
  ModuleDefinition,
} from '../../engine/core/definition/types.ts'
import type { ModuleSummary } from '../api-client.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { LayoutOperationDetail } from './crm-layout-canvas.ts'
import { layoutFieldPanelStyles } from './layout-field-panel-styles.ts'
import { readKindChange, readPropertyChanges } from './read-field-panel-forms.ts'
import { renderArchivedField } from './render-archived-field.ts'
import { renderPropertiesForm } from './render-field-properties.ts'
import { renderKindForm } from './render-kind-form.ts'
import { renderMandatoryPart, type GapState } from './render-mandatory-part.ts'
import './crm-layout-picklist.ts'

/**
 * The property panel of one field in the Layout Editor: label, help text,
 * default, length or decimals, read-only, where it is shown, its block,
 * mandatory (with the number of records that lack a value), its kind, its
 * API name, picklist values, archive, and for archived fields restore and
 * purge. Fires `crm-layout-operation` and `crm-field-select` (to close or
 * to follow a renamed field).
 *
 * The larger forms render from render-field-properties.ts,
 * render-mandatory-part.ts, render-kind-form.ts and render-archived-field.ts
 * into this element's shadow root; read-field-panel-forms.ts turns what was
 * entered into operations.
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

  static override styles = [sharedStyles, layoutFieldPanelStyles]

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
    return renderPropertiesForm(field, this.defaultValue, {
      submit: this.#saveProperties,
      changeDefault: (value) => (this.defaultValue = value),
    })
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
    const definition = this.definition!
    const state = {
      definition,
      isRequired: (definition.record.required ?? []).includes(this.name),
      gapState: this.gapState,
      backfill: this.backfill,
    }

    return renderMandatoryPart(field, state, {
      makeOptional: () => this.#emit({ op: 'setRequired', field: this.name, required: false }),
      askGaps: this.#askGaps,
      makeRequired: this.#makeRequired,
      changeBackfill: (value) => (this.backfill = value),
      cancel: () => (this.gapState = undefined),
    })
  }

  #renderKind(field: FieldDefinition) {
    return renderKindForm(field, this.targetKind, this.modules, {
      submit: this.#changeKind,
      chooseKind: (kind) => (this.targetKind = kind),
    })
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
    return renderArchivedField(this.definition!, field, this.purgeConfirmed, {
      restore: this.#restore,
      purge: this.#purge,
      confirmPurge: (confirmed) => (this.purgeConfirmed = confirmed),
    })
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

  #saveProperties = (event: SubmitEvent) => {
    event.preventDefault()
    const data = new FormData(event.target as HTMLFormElement)
    const properties = readPropertyChanges(this.#field()!, data, this.defaultValue)
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
    const data = new FormData(event.target as HTMLFormElement)
    const operation = readKindChange(this.name, this.#field()!, data)
    if (operation === undefined) return
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

customElements.define('crm-layout-field-panel', CrmLayoutFieldPanel)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-field-panel': CrmLayoutFieldPanel
  }
}

import { css, html, LitElement, nothing } from 'lit'
import type { ChangeOperation } from '../../engine/core/definition/change-operations.ts'
import type { FieldKindName, ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { ModuleSummary } from '../api-client.ts'
import {
  deriveFieldName,
  NEW_FIELD_KINDS,
  parsePicklistValues,
} from '../create-field-definition.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { LayoutOperationDetail } from './crm-layout-canvas.ts'

/**
 * The Layout Editor's "add" forms: a field (any kind, into a block), a
 * block, and a relation (a link field to one record of another module, or
 * a many-to-many relation). Names are derived from the labels here so later
 * edits in the same draft can refer to them. Fires `crm-layout-operation`
 * and, after a field is added, `crm-field-select` with its name.
 */
export class CrmLayoutAdd extends LitElement {
  static override properties = {
    definition: { attribute: false },
    modules: { attribute: false },
    kind: { state: true },
    label: { state: true },
    relationKind: { state: true },
    errors: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      details {
        background: var(--crm-surface);
        border: 1px solid var(--crm-border);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
        margin-bottom: 0.5rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        min-height: 2rem;
        display: flex;
        align-items: center;
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.6rem 1rem;
        align-items: end;
        padding: 0.5rem 0;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.5rem;
      }
      .error {
        margin: 0;
        font-size: 0.9rem;
      }
      fieldset {
        grid-column: 1 / -1;
        border: 1px solid var(--crm-border);
        border-radius: 6px;
      }
    `,
  ]

  /** The draft definition: new names must not clash with it. */
  declare definition: ModuleDefinition | undefined
  /** The modules a relation may point to. */
  declare modules: ModuleSummary[]
  declare kind: FieldKindName
  declare label: string
  declare relationKind: 'field' | 'many'
  declare errors: Record<string, string>

  constructor() {
    super()
    this.modules = []
    this.kind = 'text'
    this.label = ''
    this.relationKind = 'field'
    this.errors = {}
  }

  override render() {
    if (this.definition === undefined) return nothing

    return html`${this.#renderAddField(this.definition)} ${this.#renderAddBlock()}
    ${this.#renderAddRelation()}`
  }

  #renderAddField(definition: ModuleDefinition) {
    const errors = this.errors
    const needsValues = this.kind === 'picklist' || this.kind === 'multi-picklist'
    const suggested = deriveFieldName(this.label, Object.keys(definition.record.properties))

    return html`<details>
      <summary>Add field</summary>
      <form novalidate aria-label="Add field" @submit=${this.#addField}>
        <div class="field">
          <label for="field-label">Label</label>
          <input
            id="field-label"
            name="label"
            maxlength="200"
            aria-invalid=${errors.label ? 'true' : 'false'}
            aria-describedby=${errors.label ? 'field-label-error' : nothing}
            @input=${(event: InputEvent) => (this.label = (event.target as HTMLInputElement).value)}
          />
          ${errors.label ? html`<p id="field-label-error" class="error">${errors.label}</p>` : nothing}
        </div>
        <div class="field">
          <label for="field-name">API name</label>
          <input id="field-name" name="name" maxlength="63" placeholder=${suggested} />
        </div>
        <div class="field">
          <label for="field-kind">Kind</label>
          <select
            id="field-kind"
            name="kind"
            @change=${(event: Event) => (this.kind = (event.target as HTMLSelectElement).value as FieldKindName)}
          >
            ${NEW_FIELD_KINDS.map((choice) => html`<option value=${choice.kind} ?selected=${choice.kind === this.kind}>${choice.label}</option>`)}
          </select>
        </div>
        ${
          needsValues
            ? html`<div class="field">
                <label for="field-values">Values, separated by commas</label>
                <input
                  id="field-values"
                  name="values"
                  placeholder="Low, Medium, High"
                  aria-invalid=${errors.values ? 'true' : 'false'}
                />
                ${errors.values ? html`<p class="error">${errors.values}</p>` : nothing}
              </div>`
            : nothing
        }
        ${this.kind === 'relation' ? this.#renderTarget('field-target') : nothing}
        <div class="field">
          <label for="field-block">Block</label>
          <select id="field-block" name="block">
            ${definition.layout.blocks.map((block) => html`<option value=${block.id}>${block.label}</option>`)}
          </select>
        </div>
        <div class="check">
          <input id="field-list" name="list" type="checkbox" />
          <label for="field-list">Show as a list column</label>
        </div>
        <div><button class="primary" type="submit">Add the field</button></div>
      </form>
    </details>`
  }

  #renderAddBlock() {
    return html`<details>
      <summary>Add block</summary>
      <form aria-label="Add block" @submit=${this.#addBlock}>
        <div class="field">
          <label for="block-label">Block label</label>
          <input id="block-label" name="label" required maxlength="200" />
        </div>
        <div class="field">
          <label for="block-columns">Columns</label>
          <select id="block-columns" name="columns">
            <option value="1">1</option>
            <option value="2" selected>2</option>
            <option value="3">3</option>
          </select>
        </div>
        <div><button class="primary" type="submit">Add the block</button></div>
      </form>
    </details>`
  }

  #renderAddRelation() {
    const singular = this.definition!.label.singular.toLowerCase()

    return html`<details>
      <summary>Add relation</summary>
      <form aria-label="Add relation" @submit=${this.#addRelation}>
        <fieldset>
          <legend>Kind of relation</legend>
          <div class="check">
            <input
              id="relation-field"
              type="radio"
              name="relationKind"
              value="field"
              ?checked=${this.relationKind === 'field'}
              @change=${() => (this.relationKind = 'field')}
            />
            <label for="relation-field">A link field: each ${singular} points to one record</label>
          </div>
          <div class="check">
            <input
              id="relation-many"
              type="radio"
              name="relationKind"
              value="many"
              ?checked=${this.relationKind === 'many'}
              @change=${() => (this.relationKind = 'many')}
            />
            <label for="relation-many">Many-to-many: a related list on both sides</label>
          </div>
        </fieldset>
        ${this.#renderTarget('relation-target')}
        <div class="field">
          <label for="relation-label">Relation label</label>
          <input id="relation-label" name="label" required maxlength="200" />
        </div>
        ${
          this.relationKind === 'many'
            ? html`<div class="field">
                <label for="relation-inverse">Label on the other side</label>
                <input id="relation-inverse" name="inverseLabel" maxlength="200" />
              </div>`
            : nothing
        }
        <div><button class="primary" type="submit">Add the relation</button></div>
      </form>
    </details>`
  }

  #renderTarget(id: string) {
    return html`<div class="field">
      <label for=${id}>Links to</label>
      <select id=${id} name="target">
        ${this.modules.map((module) => html`<option value=${module.name}>${module.label.plural}</option>`)}
      </select>
    </div>`
  }

  #emit(operation: ChangeOperation): void {
    const detail: LayoutOperationDetail = { operation }
    this.dispatchEvent(new CustomEvent('crm-layout-operation', { detail }))
  }

  #addField = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const data = new FormData(form)
    const label = String(data.get('label') ?? '').trim()
    const values = parsePicklistValues(String(data.get('values') ?? ''))
    const errors: Record<string, string> = {}
    if (label === '') errors.label = 'Enter the label people will see, for example “Budget”.'
    if ((this.kind === 'picklist' || this.kind === 'multi-picklist') && values.length === 0) {
      errors.values = 'Enter at least one value, separated by commas.'
    }
    this.errors = errors
    if (Object.keys(errors).length > 0) {
      await this.updateComplete
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    const taken = Object.keys(this.definition!.record.properties)
    const name = String(data.get('name') ?? '').trim() || deriveFieldName(label, taken)
    const operation: ChangeOperation = {
      op: 'addField',
      label,
      kind: this.kind,
      name,
      block: String(data.get('block')),
      properties: newFieldProperties(this.kind, values, String(data.get('target') ?? '')),
    }
    if (data.get('list') !== null) operation.properties!['x-list'] = true
    this.#emit(operation)
    form.reset()
    this.label = ''
    this.kind = 'text'
    this.dispatchEvent(new CustomEvent('crm-field-select', { detail: { field: name } }))
  }

  #addBlock = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const data = new FormData(form)
    const label = String(data.get('label') ?? '').trim()
    if (label === '') return
    const taken = this.definition!.layout.blocks.map((block) => block.id)
    const id = machineName(label, taken)
    const columns = Number(data.get('columns')) as 1 | 2 | 3
    this.#emit({ op: 'addBlock', label, id, columns })
    form.reset()
  }

  #addRelation = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const data = new FormData(form)
    const label = String(data.get('label') ?? '').trim()
    const module = String(data.get('target'))
    if (label === '') return
    if (this.relationKind === 'field') {
      const name = deriveFieldName(label, Object.keys(this.definition!.record.properties))
      const properties = { 'x-relation': { module } }
      this.#emit({ op: 'addField', label, kind: 'relation', name, properties })
    } else {
      const taken = (this.definition!.relations ?? []).map((relation) => relation.name)
      const inverseLabel = String(data.get('inverseLabel') ?? '').trim()
      const operation: ChangeOperation = {
        op: 'addRelation',
        module,
        label,
        name: machineName(label, taken),
      }
      if (inverseLabel) operation.inverseLabel = inverseLabel
      this.#emit(operation)
    }
    form.reset()
    this.relationKind = 'field'
  }
}

/** A block id or relation name: lower snake case starting with a letter, unique among `taken`. */
function machineName(label: string, taken: string[]): string {
  const name = deriveFieldName(label, taken, '')

  return /^[a-z]/.test(name) ? name : deriveFieldName(label, taken, 'x_')
}

function newFieldProperties(kind: FieldKindName, values: string[], target: string) {
  if (kind === 'picklist') return { enum: values }
  if (kind === 'multi-picklist') {
    return { items: { type: 'string' as const, enum: values }, uniqueItems: true }
  }
  if (kind === 'relation') return { 'x-relation': { module: target } }

  return {}
}

customElements.define('crm-layout-add', CrmLayoutAdd)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-add': CrmLayoutAdd
  }
}

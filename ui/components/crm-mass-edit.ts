import { css, html, LitElement, nothing } from 'lit'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { Issue, LiveModule } from '../api-client.ts'
import { isReadOnly, visibleFields } from '../field-values.ts'
import { fieldOfIssue, messageFor } from '../issue-field.ts'
import { checkRecord, preloadRecordValidator, recordAfterWrite } from '../record-validation.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

/**
 * The mass edit form: one input per field the definition marks `x-mass-edit`.
 * Only the fields the person changed are sent: Apply checks them by the
 * server's rules in the browser (with `live`), shows a problem beside its
 * field, and otherwise fires `crm-mass-apply` with `detail.values`; Cancel
 * fires `crm-mass-cancel`.
 */
export class CrmMassEdit extends LitElement {
  static override properties = {
    definition: { attribute: false },
    live: { attribute: false },
    count: { type: Number },
    busy: { type: Boolean },
    values: { state: true },
    labels: { state: true },
    issues: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        gap: 0.75rem;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: 0.75rem;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
      }
    `,
  ]

  declare definition: ModuleDefinition | undefined
  /** The live module, for its validator; without it the server alone checks. */
  declare live: LiveModule | undefined
  declare issues: Issue[]
  /** How many records are selected, for the heading. */
  declare count: number
  declare busy: boolean
  declare values: Record<string, unknown>
  declare labels: Record<string, string>

  constructor() {
    super()
    this.count = 0
    this.busy = false
    this.values = {}
    this.labels = {}
    this.issues = []
  }

  override connectedCallback(): void {
    super.connectedCallback()
    preloadRecordValidator(this.live)
  }

  override render() {
    const definition = this.definition
    if (definition === undefined) return nothing
    const fields = visibleFields(definition).filter(
      ([, field]) => field['x-mass-edit'] === true && !isReadOnly(field),
    )
    const changed = Object.keys(this.values).length

    return html`<form class="panel" aria-label="Edit selected" @submit=${this.#apply}>
      <h2>Edit ${this.count} selected</h2>
      <p class="muted">Only the fields you change are set on every selected record.</p>
      <div class="fields">
        ${fields.map(
          ([name, field]) =>
            html`<crm-field-input
              data-field=${name}
              .name=${name}
              .field=${field}
              .value=${this.values[name] ?? null}
              .valueLabel=${this.labels[name]}
              .error=${messageFor(this.issues, name)}
              @crm-field-change=${this.#change}
            ></crm-field-input>`,
        )}
      </div>
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${changed === 0 || this.busy}>
          Apply to ${this.count} selected
        </button>
        <button
          type="button"
          @click=${() => this.dispatchEvent(new CustomEvent('crm-mass-cancel'))}
        >
          Cancel
        </button>
      </div>
    </form>`
  }

  #change = (event: CustomEvent<FieldChangeDetail>) => {
    const { name, value, label } = event.detail
    this.values = { ...this.values, [name]: value }
    this.issues = this.issues.filter((issue) => fieldOfIssue(issue) !== name)
    if (label !== undefined) this.labels = { ...this.labels, [name]: label }
  }

  #apply = async (event: SubmitEvent) => {
    event.preventDefault()
    if (this.live !== undefined) {
      // Each record keeps its other values, so only the changed fields are judged, as if every
      // other field were empty (a required field cleared here is refused for every record).
      const changed = Object.keys(this.values)
      this.issues = await checkRecord(this.live, recordAfterWrite(this.live.definition, this.values, {}), changed)
      if (this.issues.length > 0) {
        await this.updateComplete
        const invalid = new Set(this.issues.map(fieldOfIssue))
        const inputs = [...this.renderRoot.querySelectorAll<HTMLElement>('crm-field-input')]
        inputs.find((input) => invalid.has(input.dataset.field))?.focus()

        return
      }
    }
    this.dispatchEvent(new CustomEvent('crm-mass-apply', { detail: { values: this.values } }))
  }
}

customElements.define('crm-mass-edit', CrmMassEdit)

declare global {
  interface HTMLElementTagNameMap {
    'crm-mass-edit': CrmMassEdit
  }
}

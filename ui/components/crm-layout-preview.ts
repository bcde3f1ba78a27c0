import { css, html, LitElement, nothing } from 'lit'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import { isReadOnly } from '../field-values.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

/**
 * A preview of the create form the definition generates, with the same
 * inputs as the real form: blocks in order, mandatory marks, defaults and
 * help texts. Values typed here are never sent anywhere.
 */
export class CrmLayoutPreview extends LitElement {
  static override properties = {
    definition: { attribute: false },
    values: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(var(--columns, 2), minmax(0, 1fr));
        gap: 1rem 1.5rem;
      }
      .frame {
        border: 2px dashed var(--crm-border);
        border-radius: 10px;
        padding: 1rem;
        background: #f4f6f9;
      }
      @media (max-width: 40rem) {
        .grid {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ]

  /** The definition whose form is shown, usually the editor's draft. */
  declare definition: ModuleDefinition | undefined
  declare values: Record<string, unknown>

  constructor() {
    super()
    this.values = {}
  }

  override render() {
    const definition = this.definition
    if (definition === undefined) return nothing
    const required = new Set(definition.record.required ?? [])

    return html`<div class="frame" role="region" aria-label="Form preview">
      <h2>New ${definition.label.singular}</h2>
      <p class="muted">A preview with your pending changes; nothing typed here is saved.</p>
      ${definition.layout.blocks.map((block) => {
        const fields = block.fields.filter((name) => {
          const field = definition.record.properties[name]
          return field !== undefined && !field['x-archived'] && !isReadOnly(field)
        })
        if (fields.length === 0) return nothing

        return html`<section class="panel" aria-label=${block.label}>
          <h3>${block.label}</h3>
          <div class="grid" style="--columns: ${block.columns ?? 2}">
            ${fields.map((name) => {
              const field = definition.record.properties[name]

              return html`<crm-field-input
                data-field=${name}
                .name=${name}
                .field=${field}
                .value=${name in this.values ? this.values[name] : (field.default ?? null)}
                ?required=${required.has(name)}
                @crm-field-change=${this.#change}
              ></crm-field-input>`
            })}
          </div>
        </section>`
      })}
    </div>`
  }

  #change = (event: CustomEvent<FieldChangeDetail>) => {
    this.values = { ...this.values, [event.detail.name]: event.detail.value }
  }
}

customElements.define('crm-layout-preview', CrmLayoutPreview)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-preview': CrmLayoutPreview
  }
}

import { html, nothing } from 'lit'
import type { FieldDefinition } from '../../engine/core/definition/types.ts'
import { isReadOnly } from '../field-values.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import { isGenerated, SCALED_KINDS, SHOWN_IN, TEXT_KINDS } from './read-field-panel-forms.ts'
import './crm-field-input.ts'

export interface PropertiesFormActions {
  submit(event: SubmitEvent): void
  changeDefault(value: unknown): void
}

/**
 * The Properties form of a field: label, help text, default value, and the
 * editors its kind has (maximum length for text kinds, decimal places for
 * numbers), read-only and where the field is shown besides the form.
 */
export function renderPropertiesForm(
  field: FieldDefinition,
  defaultValue: unknown,
  actions: PropertiesFormActions,
) {
  const kind = field['x-kind']
  // Numbers and computed values are read-only by nature; the checkbox would only confuse.
  const generated = isGenerated(field)

  return html`<form aria-label="Properties" @submit=${actions.submit}>
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
            .value=${defaultValue}
            @crm-field-change=${(event: CustomEvent<FieldChangeDetail>) =>
              actions.changeDefault(event.detail.value)}
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

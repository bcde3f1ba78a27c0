import { html, nothing } from 'lit'
import type { FieldDefinition, FieldKindName } from '../../engine/core/definition/types.ts'
import type { ModuleSummary } from '../api-client.ts'
import { NEW_FIELD_KINDS } from '../create-field-definition.ts'

export interface KindFormActions {
  submit(event: SubmitEvent): void
  /** The kind chosen in the select, before the form is sent: it decides the extra inputs. */
  chooseKind(kind: FieldKindName): void
}

/**
 * The Kind form of a field: the new kind, what a picklist or relation needs
 * besides, how stored text converts, and whether values that do not convert
 * are cleared. Generated fields (auto-number, computed) have none.
 */
export function renderKindForm(
  field: FieldDefinition,
  targetKind: FieldKindName | undefined,
  modules: ModuleSummary[],
  actions: KindFormActions,
) {
  const kind = targetKind ?? field['x-kind']
  const isPicklist = kind === 'picklist' || kind === 'multi-picklist'
  if (field['x-kind'] === 'auto-number' || field['x-kind'] === 'computed') return nothing

  return html`<form aria-label="Kind" @submit=${actions.submit}>
    <h3>Kind</h3>
    <div class="field">
      <label for="kind">New kind</label>
      <select
        id="kind"
        name="kind"
        @change=${(event: Event) => actions.chooseKind((event.target as HTMLSelectElement).value as FieldKindName)}
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
              ${modules.map((module) => html`<option value=${module.name}>${module.label.plural}</option>`)}
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

import { html } from 'lit'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

/** Counting the records that lack a value before a field becomes mandatory. */
export type GapState = { loading: true } | { gaps: number } | { problem: string }

/** What the Mandatory part shows besides the field. */
export interface MandatoryPartState {
  definition: ModuleDefinition
  isRequired: boolean
  /** Undefined until "Make mandatory…" asks for the count. */
  gapState: GapState | undefined
  /** The value that fills the gaps when the field becomes mandatory. */
  backfill: unknown
}

export interface MandatoryPartActions {
  makeOptional(): void
  askGaps(): void
  makeRequired(event: SubmitEvent): void
  changeBackfill(value: unknown): void
  cancel(): void
}

/**
 * Whether a field is mandatory. Making it mandatory first counts the records
 * without a value, then asks whether to fill them with a value or leave them
 * empty.
 */
export function renderMandatoryPart(
  field: FieldDefinition,
  state: MandatoryPartState,
  actions: MandatoryPartActions,
) {
  if (state.isRequired) {
    return html`<div class="part">
      <h3>Mandatory</h3>
      <p>Every ${state.definition.label.singular.toLowerCase()} must have a ${field.title}.</p>
      <div>
        <button type="button" @click=${actions.makeOptional}>
          Make optional
        </button>
      </div>
    </div>`
  }
  const gapState = state.gapState

  return html`<div class="part">
    <h3>Mandatory</h3>
    ${
      gapState === undefined
        ? html`<p class="muted">Optional now.</p>
            <div><button type="button" @click=${actions.askGaps}>Make mandatory…</button></div>`
        : 'loading' in gapState
          ? html`<p role="status">Counting the records without a ${field.title}…</p>`
          : 'problem' in gapState
            ? html`<p class="error" role="alert">${gapState.problem}</p>`
            : renderGapChoice(field, gapState.gaps, state, actions)
    }
  </div>`
}

function renderGapChoice(
  field: FieldDefinition,
  gaps: number,
  state: MandatoryPartState,
  actions: MandatoryPartActions,
) {
  const plural = state.definition.label.plural.toLowerCase()
  if (gaps === 0) {
    return html`<form aria-label="Mandatory" @submit=${actions.makeRequired}>
      <p role="status">No existing ${plural} lack a ${field.title}.</p>
      <div><button class="primary" type="submit">Make mandatory</button></div>
    </form>`
  }

  return html`<form aria-label="Mandatory" @submit=${actions.makeRequired}>
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
        .value=${state.backfill ?? null}
        @crm-field-change=${(event: CustomEvent<FieldChangeDetail>) => actions.changeBackfill(event.detail.value)}
      ></crm-field-input>
      <div class="check">
        <input id="gaps-keep" type="radio" name="gaps" value="keep" />
        <label for="gaps-keep">Leave existing records empty</label>
      </div>
    </fieldset>
    <div class="row">
      <div><button class="primary" type="submit">Make mandatory</button></div>
      <div><button type="button" @click=${actions.cancel}>Cancel</button></div>
    </div>
  </form>`
}

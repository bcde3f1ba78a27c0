import { html } from 'lit'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'

export interface ArchivedFieldActions {
  restore(event: SubmitEvent): void
  purge(event: SubmitEvent): void
  confirmPurge(confirmed: boolean): void
}

/**
 * What an archived field offers: restoring it into a block (the one it left
 * is preselected), or purging it, which only a ticked confirmation enables.
 */
export function renderArchivedField(
  definition: ModuleDefinition,
  field: FieldDefinition,
  purgeConfirmed: boolean,
  actions: ArchivedFieldActions,
) {
  const blocks = definition.layout.blocks
  const restoreTo = field['x-restore']?.block

  return html`<form aria-label="Restore" @submit=${actions.restore}>
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
    <form aria-label="Purge" @submit=${actions.purge}>
      <h3>Purge</h3>
      <p>
        Purging deletes the column and every stored value of ${field.title}. It cannot be undone.
      </p>
      <div class="check">
        <input
          id="purge-confirm"
          type="checkbox"
          .checked=${purgeConfirmed}
          @change=${(event: Event) => actions.confirmPurge((event.target as HTMLInputElement).checked)}
        />
        <label for="purge-confirm">Yes, delete ${field.title} and all its values for good</label>
      </div>
      <div>
        <button class="danger" type="submit" ?disabled=${!purgeConfirmed}>
          Purge field
        </button>
      </div>
    </form>`
}

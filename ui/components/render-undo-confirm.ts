import { css, html } from 'lit'

/** What the undo confirmation needs from the screen that shows it. */
export interface UndoConfirmActions {
  /** Says which import is undone, for example “old-crm.csv (import 3)”. */
  name: string
  busy: boolean
  confirm(): void
  cancel(): void
}

/**
 * The question asked before an import is undone: an undo moves every record
 * the import created to the recycle bin and puts back what it changed, so
 * one click on a button next to others must not do it.
 */
export function renderUndoConfirm({ name, busy, confirm, cancel }: UndoConfirmActions) {
  return html`<div class="confirm" role="group" aria-label="Confirm undoing ${name}">
    <span
      >Undo ${name}? The records it created move to the recycle bin, the records it updated get
      their previous values back.</span
    >
    <button class="danger" type="button" ?disabled=${busy} @click=${confirm}>
      Yes, undo ${name}
    </button>
    <button type="button" @click=${cancel}>Keep it</button>
  </div>`
}

/** Styles of the confirmation, for the components that show it. */
export const undoConfirmStyles = css`
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  button.danger {
    border-color: var(--crm-danger);
    color: var(--crm-danger);
  }
`

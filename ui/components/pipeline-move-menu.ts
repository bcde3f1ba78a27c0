import type { CrmRecord } from '../api-client.ts'

/** The board element as the menu sees it: the open menu's card and the rendered cards. */
export interface MenuBoard {
  /** The id of the card whose "Move to…" menu is open. */
  menuFor: number | undefined
  readonly renderRoot: HTMLElement | DocumentFragment
  readonly updateComplete: Promise<boolean>
}

/**
 * The keyboard way to move a card: its "Move to…" button opens a menu of the
 * other stages that follows the ARIA menu pattern (arrow keys, Home, End,
 * Escape back to the button, Tab or a click elsewhere closes it).
 */
export class PipelineMoveMenu {
  readonly #board: MenuBoard
  readonly #move: (record: CrmRecord, from: string, to: string) => Promise<void>

  constructor(board: MenuBoard, move: (record: CrmRecord, from: string, to: string) => Promise<void>) {
    this.#board = board
    this.#move = move
  }

  async toggle(id: number): Promise<void> {
    this.#board.menuFor = this.#board.menuFor === id ? undefined : id
    if (this.#board.menuFor === undefined) return
    await this.#board.updateComplete
    this.#items()[0]?.focus()
  }

  key(event: KeyboardEvent, id: number): void {
    const items = this.#items()
    const index = items.indexOf(this.#board.renderRoot.querySelector<HTMLButtonElement>('[role="menuitem"]:focus')!)
    const focus = (next: number) => {
      event.preventDefault()
      items[(next + items.length) % items.length]?.focus()
    }
    if (event.key === 'ArrowDown') focus(index + 1)
    else if (event.key === 'ArrowUp') focus(index - 1)
    else if (event.key === 'Home') focus(0)
    else if (event.key === 'End') focus(items.length - 1)
    else if (event.key === 'Escape') {
      event.preventDefault()
      void this.#close(id, true)
    } else if (event.key === 'Tab') {
      this.#board.menuFor = undefined
    }
  }

  focusOut(event: FocusEvent, id: number): void {
    const to = event.relatedTarget as Node | null
    if (to && (event.currentTarget as Node).contains(to)) return
    // A click on the card's own "Move to…" button closes the menu through the button.
    if (to instanceof HTMLElement && to.matches(`[data-id="${id}"] button.move`)) return
    if (this.#board.menuFor === id) this.#board.menuFor = undefined
  }

  async choose(record: CrmRecord, from: string, to: string): Promise<void> {
    this.#board.menuFor = undefined
    const moving = this.#move(record, from, to)
    // Once while the move is saved (the button is disabled, so the link), once when it is done.
    await this.#focusMoveButton(record.id)
    await moving
    await this.#focusMoveButton(record.id)
  }

  async #close(id: number, refocus: boolean): Promise<void> {
    this.#board.menuFor = undefined
    if (refocus) await this.#focusMoveButton(id)
  }

  #items(): HTMLButtonElement[] {
    return [...this.#board.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')]
  }

  /** Keyboard users stay on the card they moved, wherever it went. */
  async #focusMoveButton(id: number): Promise<void> {
    await this.#board.updateComplete
    const root = this.#board.renderRoot
    const button = root.querySelector<HTMLButtonElement>(`[data-id="${id}"] button.move`)
    if (button && !button.disabled) button.focus()
    else root.querySelector<HTMLAnchorElement>(`[data-id="${id}"] a`)?.focus()
  }
}

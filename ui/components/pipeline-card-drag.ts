import type { CrmRecord } from '../api-client.ts'

/** The state of the board that dragging a card reads and changes. */
export interface DragBoard {
  /** The column a dragged card is over, highlighted as the drop target. */
  dropStage: string | undefined
  /** The id of the card whose "Move to…" menu is open; a drag closes it. */
  menuFor: number | undefined
}

/** What dragging needs the board to do. */
export interface DragActions {
  /** Whether this card may be dragged now: the user may move cards and its last move is saved. */
  mayDrag(record: CrmRecord): boolean
  /** The text a drop outside the board receives. */
  titleOf(record: CrmRecord): string
  recordIn(stage: string, id: number): CrmRecord | undefined
  move(record: CrmRecord, from: string, to: string): void
}

/**
 * Moving a card by drag and drop: the card's `dragstart` and `dragend`, and
 * each column's `dragover`, `dragleave` and `drop`. Only another column than
 * the card's own accepts the drop.
 */
export class PipelineCardDrag {
  #dragging: { id: number; from: string } | undefined
  readonly #board: DragBoard
  readonly #actions: DragActions

  constructor(board: DragBoard, actions: DragActions) {
    this.#board = board
    this.#actions = actions
  }

  start(event: DragEvent, record: CrmRecord, from: string): void {
    if (!this.#actions.mayDrag(record)) {
      event.preventDefault()
      return
    }
    this.#board.menuFor = undefined
    this.#dragging = { id: record.id, from }
    event.dataTransfer?.setData('text/plain', this.#actions.titleOf(record))
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move'
  }

  // An arrow function, so the template hands the same listener to every card.
  end = () => {
    this.#dragging = undefined
    this.#board.dropStage = undefined
  }

  over(event: DragEvent, stage: string): void {
    if (this.#dragging === undefined || this.#dragging.from === stage) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move'
    this.#board.dropStage = stage
  }

  leave(event: DragEvent, stage: string): void {
    // Moving onto a card inside the column leaves the column element too; it stays the target.
    const to = event.relatedTarget as Node | null
    if (to && (event.currentTarget as Node).contains(to)) return
    if (this.#board.dropStage === stage) this.#board.dropStage = undefined
  }

  drop(event: DragEvent, stage: string): void {
    const dragging = this.#dragging
    this.end()
    if (dragging === undefined || dragging.from === stage) return
    event.preventDefault()
    const record = this.#actions.recordIn(dragging.from, dragging.id)
    if (record) this.#actions.move(record, dragging.from, stage)
  }
}

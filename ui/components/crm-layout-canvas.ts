import { css, html, LitElement, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { ChangeOperation } from '../../engine/core/definition/change-operations.ts'
import type { LayoutBlock, ModuleDefinition } from '../../engine/core/definition/types.ts'
import { sharedStyles } from '../shared-styles.ts'

/** `detail` of `crm-layout-operation`: one operation to queue. */
export interface LayoutOperationDetail {
  operation: ChangeOperation
}

type Dragging = { type: 'field'; name: string } | { type: 'block'; id: string }
type DropMark = { block: string; position: number } | { beforeBlock: number }

/**
 * The canvas of the Layout Editor: the blocks in order with their fields,
 * the archived and the hidden fields. Fields and blocks move by drag and
 * drop and by buttons (up, down; past the first or last field of a block
 * the field goes to the neighbouring block). Fires `crm-layout-operation`
 * with a `LayoutOperationDetail` and `crm-field-select` with `detail.field`.
 */
export class CrmLayoutCanvas extends LitElement {
  static override properties = {
    definition: { attribute: false },
    selected: {},
    renaming: { state: true },
    mark: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .block {
        padding: 0.75rem;
      }
      .block.drop-before {
        box-shadow: 0 -4px 0 var(--crm-accent);
      }
      .block-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.35rem;
        margin-bottom: 0.5rem;
      }
      .block-head h3 {
        margin: 0 auto 0 0;
        font-size: 1.05rem;
      }
      .handle {
        cursor: grab;
        color: var(--crm-muted);
        padding: 0 0.25rem;
        user-select: none;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0.25rem;
        min-height: 2.5rem;
        border: 1px dashed transparent;
        border-radius: 6px;
      }
      ol.drop-end {
        border-color: var(--crm-accent);
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.35rem;
        padding: 0.15rem 0.25rem;
        border-radius: 6px;
        border: 1px solid transparent;
      }
      li.drop-before {
        box-shadow: 0 -3px 0 var(--crm-accent);
      }
      li.selected {
        background: #e3ebf7;
        border-color: var(--crm-accent);
      }
      li.empty {
        color: var(--crm-muted);
        font-style: italic;
      }
      .pick {
        flex: 1 1 auto;
        /* On a phone the name, badges and API name wrap inside the row instead of widening the page. */
        flex-wrap: wrap;
        min-width: 0;
        justify-content: flex-start;
        border: none;
        background: none;
        min-height: 2rem;
        padding: 0.2rem 0.35rem;
        color: inherit;
        text-align: left;
      }
      .pick code {
        margin-left: auto;
        overflow-wrap: anywhere;
      }
      code {
        font-size: 0.8rem;
        color: var(--crm-muted);
      }
      .badge {
        font-size: 0.75rem;
        padding: 0 0.35rem;
        border-radius: 999px;
        background: #eef2f7;
        color: #17324f;
      }
      .icon {
        min-height: 2rem;
        min-width: 2rem;
        padding: 0.1rem 0.4rem;
        justify-content: center;
      }
      .rename {
        display: flex;
        gap: 0.35rem;
        flex: 1 1 14rem;
      }
    `,
  ]

  /** The draft definition: the live one with the queued operations applied. */
  declare definition: ModuleDefinition | undefined
  /** The name of the field whose properties are open. */
  declare selected: string | undefined
  declare renaming: string | undefined
  declare mark: DropMark | undefined

  #dragging: Dragging | undefined
  // A moved row is a new element in its new place; focus follows it there.
  #focusAfterUpdate: string | undefined

  override updated(): void {
    const selector = this.#focusAfterUpdate
    if (selector === undefined) return
    this.#focusAfterUpdate = undefined
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus()
  }

  override render() {
    const definition = this.definition
    if (definition === undefined) return nothing

    return html`
      ${repeat(
        definition.layout.blocks,
        (block) => block.id,
        (block, index) => this.#renderBlock(definition, block, index),
      )}
      ${this.#renderArchived(definition)} ${this.#renderHidden(definition)}
    `
  }

  #renderBlock(definition: ModuleDefinition, block: LayoutBlock, index: number) {
    const mark = this.mark
    const last = definition.layout.blocks.length - 1
    const isDropBefore = mark !== undefined && 'beforeBlock' in mark && mark.beforeBlock === index
    const isDropEnd =
      mark !== undefined && 'block' in mark && mark.block === block.id && mark.position === -1

    return html`<section
      class="panel block ${isDropBefore ? 'drop-before' : ''}"
      aria-label="Block ${block.label}"
      data-block=${block.id}
      @dragover=${(event: DragEvent) => this.#overBlock(event, index)}
      @drop=${(event: DragEvent) => this.#drop(event)}
    >
      <div class="block-head">
        <span
          class="handle"
          draggable="true"
          title="Drag to reorder the blocks"
          aria-hidden="true"
          @dragstart=${(event: DragEvent) => this.#start(event, { type: 'block', id: block.id })}
          @dragend=${this.#end}
          >⠿</span
        >
        ${
          this.renaming === block.id
            ? this.#renderRename(block)
            : html`<h3>${block.label}</h3>
                <span class="muted">${block.columns ?? 2} col.</span>`
        }
        <button
          class="icon"
          type="button"
          data-move="block-${block.id}-up"
          aria-label="Move block ${block.label} up"
          ?disabled=${index === 0}
          @click=${() => this.#moveBlock(block.id, index - 1, 'up')}
        >
          ↑
        </button>
        <button
          class="icon"
          type="button"
          data-move="block-${block.id}-down"
          aria-label="Move block ${block.label} down"
          ?disabled=${index === last}
          @click=${() => this.#moveBlock(block.id, index + 1, 'down')}
        >
          ↓
        </button>
        ${
          this.renaming === block.id
            ? nothing
            : html`<button type="button" @click=${() => this.#startRename(block.id)}>
                Rename<span class="visually-hidden"> block ${block.label}</span>
              </button>`
        }
        ${
          block.fields.length === 0 && definition.layout.blocks.length > 1
            ? html`<button
                type="button"
                @click=${() => this.#emit({ op: 'removeBlock', block: block.id })}
              >
                Remove<span class="visually-hidden"> block ${block.label}</span>
              </button>`
            : nothing
        }
      </div>
      <ol
        class=${isDropEnd ? 'drop-end' : ''}
        aria-label="Fields of ${block.label}"
        @dragover=${(event: DragEvent) => this.#overList(event, block.id)}
      >
        ${repeat(
          block.fields,
          (name) => name,
          (name, position) => this.#renderField(definition, block, name, position),
        )}
        ${
          block.fields.length === 0
            ? html`<li class="empty">No fields yet: drop a field here or use its move buttons.</li>`
            : nothing
        }
      </ol>
    </section>`
  }

  #renderField(definition: ModuleDefinition, block: LayoutBlock, name: string, position: number) {
    const field = definition.record.properties[name]
    if (field === undefined) return nothing
    const blocks = definition.layout.blocks
    const blockIndex = blocks.indexOf(block)
    const isFirst = position === 0 && blockIndex === 0
    const isLast = position === block.fields.length - 1 && blockIndex === blocks.length - 1
    const mark = this.mark
    const isDropBefore =
      mark !== undefined && 'block' in mark && mark.block === block.id && mark.position === position
    const required = (definition.record.required ?? []).includes(name)

    return html`<li
      class="${this.selected === name ? 'selected' : ''} ${isDropBefore ? 'drop-before' : ''}"
      draggable="true"
      data-field=${name}
      @dragstart=${(event: DragEvent) => this.#start(event, { type: 'field', name })}
      @dragend=${this.#end}
      @dragover=${(event: DragEvent) => this.#overField(event, block.id, position)}
    >
      <span class="handle" aria-hidden="true" title="Drag to move">⠿</span>
      <button
        class="pick"
        type="button"
        aria-pressed=${this.selected === name ? 'true' : 'false'}
        @click=${() => this.#select(name)}
      >
        ${field.title} ${required ? html`<span class="badge">mandatory</span>` : nothing}
        ${field['x-list'] ? html`<span class="badge">list</span>` : nothing}
        <code>${name} · ${field['x-kind']}</code>
      </button>
      <button
        class="icon"
        type="button"
        data-move="${name}-up"
        aria-label="Move ${field.title} up"
        ?disabled=${isFirst}
        @click=${() => this.#moveField(name, -1)}
      >
        ↑
      </button>
      <button
        class="icon"
        type="button"
        data-move="${name}-down"
        aria-label="Move ${field.title} down"
        ?disabled=${isLast}
        @click=${() => this.#moveField(name, 1)}
      >
        ↓
      </button>
    </li>`
  }

  #renderRename(block: LayoutBlock) {
    return html`<form class="rename" @submit=${(event: SubmitEvent) => this.#rename(event, block)}>
      <label class="visually-hidden" for="rename-${block.id}">New label of ${block.label}</label>
      <input id="rename-${block.id}" name="label" required .value=${block.label} />
      <button type="submit">Save<span class="visually-hidden"> block label</span></button>
      <button type="button" @click=${() => (this.renaming = undefined)}>Cancel</button>
    </form>`
  }

  #renderArchived(definition: ModuleDefinition) {
    const archived = Object.entries(definition.record.properties).filter(
      ([, field]) => field['x-archived'],
    )
    if (archived.length === 0) return nothing

    return html`<section class="panel block" aria-label="Archived fields">
      <h3>Archived fields</h3>
      <p class="muted">Their values are kept. Restore one to show it again, or purge it.</p>
      <ol aria-label="Archived fields">
        ${archived.map(
          ([name, field]) =>
            html`<li class=${this.selected === name ? 'selected' : ''} data-field=${name}>
              <button
                class="pick"
                type="button"
                aria-pressed=${this.selected === name ? 'true' : 'false'}
                @click=${() => this.#select(name)}
              >
                ${field.title} <code>${name} · ${field['x-kind']}</code>
              </button>
              <button type="button" @click=${() => this.#emit({ op: 'restoreField', field: name })}>
                Restore<span class="visually-hidden"> ${field.title}</span>
              </button>
            </li>`,
        )}
      </ol>
    </section>`
  }

  #renderHidden(definition: ModuleDefinition) {
    const hidden = (definition.layout.hidden ?? []).filter(
      (name) => definition.record.properties[name] !== undefined,
    )
    if (hidden.length === 0) return nothing

    return html`<section class="panel block" aria-label="Hidden fields">
      <h3>Hidden fields</h3>
      <p class="muted">Stored but in no block; drag one into a block or open it to move it.</p>
      <ol aria-label="Hidden fields">
        ${hidden.map(
          (name) =>
            html`<li
              draggable="true"
              data-field=${name}
              class=${this.selected === name ? 'selected' : ''}
              @dragstart=${(event: DragEvent) => this.#start(event, { type: 'field', name })}
              @dragend=${this.#end}
            >
              <span class="handle" aria-hidden="true">⠿</span>
              <button class="pick" type="button" @click=${() => this.#select(name)}>
                ${definition.record.properties[name].title} <code>${name}</code>
              </button>
            </li>`,
        )}
      </ol>
    </section>`
  }

  #select(name: string): void {
    this.dispatchEvent(new CustomEvent('crm-field-select', { detail: { field: name } }))
  }

  #emit(operation: ChangeOperation): void {
    const detail: LayoutOperationDetail = { operation }
    this.dispatchEvent(new CustomEvent('crm-layout-operation', { detail }))
  }

  /** One step up or down; past either end of a block the field joins the neighbouring block. */
  #moveField(name: string, step: -1 | 1): void {
    const blocks = this.definition!.layout.blocks
    const index = blocks.findIndex((block) => block.fields.includes(name))
    const block = blocks[index]
    const position = block.fields.indexOf(name) + step
    this.#focusAfterUpdate = `[data-move="${name}-${step < 0 ? 'up' : 'down'}"]`
    if (position >= 0 && position < block.fields.length) {
      this.#emit({ op: 'moveField', field: name, block: block.id, position })
    } else if (step < 0) {
      this.#emit({ op: 'moveField', field: name, block: blocks[index - 1].id })
    } else {
      this.#emit({ op: 'moveField', field: name, block: blocks[index + 1].id, position: 0 })
    }
  }

  #moveBlock(id: string, to: number, direction: 'up' | 'down'): void {
    const ids = this.definition!.layout.blocks.map((block) => block.id).filter(
      (item) => item !== id,
    )
    ids.splice(to, 0, id)
    this.#focusAfterUpdate = `[data-move="block-${id}-${direction}"]`
    this.#emit({ op: 'reorderBlocks', blocks: ids })
  }

  #startRename(id: string): void {
    this.renaming = id
    this.#focusAfterUpdate = `#rename-${id}`
  }

  #rename(event: SubmitEvent, block: LayoutBlock): void {
    event.preventDefault()
    const label = String(new FormData(event.target as HTMLFormElement).get('label') ?? '').trim()
    this.renaming = undefined
    if (label !== '' && label !== block.label) {
      this.#emit({ op: 'renameBlock', block: block.id, label })
    }
  }

  #start(event: DragEvent, dragging: Dragging): void {
    event.stopPropagation()
    this.#dragging = dragging
    const text = dragging.type === 'field' ? dragging.name : dragging.id
    event.dataTransfer?.setData('text/plain', text)
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move'
  }

  #end = () => {
    this.#dragging = undefined
    this.mark = undefined
  }

  #overField(event: DragEvent, block: string, position: number): void {
    if (this.#dragging?.type !== 'field') return
    event.preventDefault()
    event.stopPropagation()
    const row = event.currentTarget as HTMLElement
    const box = row.getBoundingClientRect()
    const after = event.clientY > box.top + box.height / 2
    const blockFields = this.definition!.layout.blocks.find((item) => item.id === block)!.fields
    const next = after ? position + 1 : position
    this.mark = next >= blockFields.length ? { block, position: -1 } : { block, position: next }
  }

  #overList(event: DragEvent, block: string): void {
    if (this.#dragging?.type !== 'field') return
    event.preventDefault()
    event.stopPropagation()
    this.mark = { block, position: -1 }
  }

  #overBlock(event: DragEvent, index: number): void {
    if (this.#dragging?.type !== 'block') return
    event.preventDefault()
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect()
    const after = event.clientY > box.top + box.height / 2
    this.mark = { beforeBlock: after ? index + 1 : index }
  }

  #drop(event: DragEvent): void {
    const dragging = this.#dragging
    const mark = this.mark
    this.#end()
    if (dragging === undefined || mark === undefined) return
    event.preventDefault()
    if (dragging.type === 'block' && 'beforeBlock' in mark)
      this.#dropBlock(dragging.id, mark.beforeBlock)
    if (dragging.type === 'field' && 'block' in mark) this.#dropField(dragging.name, mark)
  }

  #dropBlock(id: string, before: number): void {
    const blocks = this.definition!.layout.blocks
    const target = blocks[before]?.id
    const ids = blocks.map((block) => block.id).filter((item) => item !== id)
    const index = target === undefined || target === id ? ids.length : ids.indexOf(target)
    ids.splice(index, 0, id)
    if (ids.join() !== blocks.map((block) => block.id).join()) {
      this.#emit({ op: 'reorderBlocks', blocks: ids })
    }
  }

  /** The mark counts positions with the dragged field still in place; the operation counts without it. */
  #dropField(name: string, mark: { block: string; position: number }): void {
    const block = this.definition!.layout.blocks.find((item) => item.id === mark.block)!
    const current = block.fields.indexOf(name)
    const target = mark.position === -1 ? block.fields.length : mark.position
    const position = current !== -1 && current < target ? target - 1 : target
    if (current === position) return
    this.#emit({ op: 'moveField', field: name, block: block.id, position })
  }
}

customElements.define('crm-layout-canvas', CrmLayoutCanvas)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-canvas': CrmLayoutCanvas
  }
}

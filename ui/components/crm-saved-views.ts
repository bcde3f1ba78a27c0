import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { createView, deleteView, listViews, type SavedQuery, type SavedView } from '../list-api.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'

/**
 * The saved views of a list: a picker of the user's own and shared views,
 * Save view (name, shared) for what the list shows now, and Delete view for
 * one's own. Picking fires `crm-view-apply` with `detail.view`; saving or
 * deleting fires `crm-view-current` with the selected view's `detail.id`, so
 * the list can keep it in its address. `current` is the selected view's id.
 */
export class CrmSavedViews extends LitElement {
  static override properties = {
    module: {},
    query: { attribute: false },
    userId: { type: Number },
    views: { state: true },
    current: { type: Number },
    saving: { state: true },
    problem: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.5rem;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.5rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      label.check {
        display: flex;
        align-items: center;
        gap: 0.25rem;
      }
    `,
  ]

  declare module: string
  /** What the list shows now, saved by Save view. */
  declare query: SavedQuery
  declare userId: number | undefined
  declare views: SavedView[]
  declare current: number | undefined
  declare saving: boolean
  declare problem: string | undefined

  constructor() {
    super()
    this.module = ''
    this.query = {}
    this.views = []
    this.saving = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#load()
  }

  async #load(): Promise<void> {
    try {
      this.views = await listViews(this.module)
    } catch (error) {
      this.problem = `The saved views could not be loaded: ${messageOf(error)}.`
    }
  }

  override render() {
    const current = this.views.find((view) => view.id === this.current)
    const own = current !== undefined && (current.user_id === undefined || current.user_id === this.userId)

    return html`<label>
        View
        <select @change=${this.#pick}>
          <option value="" ?selected=${current === undefined}>All records</option>
          ${this.views.map(
            (view) =>
              html`<option value=${view.id} ?selected=${view.id === this.current}>
                ${view.name}${view.shared ? ' (shared)' : ''}
              </option>`,
          )}
        </select>
      </label>
      ${this.saving
        ? html`<form aria-label="Save view" @submit=${this.#save}>
            <label>View name <input name="name" required maxlength="100" /></label>
            <label class="check"><input type="checkbox" name="shared" /> Shared with everyone</label>
            <button type="submit" class="primary">Save</button>
            <button type="button" @click=${() => (this.saving = false)}>Cancel</button>
          </form>`
        : html`<button type="button" @click=${() => (this.saving = true)}>Save view</button>`}
      ${own
        ? html`<button type="button" @click=${() => this.#delete(current)}>
            Delete view “${current.name}”
          </button>`
        : nothing}
      ${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}`
  }

  #pick = (event: Event) => {
    const id = Number((event.target as HTMLSelectElement).value)
    const view = this.views.find((item) => item.id === id)
    this.current = view?.id
    this.dispatchEvent(new CustomEvent('crm-view-apply', { detail: { view } }))
  }

  #save = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const name = (form.elements.namedItem('name') as HTMLInputElement).value
    const shared = (form.elements.namedItem('shared') as HTMLInputElement).checked
    try {
      const view = await createView(this.module, { name, shared, query: this.query })
      await this.#load()
      this.current = view.id
      this.dispatchEvent(new CustomEvent('crm-view-current', { detail: { id: view.id } }))
      this.saving = false
      this.problem = undefined
    } catch (error) {
      this.problem = `The view could not be saved: ${messageOf(error)}.`
    }
  }

  async #delete(view: SavedView): Promise<void> {
    try {
      await deleteView(this.module, view.id)
      this.current = undefined
      this.dispatchEvent(new CustomEvent('crm-view-current', { detail: { id: undefined } }))
      await this.#load()
      this.problem = undefined
    } catch (error) {
      this.problem = `The view could not be deleted: ${messageOf(error)}.`
    }
  }
}

customElements.define('crm-saved-views', CrmSavedViews)

declare global {
  interface HTMLElementTagNameMap {
    'crm-saved-views': CrmSavedViews
  }
}

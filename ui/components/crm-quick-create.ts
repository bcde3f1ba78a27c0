import { css, html, LitElement, nothing } from 'lit'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import { api, ApiError, type CrmRecord, type Issue, type LiveModule } from '../api-client.ts'
import { applyPicklistDefaults, isPicklistDefaultTarget } from '../apply-picklist-defaults.ts'
import { isReadOnly, recordTitleOf } from '../field-values.ts'
import { fieldOfIssue, messageFor } from '../issue-field.ts'
import { messageOf } from '../message-of.ts'
import { checkRecord, preloadRecordValidator, recordAfterWrite } from '../record-validation.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

/**
 * Quick create: a button and a small dialog with only the fields the
 * definition marks `x-quick-create`. The server fills the rest (owner,
 * defaults, picklist rules). The server's rules run in the browser first and
 * refuse bad values of the dialog's fields beside them without sending;
 * issues the server finds about fields the dialog does not show are listed
 * with a link to the full form. Fires `crm-record-created` with the new record.
 */
export class CrmQuickCreate extends LitElement {
  static override properties = {
    live: { attribute: false },
    values: { state: true },
    labels: { state: true },
    issues: { state: true },
    problem: { state: true },
    busy: { state: true },
    created: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      dialog {
        width: min(36rem, calc(100vw - 2rem));
        border: 1px solid var(--crm-border);
        border-radius: 10px;
        padding: 1.25rem;
      }
      dialog::backdrop {
        background: rgba(23, 50, 79, 0.45);
      }
      .grid {
        display: grid;
        gap: 0.75rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 1rem;
      }
      .created {
        margin: 0;
      }
    `,
  ]

  declare live: LiveModule | undefined
  declare values: Record<string, unknown>
  declare labels: Record<string, string>
  declare issues: Issue[]
  declare problem: string | undefined
  declare busy: boolean
  /** The record the last quick create made, linked beside the button. */
  declare created: CrmRecord | undefined

  #typedTargets = new Set<string>()

  constructor() {
    super()
    this.values = {}
    this.labels = {}
    this.issues = []
    this.busy = false
  }

  override render() {
    const live = this.live
    if (live === undefined || live.permission?.create === false) return nothing
    const definition = live.definition
    const fields = quickFields(definition)
    if (fields.length === 0) return nothing
    const singular = definition.label.singular
    const elsewhere = this.issues.filter((issue) => !fields.includes(fieldOfIssue(issue) ?? ''))

    return html`<button type="button" @click=${this.#open}>Quick create</button>
      ${this.created
        ? html`<p class="created" role="status">
            Created
            <a href=${hrefOf({ screen: 'detail', module: live.name, id: this.created.id })}
              >${recordTitleOf(definition, this.created)}</a
            >.
          </p>`
        : nothing}
      <dialog aria-labelledby="quick-title" @keydown=${this.#key}>
        <form @submit=${this.#save} novalidate>
          <h2 id="quick-title">Quick create: ${singular}</h2>
          ${this.problem || elsewhere.length > 0
            ? html`<div class="alert" role="alert">
                ${this.problem ?? nothing}
                ${elsewhere.length > 0
                  ? html`<ul>
                        ${elsewhere.map((issue) => html`<li>${issue.message}</li>`)}
                      </ul>
                      <p>
                        These fields are not part of quick create; use the
                        <a href=${hrefOf({ screen: 'create', module: live.name })}>full form</a>.
                      </p>`
                  : nothing}
              </div>`
            : nothing}
          <div class="grid">
            ${fields.map(
              (name) => html`<crm-field-input
                data-field=${name}
                .name=${name}
                .field=${definition.record.properties[name]}
                .value=${this.values[name] ?? null}
                .valueLabel=${this.labels[name]}
                .error=${messageFor(this.issues, name)}
                ?required=${(definition.record.required ?? []).includes(name)}
                @crm-field-change=${this.#change}
              ></crm-field-input>`,
            )}
          </div>
          <div class="row">
            <button class="primary" type="submit" ?disabled=${this.busy}>
              ${this.busy ? 'Saving…' : `Save ${singular}`}
            </button>
            <button type="button" @click=${this.#close}>Cancel</button>
          </div>
        </form>
      </dialog>`
  }

  #open = async () => {
    const definition = this.live!.definition
    const values: Record<string, unknown> = {}
    for (const name of quickFields(definition)) {
      const value = definition.record.properties[name].default
      if (value !== undefined) values[name] = value
    }
    this.values = values
    this.labels = {}
    this.issues = []
    this.problem = undefined
    this.#typedTargets = new Set()
    preloadRecordValidator(this.live)
    await this.updateComplete
    this.renderRoot.querySelector('dialog')?.showModal()
    this.renderRoot.querySelector<HTMLElement>('dialog crm-field-input')?.focus()
  }

  #close = () => {
    this.renderRoot.querySelector('dialog')?.close()
  }

  #key = (event: KeyboardEvent) => {
    // The inputs sit in their own shadow roots, so Enter does not submit the form by itself.
    const target = event.composedPath()[0] as HTMLElement
    if (event.key === 'Enter' && !event.defaultPrevented && target.tagName === 'INPUT') {
      event.preventDefault()
      this.renderRoot.querySelector('form')?.requestSubmit()
    }
  }

  #change = (event: CustomEvent<FieldChangeDetail>) => {
    const { name, value, label } = event.detail
    const definition = this.live!.definition
    if (isPicklistDefaultTarget(definition, name)) {
      if (value === null || value === '') this.#typedTargets.delete(name)
      else this.#typedTargets.add(name)
    }
    this.values = applyPicklistDefaults(definition, name, { ...this.values, [name]: value }, this.#typedTargets)
    if (label !== undefined) this.labels = { ...this.labels, [name]: label }
    // A corrected field no longer carries the server's message about its old value.
    if (this.issues.some((issue) => fieldOfIssue(issue) === name))
      this.issues = this.issues.filter((issue) => fieldOfIssue(issue) !== name)
  }

  #save = async (event: SubmitEvent) => {
    event.preventDefault()
    if (this.busy) return
    const fields = new Set(quickFields(this.live!.definition))
    // Only what the dialog shows and the person filled in; the server fills the rest.
    const payload = Object.fromEntries(
      Object.entries(this.values).filter(
        ([name, value]) => fields.has(name) && value !== null && value !== '',
      ),
    )
    this.busy = true
    this.problem = undefined
    try {
      const live = this.live!
      const issues = await checkRecord(live, recordAfterWrite(live.definition, payload), fields)
      if (issues.length > 0) {
        await this.#showIssues(issues)
        return
      }
      const record = await api.createRecord(live.name, payload)
      this.created = record
      this.issues = []
      this.#close()
      this.dispatchEvent(new CustomEvent('crm-record-created', { detail: { record } }))
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.issues.length > 0) {
        await this.#showIssues(error.issues)
      } else {
        this.issues = []
        this.problem = `Not saved: ${messageOf(error)}. Your input is still here; try again.`
      }
    } finally {
      this.busy = false
    }
  }

  async #showIssues(issues: Issue[]): Promise<void> {
    this.issues = issues
    await this.updateComplete
    const fields = new Set(issues.map(fieldOfIssue))
    const inputs = [...this.renderRoot.querySelectorAll<HTMLElement>('dialog crm-field-input')]
    inputs.find((input) => fields.has(input.dataset.field))?.focus()
  }
}

/** The fields of quick create: marked `x-quick-create`, live and writable, in layout order. */
function quickFields(definition: ModuleDefinition): string[] {
  const ordered = [
    ...definition.layout.blocks.flatMap((block) => block.fields),
    ...Object.keys(definition.record.properties),
  ]

  return [...new Set(ordered)].filter((name) => {
    const field = definition.record.properties[name]
    return (
      field !== undefined && field['x-quick-create'] === true && !field['x-archived'] && !isReadOnly(field)
    )
  })
}

customElements.define('crm-quick-create', CrmQuickCreate)

declare global {
  interface HTMLElementTagNameMap {
    'crm-quick-create': CrmQuickCreate
  }
}

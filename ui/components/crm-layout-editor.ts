import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { FieldKindName, ModuleDefinition } from '../../engine/core/definition/types.ts'
import {
  api,
  ApiError,
  type Issue,
  type LiveModule,
  type ModuleSummary,
  type SchemaPlan,
} from '../api-client.ts'
import {
  createFieldDefinition,
  deriveFieldName,
  NEW_FIELD_KINDS,
  parsePicklistValues,
} from '../create-field-definition.ts'
import { describeSchemaStep } from '../describe-schema-step.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

/** A change the admin has previewed and not yet saved. */
interface PendingChange {
  baseVersion: number
  definition: ModuleDefinition
  fieldName: string
  fieldLabel: string
  blockLabel: string
  plan: SchemaPlan
}

/**
 * The Layout Editor (admins only): the blocks and fields of a module and an
 * "Add field" form. Adding previews the migration plan from the server, then
 * saves the new definition version based on the version that was shown.
 */
export class CrmLayoutEditor extends LitElement {
  static override properties = {
    module: {},
    live: { state: true },
    modules: { state: true },
    kind: { state: true },
    formErrors: { state: true },
    pending: { state: true },
    issues: { state: true },
    problem: { state: true },
    stale: { state: true },
    notice: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .blocks {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr));
        gap: 1rem;
      }
      ol {
        margin: 0;
        padding-left: 1.25rem;
      }
      li {
        margin: 0.2rem 0;
      }
      code {
        font-size: 0.85rem;
        color: var(--crm-muted);
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.75rem 1rem;
        align-items: start;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.5rem;
        align-self: end;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .error {
        margin: 0;
        font-size: 0.9rem;
      }
    `,
  ]

  /** The module whose layout is edited. */
  declare module: string
  declare live: LiveModule | undefined
  declare modules: ModuleSummary[]
  declare kind: FieldKindName
  declare formErrors: Record<string, string>
  declare pending: PendingChange | undefined
  declare issues: Issue[]
  declare problem: string | undefined
  declare stale: boolean
  declare notice: { text: string; module: string } | undefined
  declare busy: boolean

  constructor() {
    super()
    this.module = ''
    this.modules = []
    this.kind = 'text'
    this.formErrors = {}
    this.issues = []
    this.stale = false
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) void this.#load()
  }

  override render() {
    const live = this.live
    if (live === undefined) {
      return this.problem
        ? html`<div class="alert" role="alert">${this.problem}</div>`
        : html`<p role="status">Loading the layout…</p>`
    }
    const definition = live.definition

    return html`
      <h1>Layout editor: ${definition.label.plural}</h1>
      <p class="muted">
        Version ${live.version}. Fields an admin adds get a name starting with “cf_”.
      </p>
      ${
        this.notice
          ? html`<p class="notice" role="status">
              ${this.notice.text}
              <a href=${hrefOf({ screen: 'create', module: this.notice.module })}>Open the form</a>
            </p>`
          : nothing
      }
      ${this.#renderBlocks(definition)} ${this.#renderAddForm(definition)} ${this.#renderPending()}
    `
  }

  #renderBlocks(definition: ModuleDefinition) {
    const required = new Set(definition.record.required ?? [])
    const hidden = definition.layout.hidden ?? []

    return html`<section aria-labelledby="blocks-title">
      <h2 id="blocks-title">Blocks and fields</h2>
      <div class="blocks">
        ${definition.layout.blocks.map(
          (block) =>
            html`<section class="panel" aria-label=${block.label}>
              <h3>${block.label}</h3>
              <p class="muted">
                ${block.columns ?? 2} ${block.columns === 1 ? 'column' : 'columns'}
              </p>
              <ol>
                ${block.fields.map((name) => {
                  const field = definition.record.properties[name]
                  if (field === undefined) return nothing

                  return html`<li>
                    ${field.title}${required.has(name) ? ' (required)' : ''}${field['x-archived'] ? ' (archived)' : ''}
                    <code>${name} · ${field['x-kind']}</code>
                  </li>`
                })}
              </ol>
            </section>`,
        )}
        ${
          hidden.length > 0
            ? html`<section class="panel" aria-label="Hidden fields">
                <h3>Hidden fields</h3>
                <ol>
                  ${hidden.map((name) => html`<li>${definition.record.properties[name]?.title ?? name} <code>${name}</code></li>`)}
                </ol>
              </section>`
            : nothing
        }
      </div>
    </section>`
  }

  #renderAddForm(definition: ModuleDefinition) {
    const errors = this.formErrors
    const needsValues = this.kind === 'picklist' || this.kind === 'multi-picklist'

    return html`<section class="panel" aria-labelledby="add-title">
      <h2 id="add-title">Add field</h2>
      <form novalidate @submit=${this.#preview}>
        <div class="field">
          <label for="field-label">Label</label>
          <input
            id="field-label"
            name="label"
            maxlength="200"
            aria-invalid=${errors.label ? 'true' : 'false'}
            aria-describedby=${errors.label ? 'field-label-error' : nothing}
          />
          ${errors.label ? html`<p id="field-label-error" class="error">${errors.label}</p>` : nothing}
        </div>
        <div class="field">
          <label for="field-kind">Kind</label>
          <select id="field-kind" name="kind" @change=${this.#chooseKind}>
            ${NEW_FIELD_KINDS.map(
              (choice) =>
                html`<option value=${choice.kind} ?selected=${choice.kind === this.kind}>
                  ${choice.label}
                </option>`,
            )}
          </select>
        </div>
        ${
          needsValues
            ? html`<div class="field">
                <label for="field-values">Values, separated by commas</label>
                <input
                  id="field-values"
                  name="values"
                  placeholder="Low, Medium, High"
                  aria-invalid=${errors.values ? 'true' : 'false'}
                  aria-describedby=${errors.values ? 'field-values-error' : nothing}
                />
                ${errors.values ? html`<p id="field-values-error" class="error">${errors.values}</p>` : nothing}
              </div>`
            : nothing
        }
        ${
          this.kind === 'relation'
            ? html`<div class="field">
                <label for="field-target">Links to</label>
                <select id="field-target" name="target">
                  ${this.modules
                    .filter((module) => module.name !== 'users')
                    .map(
                      (module) =>
                        html`<option value=${module.name}>${module.label.plural}</option>`,
                    )}
                </select>
              </div>`
            : nothing
        }
        <div class="field">
          <label for="field-block">Block</label>
          <select id="field-block" name="block">
            ${definition.layout.blocks.map((block) => html`<option value=${block.id}>${block.label}</option>`)}
          </select>
        </div>
        <div class="check">
          <input id="field-list" name="list" type="checkbox" />
          <label for="field-list">Show as a list column</label>
        </div>
        <div class="wide">
          <button class="primary" type="submit" ?disabled=${this.busy}>Preview the change</button>
        </div>
      </form>
    </section>`
  }

  #renderPending() {
    const pending = this.pending
    const problems = html`${this.problem ? html`<p>${this.problem}</p>` : nothing}
    ${
      this.issues.length > 0
        ? html`<ul>
            ${this.issues.map((issue) => html`<li>${issue.message}</li>`)}
          </ul>`
        : nothing
    }
    ${this.stale ? html`<button type="button" @click=${this.#reload}>Reload the layout</button>` : nothing}`
    const hasProblems = this.problem !== undefined || this.issues.length > 0

    return html`
      ${hasProblems ? html`<div class="alert" role="alert">${problems}</div>` : nothing}
      ${
        pending === undefined
          ? nothing
          : html`<section class="panel" aria-labelledby="plan-title">
              <h2 id="plan-title">The change to save</h2>
              <p>
                Add “${pending.fieldLabel}” (<code>${pending.fieldName}</code>) to the block
                “${pending.blockLabel}”. The server plans these steps:
              </p>
              <ol>
                ${pending.plan.steps.map((step) => html`<li>${describeSchemaStep(step)}</li>`)}
              </ol>
              ${
                pending.plan.issues.length > 0
                  ? html`<ul class="error">
                      ${pending.plan.issues.map((issue) => html`<li>${issue.message}</li>`)}
                    </ul>`
                  : nothing
              }
              <div class="toolbar">
                <button
                  class="primary"
                  type="button"
                  ?disabled=${this.busy || pending.plan.issues.length > 0}
                  @click=${this.#save}
                >
                  ${this.busy ? 'Saving…' : 'Save the change'}
                </button>
                <button type="button" @click=${this.#cancel}>Cancel</button>
              </div>
            </section>`
      }
    `
  }

  async #load(): Promise<void> {
    try {
      const [live, modules] = await Promise.all([api.getModule(this.module), api.listModules()])
      this.live = live
      this.modules = modules.items
      this.problem = undefined
    } catch (error) {
      this.problem = `The layout of “${this.module}” could not be loaded: ${messageOf(error)}. Choose a module in the navigation.`
    }
  }

  #chooseKind = (event: Event) => {
    this.kind = (event.target as HTMLSelectElement).value as FieldKindName
  }

  #preview = async (event: SubmitEvent) => {
    event.preventDefault()
    const live = this.live!
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const label = String(data.get('label') ?? '').trim()
    const values = parsePicklistValues(String(data.get('values') ?? ''))
    const errors: Record<string, string> = {}
    if (label === '') errors.label = 'Enter the label people will see, for example “Budget”.'
    if ((this.kind === 'picklist' || this.kind === 'multi-picklist') && values.length === 0) {
      errors.values = 'Enter at least one value, separated by commas.'
    }
    this.formErrors = errors
    this.notice = undefined
    if (Object.keys(errors).length > 0) {
      await this.updateComplete
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }

    const definition = structuredClone(live.definition)
    const fieldName = deriveFieldName(label, Object.keys(definition.record.properties))
    definition.record.properties[fieldName] = createFieldDefinition({
      label,
      kind: this.kind,
      values,
      relationModule: String(data.get('target') ?? ''),
      showInList: data.get('list') !== null,
    })
    const block =
      definition.layout.blocks.find((candidate) => candidate.id === data.get('block')) ??
      definition.layout.blocks[0]
    block.fields.push(fieldName)
    await this.#run(async () => {
      const plan = await api.planModule(this.module, live.version, definition)
      this.pending = {
        baseVersion: live.version,
        definition,
        fieldName,
        fieldLabel: label,
        blockLabel: block.label,
        plan,
      }
    })
  }

  #save = async () => {
    const pending = this.pending!
    await this.#run(async () => {
      await api.putModule(this.module, pending.baseVersion, pending.definition)
      // Read the live definition back, as every other screen will.
      this.live = await api.getModule(this.module)
      this.pending = undefined
      this.notice = {
        text: `The field “${pending.fieldLabel}” was added to “${pending.blockLabel}”. Forms of ${this.live.definition.label.plural} show it now.`,
        module: this.module,
      }
      this.renderRoot.querySelector('form')?.reset()
      this.kind = 'text'
    })
  }

  #cancel = () => {
    this.pending = undefined
    this.issues = []
    this.problem = undefined
  }

  #reload = async () => {
    this.pending = undefined
    this.stale = false
    this.issues = []
    this.problem = undefined
    await this.#load()
  }

  /** Runs one request, turning 409 and 422 answers into messages beside the form. */
  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true
    this.issues = []
    this.problem = undefined
    this.stale = false
    try {
      await action()
    } catch (error) {
      this.#showFailure(error)
    } finally {
      this.busy = false
    }
  }

  #showFailure(error: unknown): void {
    if (error instanceof ApiError && error.status === 409) {
      this.stale = true
      this.pending = undefined
      this.problem = `Someone else changed ${this.live?.definition.label.plural ?? this.module} after you opened the editor, so nothing was saved. Reload the layout and add the field again.`
      return
    }
    if (error instanceof ApiError && error.status === 422) {
      this.problem = `The server refused the change: ${error.message}`
      this.issues = error.issues
      return
    }
    this.problem = `The change could not be sent: ${messageOf(error)}. Try again.`
  }
}

customElements.define('crm-layout-editor', CrmLayoutEditor)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-editor': CrmLayoutEditor
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import {
  api,
  ApiError,
  type CrmRecord,
  type Issue,
  type LiveModule,
  type SessionUser,
} from '../api-client.ts'
import { applyPicklistDefaults, isPicklistDefaultTarget } from '../apply-picklist-defaults.ts'
import { formatValue, isReadOnly, recordTitleOf } from '../field-values.ts'
import { fieldOfIssue } from '../issue-field.ts'
import { messageOf } from '../message-of.ts'
import { createWithLink, loadPrefill, type PrefillLink } from '../prefill.ts'
import { checkRecord, preloadRecordValidator, recordAfterWrite } from '../record-validation.ts'
import { loadModuleLabels, rollupNote } from '../rollup-note.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

type Values = Record<string, unknown>

/**
 * The create and edit form of one module, generated from the layout. Before
 * sending, the server's rules run in the browser; their issues, like a 422's,
 * appear beside their fields and nothing is sent. An edit sends only the
 * changed fields with `If-Match`, and a 412 shows the newer stored values.
 */
export class CrmRecordForm extends LitElement {
  static override properties = {
    module: {},
    recordId: { type: Number },
    user: { attribute: false },
    live: { state: true },
    record: { state: true },
    values: { state: true },
    labels: { state: true },
    issues: { state: true },
    problem: { state: true },
    loadProblem: { state: true },
    current: { state: true },
    saving: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(var(--columns, 2), minmax(0, 1fr));
        gap: 1rem 1.5rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        position: sticky;
        bottom: 0;
        padding: 0.75rem 0;
        background: #f4f6f9;
      }
      .required {
        color: var(--crm-danger);
      }
      .stale table {
        margin: 0.5rem 0;
        background: var(--crm-surface);
      }
      @media (max-width: 40rem) {
        .grid {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ]

  /** The module's machine name. */
  declare module: string
  /** The record to edit; unset for a new record. */
  declare recordId: number | undefined
  /** The logged-in user, proposed as the owner of a new record. */
  declare user: SessionUser | undefined
  declare live: LiveModule | undefined
  declare record: CrmRecord | undefined
  declare values: Values
  declare labels: Record<string, string>
  declare issues: Issue[]
  declare problem: string | undefined
  declare loadProblem: string | undefined
  /** The stored record after a 412: someone saved it after this form was opened. */
  declare current: CrmRecord | undefined
  declare saving: boolean

  // The values the form opened with; an edit sends what differs from them.
  #initial: Values = {}
  // A record the new one joins through a relation without a field (a deal's contacts): `?_link=` in the hash.
  #link: PrefillLink | undefined
  // Fields a picklist rule fills that the person typed themselves; the rule leaves those alone.
  #typedTargets = new Set<string>()
  // Module labels, for saying which linked records fill a roll-up field.
  #moduleLabels = new Map<string, { singular: string; plural: string }>()

  constructor() {
    super()
    this.module = ''
    this.values = {}
    this.labels = {}
    this.issues = []
    this.saving = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('module') || changed.has('recordId')) && this.module) void this.#load()
  }

  override render() {
    if (this.loadProblem) return html`<div class="alert" role="alert">${this.loadProblem}</div>`
    const live = this.live
    if (live === undefined || (this.recordId && this.record === undefined)) {
      return html`<p role="status">Loading the form…</p>`
    }
    const definition = live.definition
    const title = this.record
      ? `Edit ${recordTitleOf(definition, this.record)}`
      : `New ${definition.label.singular}`
    const action = this.record ? 'edit' : 'create'
    if (live.permission?.[action] === false) return this.#renderForbidden(title, action)

    return html`
      <h1>${title}</h1>
      <p class="muted">
        Fields marked <span class="required" aria-hidden="true">*</span
        ><span class="visually-hidden">with a star</span> are required.
      </p>
      ${
        this.#link && !this.record
          ? html`<p class="notice">
              This ${definition.label.singular} will be linked to ${this.#link.text}.
            </p>`
          : nothing
      }
      ${this.#renderProblems(definition)} ${this.#renderStale(definition)}
      <form novalidate @submit=${this.#submit} aria-label=${title}>
        ${definition.layout.blocks.map((block) => {
          const fields = block.fields.filter((name) => this.#isShown(definition, name))
          if (fields.length === 0) return nothing

          return html`<section class="panel" aria-labelledby="block-${block.id}">
            <h2 id="block-${block.id}">${block.label}</h2>
            <div class="grid" style="--columns: ${block.columns ?? 2}">
              ${fields.map((name) => this.#renderField(definition, name))}
            </div>
          </section>`
        })}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.saving}>
            ${this.saving ? 'Saving…' : `Save ${definition.label.singular}`}
          </button>
          <a class="button" href=${this.#cancelHref()}>Cancel</a>
        </div>
      </form>
    `
  }

  /** The server would refuse the save; saying so beats a form that cannot be sent. */
  #renderForbidden(title: string, action: 'create' | 'edit') {
    const plural = this.live!.definition.label.plural

    return html`<h1>${title}</h1>
      <div class="alert" role="alert">
        <p>
          Your role may not ${action} ${plural}. Ask an administrator if you need to, or go back to
          <a href=${this.#cancelHref()}>${this.recordId ? 'the record' : `the ${plural}`}</a>.
        </p>
      </div>`
  }

  #renderField(definition: ModuleDefinition, name: string) {
    // A field a roll-up fills right now is the linked records' to set: read-only, saying why.
    const note = rollupNote(this.current ?? this.record, name, this.#moduleLabels, true)
    const declared = definition.record.properties[name]
    const field = note ? { ...declared, readOnly: true, description: note } : declared
    const issue = this.issues.filter((candidate) => fieldOfIssue(candidate) === name)

    return html`<crm-field-input
      data-field=${name}
      .name=${name}
      .field=${field}
      .value=${this.values[name] ?? null}
      .valueLabel=${this.labels[name]}
      .error=${issue.length > 0 ? issue.map((candidate) => candidate.message).join('; ') : undefined}
      ?required=${(definition.record.required ?? []).includes(name) && !isReadOnly(field)}
      @crm-field-change=${this.#change}
    ></crm-field-input>`
  }

  #renderProblems(definition: ModuleDefinition) {
    if (this.problem === undefined && this.issues.length === 0) return nothing
    // Issues about fields the form does not show have no place beside an input; list them here.
    const elsewhere = this.issues.filter(
      (issue) => !this.#isShown(definition, fieldOfIssue(issue) ?? ''),
    )
    const beside = this.issues.length - elsewhere.length

    return html`<div class="alert" role="alert">
      ${this.problem ?? nothing}
      ${
        beside > 0
          ? html`<p>
              The ${definition.label.singular.toLowerCase()} was not saved. Correct the
              ${beside === 1 ? 'field' : `${beside} fields`} marked below and save again.
            </p>`
          : nothing
      }
      ${
        elsewhere.length > 0
          ? html`<ul>
              ${elsewhere.map((issue) => html`<li>${issue.message}</li>`)}
            </ul>`
          : nothing
      }
    </div>`
  }

  #renderStale(definition: ModuleDefinition) {
    const current = this.current
    if (current === undefined) return nothing
    const changed = Object.entries(definition.record.properties).filter(
      ([name, field]) => !field['x-archived'] && !sameValue(current[name], this.record?.[name]),
    )

    return html`<section class="alert stale" role="alert" aria-labelledby="stale-title">
      <h2 id="stale-title">Someone else changed this ${definition.label.singular.toLowerCase()}</h2>
      <p>
        It was saved again (now version ${current.version}) after you opened this form, so your
        changes were not saved. The newer stored values are:
      </p>
      ${
        changed.length === 0
          ? html`<p>No field you can see differs.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Stored value</th>
                  <th scope="col">Your value</th>
                </tr>
              </thead>
              <tbody>
                ${changed.map(([name, field]) => this.#renderStaleRow(name, field, current))}
              </tbody>
            </table>`
      }
      <p>Save again to overwrite the fields you changed, or take over the stored values.</p>
      <button type="button" @click=${this.#takeStored}>Use the stored values</button>
    </section>`
  }

  #renderStaleRow(name: string, field: FieldDefinition, current: CrmRecord) {
    return html`<tr>
      <th scope="row">${field.title}</th>
      <td>${formatValue(field, current[name], current._labels?.[name]) || '—'}</td>
      <td>${formatValue(field, this.values[name], this.labels[name]) || '—'}</td>
    </tr>`
  }

  #isShown(definition: ModuleDefinition, name: string): boolean {
    const field = definition.record.properties[name]
    if (field === undefined || field['x-archived']) return false
    // A new record has no number or computed value yet; showing empty read-only boxes only confuses.
    return this.recordId !== undefined || !isReadOnly(field)
  }

  #cancelHref(): string {
    if (this.#link && !this.recordId)
      return hrefOf({ screen: 'detail', module: this.#link.module, id: this.#link.id })

    return this.recordId
      ? hrefOf({ screen: 'detail', module: this.module, id: this.recordId })
      : hrefOf({ screen: 'list', module: this.module })
  }

  async #load(): Promise<void> {
    try {
      const [live, record, labels] = await Promise.all([
        api.getModule(this.module),
        this.recordId ? api.getRecord(this.module, this.recordId) : Promise.resolve(undefined),
        loadModuleLabels(),
      ])
      this.#moduleLabels = labels
      // A new record may start linked: `#/potentials/new?related_to=12` from an account's related list.
      const prefill = record ? undefined : await loadPrefill(location.hash, live.definition)
      this.#link = prefill?.link
      this.live = live
      preloadRecordValidator(live)
      this.record = record
      this.#fill(
        record ?? { ...this.#newRecordValues(live.definition), ...prefill?.values },
        record?._labels ?? { ...this.#newRecordLabels(live), ...prefill?.labels },
      )
    } catch (error) {
      this.loadProblem = `The form could not be loaded: ${messageOf(error)}. Go back and try again.`
    }
  }

  #fill(values: Values, labels: Record<string, string>): void {
    const editable: Values = {}
    for (const [name, field] of Object.entries(this.live!.definition.record.properties)) {
      editable[name] = structuredClone(
        values[name] ?? (this.recordId ? null : (field.default ?? null)),
      )
    }
    this.#initial = structuredClone(editable)
    this.values = editable
    this.labels = { ...labels }
  }

  #newRecordValues(definition: ModuleDefinition): Values {
    const owner = definition.ownerField
    return owner && this.user ? { [owner]: this.user.id } : {}
  }

  #newRecordLabels(live: LiveModule): Record<string, string> {
    const owner = live.definition.ownerField
    return owner && this.user ? { [owner]: this.user.fullName } : {}
  }

  #change = (event: CustomEvent<FieldChangeDetail>) => {
    const { name, value, label } = event.detail
    const definition = this.live!.definition
    if (isPicklistDefaultTarget(definition, name)) {
      // An emptied target is "not given" again, as the server counts it.
      if (value === null || value === '') this.#typedTargets.delete(name)
      else this.#typedTargets.add(name)
    }
    const values = { ...this.values, [name]: value }
    this.values = applyPicklistDefaults(definition, name, values, this.#typedTargets)
    if (label !== undefined) this.labels = { ...this.labels, [name]: label }
  }

  #takeStored = () => {
    const current = this.current!
    this.record = current
    this.current = undefined
    this.#fill(current, current._labels ?? {})
  }

  /**
   * What to send: for an edit the fields that differ from the opened record;
   * for a new record the filled-in fields plus any default the person cleared,
   * so server-side defaults (owner, picklist rules) apply to what was left alone.
   */
  #payload(): Values {
    const definition = this.live!.definition
    const payload: Values = {}
    for (const [name, field] of Object.entries(definition.record.properties)) {
      if (field['x-archived'] || isReadOnly(field)) continue
      const value = this.values[name] ?? null
      const changed = !sameValue(value, this.#initial[name])
      if (changed || (this.recordId === undefined && value !== null)) payload[name] = value
    }

    return payload
  }

  #submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (this.saving) return
    this.saving = true
    this.problem = undefined
    try {
      const payload = this.#payload()
      const issues = await this.#check(payload)
      if (issues.length > 0) {
        await this.#showIssues(issues)
        return
      }
      const saved = await this.#save(payload)
      location.hash = hrefOf({ screen: 'detail', module: this.module, id: saved.id })
    } catch (error) {
      await this.#showFailure(error)
    } finally {
      this.saving = false
    }
  }

  /** The server's rules, run here on the record the save would store; an unchanged edit sends nothing. */
  async #check(payload: Values): Promise<Issue[]> {
    const live = this.live!
    if (this.record !== undefined && Object.keys(payload).length === 0) return []
    // After a 412 the save goes on top of the newer stored record.
    const stored = this.current ?? this.record

    return checkRecord(
      live,
      recordAfterWrite(live.definition, payload, stored),
      this.#editableFields(),
    )
  }

  /** The fields a person can change here: shown in a block, not read-only nor filled by a roll-up. */
  #editableFields(): string[] {
    const definition = this.live!.definition

    return definition.layout.blocks
      .flatMap((block) => block.fields)
      .filter(
        (name) =>
          this.#isShown(definition, name) && !isReadOnly(definition.record.properties[name]),
      )
      .filter((name) => !rollupNote(this.current ?? this.record, name, this.#moduleLabels, true))
  }

  async #save(payload: Values): Promise<CrmRecord> {
    if (this.record === undefined) return createWithLink(this.module, payload, this.#link)
    if (Object.keys(payload).length === 0) return this.record
    // The version of the record this form shows, or the newer one once a 412 was seen.
    const version = this.current?.version ?? this.record.version

    return api.updateRecord(this.module, this.record.id, version, payload)
  }

  async #showFailure(error: unknown): Promise<void> {
    if (error instanceof ApiError && error.status === 422 && error.issues.length > 0) {
      await this.#showIssues(error.issues)
      return
    }
    this.issues = []
    if (error instanceof ApiError && error.status === 412 && isRecord(error.details.current)) {
      this.current = error.details.current
      await this.updateComplete
      this.renderRoot
        .querySelector<HTMLElement>('#stale-title')
        ?.scrollIntoView({ block: 'center' })
      return
    }
    this.problem = `Saving failed: ${messageOf(error)}. Your input is still here; try again.`
  }

  async #showIssues(issues: Issue[]): Promise<void> {
    this.issues = issues
    await this.updateComplete
    this.#focusFirstInvalid()
  }

  #focusFirstInvalid(): void {
    const names = new Set(this.issues.map(fieldOfIssue))
    const first = [...this.renderRoot.querySelectorAll<HTMLElement>('crm-field-input')].find(
      (element) => names.has(element.dataset.field),
    )
    if (first === undefined) return
    // focus() alone scrolls just until the field peeks out at the bottom, under the sticky Save bar.
    first.scrollIntoView({ block: 'center' })
    first.focus({ preventScroll: true })
  }
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null)
}

function isRecord(value: unknown): value is CrmRecord {
  return typeof value === 'object' && value !== null && typeof (value as CrmRecord).id === 'number'
}

customElements.define('crm-record-form', CrmRecordForm)

declare global {
  interface HTMLElementTagNameMap {
    'crm-record-form': CrmRecordForm
  }
}

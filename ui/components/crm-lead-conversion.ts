import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { ConversionDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import type { TargetPlan, ValuePlan } from '../../engine/core/behaviours/plan-conversion.ts'
import {
  api,
  ApiError,
  type ConversionPlan,
  type CrmRecord,
  type Issue,
  type LiveModule,
} from '../api-client.ts'
import { formatValue, isReadOnly } from '../field-values.ts'
import { formatWhen } from '../format-when.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

type Values = Record<string, unknown>

/**
 * Conversion of a record by its definition's `behaviours.conversion` (a lead
 * into an account, a contact and optionally a potential). Before the
 * conversion: a Convert button and a dialog that asks the server for a
 * preview on every choice (which optional records to make, values the
 * mapping cannot give, an existing record to use when names are close) and
 * shows what would be made or reused, which values go where, the fill rule
 * and every refusal; Convert runs it. After it: a notice that the record is
 * converted and read-only, with links to what it became. Fires
 * `crm-record-changed` once converted.
 */
export class CrmLeadConversion extends LitElement {
  static override properties = {
    live: { attribute: false },
    record: { attribute: false },
    targets: { state: true },
    create: { state: true },
    values: { state: true },
    link: { state: true },
    ignoreSimilar: { state: true },
    plan: { state: true },
    problem: { state: true },
    refused: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: min(56rem, calc(100vw - 2rem));
        max-height: calc(100vh - 2rem);
        border: 1px solid var(--crm-border);
        border-radius: 10px;
        padding: 1.25rem;
      }
      dialog::backdrop {
        background: rgba(23, 50, 79, 0.45);
      }
      .target {
        border-top: 1px solid var(--crm-border);
        padding-top: 0.75rem;
        margin-top: 0.75rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.5rem;
      }
      .grid {
        display: grid;
        gap: 0.75rem 1rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        margin: 0.5rem 0;
      }
      .check {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      table td,
      table th {
        white-space: normal;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 1rem;
        position: sticky;
        bottom: -1.25rem;
        background: #fff;
        padding: 0.75rem 0;
      }
      .converted ul {
        margin: 0.25rem 0 0;
      }
      fieldset {
        border: 1px solid var(--crm-border);
        border-radius: 6px;
        margin: 0.5rem 0;
      }
    `,
  ]

  /** The converting module (leads) with the user's permission. */
  declare live: LiveModule | undefined
  declare record: CrmRecord | undefined
  /** The live definitions of the target modules, by target name. */
  declare targets: Map<string, ModuleDefinition>
  /** Optional targets to make (`create<Target>`). */
  declare create: Set<string>
  /** Values typed for new records, per target. */
  declare values: Record<string, Values>
  /** Existing records chosen for targets, when names were close. */
  declare link: Record<string, number>
  declare ignoreSimilar: Set<string>
  declare plan: ConversionPlan | undefined
  declare problem: string | undefined
  /** The issues of a conversion the server refused (422), beside the plan it refused. */
  declare refused: Issue[] | undefined
  declare busy: boolean

  #preview = 0

  constructor() {
    super()
    this.targets = new Map()
    this.create = new Set()
    this.values = {}
    this.link = {}
    this.ignoreSimilar = new Set()
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('live') && this.live) void this.#loadTargets()
  }

  override render() {
    const conversion = this.#conversion()
    const record = this.record
    if (conversion === undefined || record === undefined) return nothing
    if (record[conversion.convertedAt] != null) return this.#renderConverted(conversion, record)
    if (this.live?.permission?.edit === false) return nothing
    const label = this.live!.definition.label.singular

    return html`<button class="primary" type="button" @click=${this.#open}>Convert ${label}</button>
      <dialog aria-labelledby="convert-title" @close=${this.#closed}>
        <h2 id="convert-title">Convert ${label.toLowerCase()}</h2>
        ${this.#renderDialog(conversion)}
      </dialog>`
  }

  #renderConverted(conversion: ConversionDefinition, record: CrmRecord) {
    const label = this.live!.definition.label.singular
    const links = Object.entries(conversion.targets)
      .map(([name, target]) => ({ name, target, id: record[target.leadField] }))
      .filter((item): item is typeof item & { id: number } => typeof item.id === 'number')

    return html`<section class="notice converted" role="status" aria-label="Conversion">
      <p>
        This ${label.toLowerCase()} was converted on
        ${formatWhen(String(record[conversion.convertedAt]))} and is read-only now. It became:
      </p>
      <ul>
        ${links.map(
          ({ name, target, id }) => html`<li>
            ${this.targets.get(name)?.label.singular ?? target.module}:
            <a href=${hrefOf({ screen: 'detail', module: target.module, id })}
              >${record._labels?.[target.leadField] ?? `#${id}`}</a
            >
          </li>`,
        )}
      </ul>
    </section>`
  }

  #renderDialog(conversion: ConversionDefinition) {
    const plan = this.plan
    const optional = Object.entries(conversion.targets).filter(([, target]) => target.optional)

    return html`
      ${optional.map(
        ([name, target]) => html`<div class="check">
          <input
            id="create-${name}"
            type="checkbox"
            .checked=${this.create.has(name)}
            @change=${(event: Event) => this.#toggle(name, (event.target as HTMLInputElement).checked)}
          />
          <label for="create-${name}"
            >Create ${article(this.#targetLabel(name, target.module))}
            ${this.#targetLabel(name, target.module)}</label
          >
        </div>`,
      )}
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${plan === undefined
        ? html`<p role="status">Asking the server what the conversion would do…</p>`
        : this.#renderPlan(plan)}
      <div class="actions">
        <button
          class="primary"
          type="button"
          ?disabled=${this.busy || !plan?.ok || this.refused !== undefined}
          @click=${this.#convert}
        >
          ${this.busy ? 'Converting…' : 'Convert'}
        </button>
        <button type="button" @click=${this.#close}>Cancel</button>
      </div>
    `
  }

  #renderPlan(plan: ConversionPlan) {
    const issues = this.refused ?? plan.issues

    return html`
      ${issues.length > 0
        ? html`<div class="alert" role="alert">
            <p>
              ${this.refused
                ? 'The server refused the conversion; nothing was created:'
                : 'The conversion cannot run yet:'}
            </p>
            <ul class="issues">
              ${issues.map((issue) => html`<li>${this.#describeIssue(issue)}</li>`)}
            </ul>
          </div>`
        : nothing}
      <p class="rule"><strong>Fill rule:</strong> ${plan.rule}.</p>
      ${plan.warnings.length > 0
        ? html`<ul class="warnings">
            ${plan.warnings.map((warning) => html`<li>${warning}</li>`)}
          </ul>`
        : nothing}
      ${plan.targets.map((target) => this.#renderTarget(plan, target))}
      ${plan.unmapped.length > 0
        ? html`<p class="unmapped muted">
            Stays on the ${this.live!.definition.label.singular.toLowerCase()} only:
            ${plan.unmapped.map((item) => item.label).join(', ')}.
          </p>`
        : nothing}
    `
  }

  #renderTarget(plan: ConversionPlan, target: TargetPlan) {
    const definition = this.targets.get(target.name)

    return html`<section class="target" aria-label=${target.label} data-target=${target.name}>
      <h3>${target.label}: ${this.#describeAction(target)}</h3>
      ${this.#renderSimilar(target)} ${this.#renderInputs(plan, target, definition)}
      ${target.action === 'skip' || target.values.length === 0
        ? nothing
        : html`<table>
            <caption class="visually-hidden">Values of the ${target.label}</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
                <th scope="col">What happens</th>
              </tr>
            </thead>
            <tbody>
              ${target.values.map((value) => this.#renderValue(plan, value, definition))}
            </tbody>
          </table>`}
    </section>`
  }

  #renderSimilar(target: TargetPlan) {
    if (!target.similar?.length || target.action === 'reuse' && target.record?.by === 'match') {
      return nothing
    }
    const chosen = this.link[target.name]

    return html`<fieldset>
      <legend>Close names found: use one, or make a new ${target.label.toLowerCase()}?</legend>
      ${target.similar.map(
        (item) => html`<div class="check">
          <input
            type="radio"
            id="similar-${target.name}-${item.id}"
            name="similar-${target.name}"
            .checked=${chosen === item.id}
            @change=${() => this.#chooseSimilar(target.name, item.id)}
          />
          <label for="similar-${target.name}-${item.id}">Use “${item.title}”</label>
        </div>`,
      )}
      <div class="check">
        <input
          type="radio"
          id="similar-${target.name}-new"
          name="similar-${target.name}"
          .checked=${chosen === undefined && this.ignoreSimilar.has(target.name)}
          @change=${() => this.#chooseSimilar(target.name, undefined)}
        />
        <label for="similar-${target.name}-new">Make a new ${target.label.toLowerCase()}</label>
      </div>
    </fieldset>`
  }

  /** Inputs for required fields of a new record that neither the mapping nor a link fills. */
  #renderInputs(plan: ConversionPlan, target: TargetPlan, definition: ModuleDefinition | undefined) {
    if (target.action !== 'create' || definition === undefined) return nothing
    const fields = this.#askedFields(target, definition)
    if (fields.length === 0) return nothing
    const given = this.values[target.name] ?? {}
    const issues = (this.refused ?? plan.issues).filter((issue) =>
      issue.path?.startsWith(`/targets/${target.name}/`),
    )

    return html`<div class="grid">
      ${fields.map((name) => {
        const error = issues.filter((issue) => issue.field === name).map((issue) => issue.message)

        return html`<crm-field-input
          data-target=${target.name}
          data-field=${name}
          .name=${name}
          .field=${definition.record.properties[name]}
          .value=${given[name] ?? null}
          .error=${error.length > 0 ? error.join('; ') : undefined}
          required
          @crm-field-change=${(event: CustomEvent<FieldChangeDetail>) =>
            this.#changeValue(target.name, event.detail)}
        ></crm-field-input>`
      })}
    </div>`
  }

  #renderValue(plan: ConversionPlan, value: ValuePlan, definition: ModuleDefinition | undefined) {
    const field = definition?.record.properties[value.field]
    const shown = (raw: unknown) =>
      field ? formatValue(field, raw) || '—' : raw === null || raw === undefined ? '—' : String(raw)
    const linked = value.from.startsWith('target:') ? value.from.slice('target:'.length) : undefined
    const linkedPlan = linked ? plan.targets.find((target) => target.name === linked) : undefined
    const text = linkedPlan
      ? linkedPlan.action === 'reuse'
        ? `“${linkedPlan.record?.title}”`
        : `the new ${linkedPlan.label.toLowerCase()}`
      : shown(value.value)
    const from = linkedPlan
      ? `link to the ${linkedPlan.label.toLowerCase()}`
      : value.from === 'request'
        ? 'entered here'
        : `${this.live!.definition.label.singular}: ${this.live!.definition.record.properties[value.from]?.title ?? value.from}`
    const action =
      value.action === 'set'
        ? 'set'
        : value.action === 'fill'
          ? 'fills the empty field'
          : `kept as it is (${linked ? 'already linked' : shown(value.existing)})`

    return html`<tr>
      <th scope="row">${value.label}</th>
      <td>${text}</td>
      <td>${from}</td>
      <td>${action}</td>
    </tr>`
  }

  #describeAction(target: TargetPlan): string {
    if (target.action === 'skip') return `none will be created`
    if (target.action === 'create') return `a new ${target.label.toLowerCase()} will be created`
    const spec = this.#conversion()?.targets[target.name]
    const match = spec?.matchBy
      ? this.targets.get(target.name)?.record.properties[spec.matchBy]?.title
      : undefined
    const why =
      target.record?.by === 'chosen'
        ? 'chosen here'
        : `its ${(match ?? 'name').toLowerCase()} is the same`

    return `the existing “${target.record?.title}” will be used (${why})`
  }

  /** An issue with the target and field it is about, as the server names them. */
  #describeIssue(issue: Issue): string {
    const [, , name] = issue.path?.split('/') ?? []
    const definition = name ? this.targets.get(name) : undefined
    const field = issue.field ? definition?.record.properties[issue.field]?.title : undefined
    const named = definition !== undefined && issue.message.startsWith(`${definition.label.singular}:`)
    const where = definition && field && !named ? `${definition.label.singular} › ${field}: ` : ''

    return `${where}${issue.message}`
  }

  #askedFields(target: TargetPlan, definition: ModuleDefinition): string[] {
    const covered = new Set(
      target.values.filter((value) => value.from !== 'request').map((value) => value.field),
    )

    return (definition.record.required ?? []).filter((name) => {
      const field = definition.record.properties[name]
      return (
        field !== undefined &&
        !field['x-archived'] &&
        !isReadOnly(field) &&
        !covered.has(name) &&
        name !== definition.ownerField
      )
    })
  }

  #conversion(): ConversionDefinition | undefined {
    return this.live?.definition.behaviours?.conversion
  }

  #targetLabel(name: string, module: string): string {
    return this.targets.get(name)?.label.singular ?? module
  }

  async #loadTargets(): Promise<void> {
    const conversion = this.#conversion()
    if (conversion === undefined) return
    const entries = await Promise.all(
      Object.entries(conversion.targets).map(async ([name, target]) => {
        const live = await api.getModule(target.module).catch(() => undefined)
        return [name, live?.definition] as const
      }),
    )
    this.targets = new Map(
      entries.filter((entry): entry is [string, ModuleDefinition] => entry[1] !== undefined),
    )
  }

  #open = async () => {
    this.plan = undefined
    this.refused = undefined
    this.problem = undefined
    await this.updateComplete
    this.renderRoot.querySelector('dialog')?.showModal()
    void this.#previewNow()
  }

  #close = () => {
    this.renderRoot.querySelector('dialog')?.close()
  }

  #closed = () => {
    this.renderRoot.querySelector<HTMLElement>('button.primary')?.focus()
  }

  #toggle(name: string, on: boolean): void {
    const create = new Set(this.create)
    if (on) create.add(name)
    else create.delete(name)
    this.create = create
    void this.#previewNow()
  }

  #changeValue(target: string, detail: FieldChangeDetail): void {
    this.values = { ...this.values, [target]: { ...this.values[target], [detail.name]: detail.value } }
    void this.#previewNow()
  }

  #chooseSimilar(target: string, id: number | undefined): void {
    const link = { ...this.link }
    const ignore = new Set(this.ignoreSimilar)
    if (id === undefined) {
      delete link[target]
      ignore.add(target)
    } else {
      link[target] = id
      ignore.delete(target)
    }
    this.link = link
    this.ignoreSimilar = ignore
    void this.#previewNow()
  }

  /** The request as the server reads it: create flags, values for new records, links, ignored close names. */
  #request(): Record<string, unknown> {
    const conversion = this.#conversion()!
    const body: Record<string, unknown> = {}
    for (const [name, target] of Object.entries(conversion.targets)) {
      if (target.optional) body[`create${camel(name)}`] = this.create.has(name)
      if (target.optional && !this.create.has(name)) continue
      const given = Object.entries(this.values[name] ?? {}).filter(
        ([, value]) => value !== null && value !== '',
      )
      if (given.length > 0) body[name] = Object.fromEntries(given)
    }
    if (Object.keys(this.link).length > 0) body.link = this.link
    if (this.ignoreSimilar.size > 0) body.ignoreSimilar = [...this.ignoreSimilar]

    return body
  }

  async #previewNow(): Promise<void> {
    const number = ++this.#preview
    const record = this.record!
    try {
      const plan = await api.previewConversion(this.live!.name, record.id, this.#request())
      if (number !== this.#preview) return
      this.plan = plan
      this.refused = undefined
      this.problem = undefined
    } catch (error) {
      if (number !== this.#preview) return
      this.problem = `The preview failed: ${messageOf(error)}. Change a choice to try again.`
    }
  }

  #convert = async () => {
    if (this.busy) return
    this.busy = true
    try {
      await api.convert(this.live!.name, this.record!.id, this.#request())
      this.#close()
      this.dispatchEvent(new CustomEvent('crm-record-changed', { bubbles: true, composed: true }))
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.issues.length > 0) {
        // The server's plan as it stands now: what changed since the preview shows with the refusal.
        const plan = error.details.plan as ConversionPlan | undefined
        if (plan?.targets) this.plan = plan
        this.refused = error.issues
      } else {
        this.problem = `The conversion failed: ${messageOf(error)}. Nothing was created; try again.`
      }
    } finally {
      this.busy = false
    }
  }
}

function camel(name: string): string {
  return name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a'
}

customElements.define('crm-lead-conversion', CrmLeadConversion)

declare global {
  interface HTMLElementTagNameMap {
    'crm-lead-conversion': CrmLeadConversion
  }
}

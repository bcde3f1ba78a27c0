import { css, html, LitElement, nothing } from 'lit'
import type { SchemaPlan } from '../api-client.ts'
import { describeSchemaStep } from '../describe-schema-step.ts'
import { sharedStyles } from '../shared-styles.ts'

const SHOWN_FAILURES = 50

/**
 * The server's plan of a definition change, for confirmation: each step
 * with its record counts, the values a conversion cannot convert, and the
 * issues that make the server refuse it. Fires `crm-plan-apply` with
 * `detail.note`, `crm-plan-cancel`, and with `fixable`,
 * `crm-plan-clear-failing` with `detail.field`.
 */
export class CrmLayoutPlan extends LitElement {
  static override properties = {
    plan: { attribute: false },
    heading: {},
    applyLabel: {},
    busy: { type: Boolean },
    fixable: { type: Boolean },
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        border: 2px solid var(--crm-accent);
        border-radius: 10px;
      }
      section {
        margin: 0;
      }
      ol {
        padding-left: 1.25rem;
      }
      li {
        margin: 0.25rem 0;
      }
      .failing {
        margin: 0.5rem 0 1rem;
        max-height: 18rem;
        overflow: auto;
      }
      td,
      th {
        white-space: normal;
      }
      .field {
        display: grid;
        gap: 0.25rem;
        margin-bottom: 0.75rem;
      }
    `,
  ]

  /** The plan as `POST /plan` (or a restore dry run) answered it. */
  declare plan: SchemaPlan | undefined
  /** The section heading, for example "Review the changes". */
  declare heading: string
  /** The text of the apply button. */
  declare applyLabel: string
  /** True while the change is being applied. */
  declare busy: boolean
  /** Whether failing conversions can be fixed from here by clearing them. */
  declare fixable: boolean

  constructor() {
    super()
    this.heading = 'Review the changes'
    this.applyLabel = 'Apply the changes'
    this.busy = false
    this.fixable = false
  }

  override render() {
    const plan = this.plan
    if (plan === undefined) return nothing
    const refused = plan.issues.length > 0

    return html`<section class="panel" aria-labelledby="plan-title">
      <h2 id="plan-title">${this.heading}</h2>
      <p>The server plans version ${plan.version} with these steps:</p>
      <ol class="steps">
        ${plan.steps.map(
          (step) =>
            html`<li>
              ${describeSchemaStep(step)}
              ${step.kind === 'convert-field' ? this.#renderFailing(step.field) : nothing}
            </li>`,
        )}
      </ol>
      ${this.#renderUses(plan.uses ?? {})}
      ${
        refused
          ? html`<div class="alert issues" role="alert">
              <p>The server would refuse this change:</p>
              <ul>
                ${plan.issues.map((issue) => html`<li>${issue.message}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <div class="field">
        <label for="note">Note for the version history (optional)</label>
        <input id="note" maxlength="500" ?disabled=${this.busy} />
      </div>
      <div class="toolbar">
        <button
          class="primary"
          type="button"
          ?disabled=${this.busy || refused}
          @click=${this.#apply}
        >
          ${this.busy ? 'Applying…' : this.applyLabel}
        </button>
        <button type="button" ?disabled=${this.busy} @click=${this.#cancel}>Back to editing</button>
      </div>
    </section>`
  }

  #renderUses(uses: Record<string, string[]>) {
    const entries = Object.entries(uses)
    if (entries.length === 0) return nothing

    return html`<p>These places name the fields this change touches; check them after applying:</p>
      <ul class="uses">
        ${entries.map(([field, places]) => html`<li><code>${field}</code>: ${places.join('; ')}</li>`)}
      </ul>`
  }

  #renderFailing(field: string) {
    const preview = this.plan?.preview?.[field]
    if (preview === undefined || preview.failing.length === 0) return nothing
    const shown = preview.failing.slice(0, SHOWN_FAILURES)
    const blocked = this.plan!.issues.some(
      (issue) => issue.field === field && issue.code === 'conversion-failures',
    )

    return html`<div
        class="table-scroll failing"
        role="region"
        aria-label="Values of ${field} that cannot be converted"
        tabindex="0"
      >
        <table>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Stored value</th>
              <th scope="col">Why it fails</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (failure) =>
                html`<tr>
                  <td>${failure.title ?? ''} #${failure.id}</td>
                  <td><code>${failure.value}</code></td>
                  <td>${failure.message}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        preview.counts.failing > shown.length
          ? html`<p class="muted">
              The first ${shown.length} of ${preview.counts.failing.toLocaleString('en-US')} failing
              values.
            </p>`
          : nothing
      }
      ${
        this.fixable && blocked
          ? html`<button type="button" @click=${() => this.#clearFailing(field)}>
              Clear the failing values and keep a copy of the originals
            </button>`
          : nothing
      }`
  }

  #apply = () => {
    const note = this.renderRoot.querySelector<HTMLInputElement>('#note')?.value.trim() ?? ''
    this.dispatchEvent(new CustomEvent('crm-plan-apply', { detail: { note } }))
  }

  #cancel = () => {
    this.dispatchEvent(new CustomEvent('crm-plan-cancel'))
  }

  #clearFailing(field: string): void {
    this.dispatchEvent(new CustomEvent('crm-plan-clear-failing', { detail: { field } }))
  }
}

customElements.define('crm-layout-plan', CrmLayoutPlan)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-plan': CrmLayoutPlan
  }
}

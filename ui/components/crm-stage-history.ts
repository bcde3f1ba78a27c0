import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { FieldDefinition, ModuleDefinition } from '../../engine/core/definition/types.ts'
import { api, type HistoryEntry } from '../api-client.ts'
import { formatValue, recordTitleOf } from '../field-values.ts'
import { formatWhen } from '../format-when.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'

const LIMIT = 50

/**
 * The history of a record whose definition keeps one (`behaviours.history`):
 * every change of its stage field (`behaviours.forecast.stage`) with when,
 * who, from and to, and the snapshot fields (amount, probability) as they
 * were at that moment. Without a stage field, every change is listed.
 */
export class CrmStageHistory extends LitElement {
  static override properties = {
    module: {},
    recordId: { type: Number },
    definition: { attribute: false },
    revision: { type: Number },
    entries: { state: true },
    total: { state: true },
    names: { state: true },
    problem: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      td.number,
      th.number {
        text-align: right;
      }
      .arrow {
        color: var(--crm-muted);
        padding: 0 0.3rem;
      }
    `,
  ]

  declare module: string
  declare recordId: number
  declare definition: ModuleDefinition | undefined
  /** The record's version: when it changes, the history reloads. */
  declare revision: number | undefined
  declare entries: HistoryEntry[] | undefined
  declare total: number
  /** Names of the users who made the changes, by id. */
  declare names: Map<number, string>
  declare problem: string | undefined

  #request = 0

  constructor() {
    super()
    this.module = ''
    this.recordId = 0
    this.total = 0
    this.names = new Map()
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!this.module || !this.recordId || !this.definition) return
    if (changed.has('module') || changed.has('recordId') || changed.has('revision')) void this.#load()
  }

  override render() {
    const definition = this.definition
    if (definition?.behaviours?.history === undefined) return nothing
    const stage = stageFieldOf(definition)
    const stageField = stage === undefined ? undefined : definition.record.properties[stage]
    const title = stageField ? `${stageField.title} history` : 'History'

    return html`<section class="panel" aria-labelledby="history-title">
      <h2 id="history-title">${title}</h2>
      ${this.#renderBody(definition, stage, title)}
    </section>`
  }

  #renderBody(definition: ModuleDefinition, stage: string | undefined, title: string) {
    if (this.problem) return html`<div class="alert" role="alert">${this.problem}</div>`
    const entries = this.entries
    if (entries === undefined) return html`<p role="status">Loading the history…</p>`
    if (entries.length === 0) return html`<p class="muted">No change is recorded yet.</p>`
    const snapshot = snapshotFieldsOf(definition, stage)
    const stageField = stage === undefined ? undefined : definition.record.properties[stage]

    return html`<div class="table-scroll" role="region" aria-label=${title} tabindex="0">
        <table>
          <caption class="visually-hidden">${title}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">${stageField ? `${stageField.title}: from → to` : 'Change'}</th>
              ${snapshot.map(
                ([, field]) => html`<th scope="col" class=${numeric(field) ? 'number' : ''}>${field.title}</th>`,
              )}
            </tr>
          </thead>
          <tbody>
            ${entries.map((entry) => this.#renderRow(definition, entry, stage, snapshot))}
          </tbody>
        </table>
      </div>
      ${this.total > entries.length
        ? html`<p class="muted">The ${entries.length} latest of ${this.total} changes.</p>`
        : nothing}`
  }

  #renderRow(
    definition: ModuleDefinition,
    entry: HistoryEntry,
    stage: string | undefined,
    snapshot: [string, FieldDefinition][],
  ) {
    const who =
      entry.actor_id === null ? 'System' : (this.names.get(entry.actor_id) ?? `#${entry.actor_id}`)

    return html`<tr>
      <td><time datetime=${entry.at}>${formatWhen(entry.at)}</time></td>
      <td>${who}</td>
      <td>${stage === undefined ? describeChanges(definition, entry) : this.#renderStage(definition, entry, stage)}</td>
      ${snapshot.map(
        ([name, field]) =>
          html`<td class=${numeric(field) ? 'number' : ''}>
            ${formatValue(field, entry.snapshot[name]) || '—'}
          </td>`,
      )}
    </tr>`
  }

  #renderStage(definition: ModuleDefinition, entry: HistoryEntry, stage: string) {
    const field = definition.record.properties[stage]
    const [from, to] = entry.changes[stage] ?? [null, entry.snapshot[stage]]

    return html`<span class="from">${formatValue(field, from) || '—'}</span
      ><span class="arrow" aria-label="to">→</span><span class="to">${formatValue(field, to) || '—'}</span>`
  }

  async #load(): Promise<void> {
    const number = ++this.#request
    const stage = stageFieldOf(this.definition!)
    try {
      const page = await api.getHistory(this.module, this.recordId, { field: stage, limit: LIMIT })
      const names = await namesOf(page.items)
      if (number !== this.#request) return
      this.entries = page.items
      this.total = page.total
      this.names = names
      this.problem = undefined
    } catch (error) {
      if (number !== this.#request) return
      this.problem = `The history could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }
}

/** The field whose changes the history follows: the forecast's stage, when the module has one. */
function stageFieldOf(definition: ModuleDefinition): string | undefined {
  const stage = definition.behaviours?.forecast?.stage
  const field = stage === undefined ? undefined : definition.record.properties[stage]

  return field && !field['x-archived'] ? stage : undefined
}

/** The snapshot fields shown beside each change, without the stage itself. */
function snapshotFieldsOf(
  definition: ModuleDefinition,
  stage: string | undefined,
): [string, FieldDefinition][] {
  return (definition.behaviours?.history?.snapshot ?? [])
    .filter((name) => name !== stage)
    .map((name): [string, FieldDefinition] => [name, definition.record.properties[name]])
    .filter(([, field]) => field !== undefined && !field['x-archived'])
}

function describeChanges(definition: ModuleDefinition, entry: HistoryEntry): string {
  if (entry.action !== 'update') return entry.action === 'create' ? 'Created' : entry.action
  return Object.entries(entry.changes)
    .filter(([name]) => definition.record.properties[name] !== undefined)
    .map(([name, [from, to]]) => {
      const field = definition.record.properties[name]
      return `${field.title}: ${formatValue(field, from) || '—'} → ${formatValue(field, to) || '—'}`
    })
    .join('; ')
}

/** The names of the users behind the entries; a user the role may not see keeps their number. */
async function namesOf(entries: HistoryEntry[]): Promise<Map<number, string>> {
  const ids = [...new Set(entries.map((entry) => entry.actor_id))].filter(
    (id): id is number => id !== null,
  )
  const names = new Map<number, string>()
  if (ids.length === 0) return names
  const users = await api.getModule('users').catch(() => undefined)
  await Promise.all(
    ids.map(async (id) => {
      const user = await api.getRecord('users', id).catch(() => undefined)
      if (user && users) names.set(id, recordTitleOf(users.definition, user))
    }),
  )

  return names
}

function numeric(field: FieldDefinition): boolean {
  return ['integer', 'decimal', 'currency', 'percent', 'computed'].includes(field['x-kind'])
}

customElements.define('crm-stage-history', CrmStageHistory)

declare global {
  interface HTMLElementTagNameMap {
    'crm-stage-history': CrmStageHistory
  }
}

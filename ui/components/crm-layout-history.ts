import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import {
  api,
  ApiError,
  type DefinitionDifference,
  type DefinitionVersionEntry,
  type LiveModule,
  type SchemaPlan,
} from '../api-client.ts'
import { describeChangeFailure, type ChangeFailure } from '../describe-change-failure.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-layout-plan.ts'

/** A change waiting for confirmation: restoring a version or importing a file. */
interface PendingChange {
  kind: 'restore' | 'import'
  module: string
  baseVersion: number
  /** The version to restore. */
  version?: number
  /** The imported definition. */
  definition?: ModuleDefinition
  plan: SchemaPlan
}

/**
 * The version history of a module for admins: who saved each version, when
 * and why; the differences between any two versions; restoring one (a dry
 * run first, then the change); exporting a version as JSON and importing a
 * definition file with its plan. Fires `crm-definition-changed` when the
 * module got a new version here.
 */
export class CrmLayoutHistory extends LitElement {
  static override properties = {
    module: {},
    live: { attribute: false },
    versions: { state: true },
    people: { state: true },
    diff: { state: true },
    pending: { state: true },
    failure: { state: true },
    notice: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .table-scroll {
        margin-bottom: 1rem;
      }
      .compare {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      .compare .field {
        display: grid;
        gap: 0.25rem;
        min-width: 9rem;
      }
      td,
      th {
        white-space: normal;
        vertical-align: top;
      }
      td code {
        display: block;
        max-height: 8rem;
        overflow: auto;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-size: 0.8rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      .added {
        color: var(--crm-ok);
      }
      .removed {
        color: var(--crm-danger);
      }
    `,
  ]

  /** The module whose history is shown. */
  declare module: string
  /** The module's live definition and version. */
  declare live: LiveModule | undefined
  declare versions: DefinitionVersionEntry[] | undefined
  declare people: Map<number, string>
  declare diff: { from: number; to: number; changes: DefinitionDifference[] } | undefined
  declare pending: PendingChange | undefined
  declare failure: ChangeFailure | undefined
  declare notice: { text: string; module: string } | undefined
  declare busy: boolean

  constructor() {
    super()
    this.module = ''
    this.people = new Map()
    this.busy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const version = changed.get('live')?.version
    if (changed.has('module') || (changed.has('live') && version !== this.live?.version)) {
      void this.#load()
    }
  }

  override render() {
    const label = this.live?.definition.label.plural ?? this.module

    return html`<section aria-labelledby="history-title">
      <h2 id="history-title">Version history of ${label}</h2>
      ${this.#renderFailure()}
      ${this.notice ? html`<p class="notice" role="status">${this.notice.text} <a href=${hrefOf({ screen: 'layout-editor', module: this.notice.module })}>Open its layout</a></p>` : nothing}
      ${this.pending ? this.#renderPending(this.pending) : nothing} ${this.#renderVersions()}
      ${this.#renderCompare()} ${this.#renderFiles()}
    </section>`
  }

  #renderFailure() {
    const failure = this.failure
    if (failure === undefined) return nothing

    return html`<div class="alert" role="alert">
      <p>${failure.message}</p>
      ${
        failure.issues.length > 0
          ? html`<ul>
              ${failure.issues.map((issue) => html`<li>${issue.message}</li>`)}
            </ul>`
          : nothing
      }
      ${failure.stale ? html`<button type="button" @click=${this.#reload}>Reload the history</button>` : nothing}
    </div>`
  }

  #renderPending(pending: PendingChange) {
    const heading =
      pending.kind === 'restore'
        ? `Restore version ${pending.version}`
        : `Import the definition of ${pending.definition?.label.plural ?? pending.module}`
    const applyLabel =
      pending.kind === 'restore'
        ? `Restore version ${pending.version}`
        : pending.baseVersion === 0
          ? `Create the module ${pending.module}`
          : 'Import as a new version'

    return html`<crm-layout-plan
      .plan=${pending.plan}
      .heading=${heading}
      .applyLabel=${applyLabel}
      ?busy=${this.busy}
      @crm-plan-apply=${this.#applyPending}
      @crm-plan-cancel=${() => (this.pending = undefined)}
    ></crm-layout-plan>`
  }

  #renderVersions() {
    const versions = this.versions
    if (versions === undefined) return html`<p role="status">Loading the versions…</p>`
    const current = this.live?.version

    return html`<div class="table-scroll" role="region" aria-label="Versions" tabindex="0">
      <table>
        <caption class="visually-hidden">
          Versions
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Saved</th>
            <th scope="col">By</th>
            <th scope="col">Note</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${[...versions].reverse().map(
            (entry) =>
              html`<tr>
                <th scope="row">${entry.version}${entry.version === current ? ' (live)' : ''}</th>
                <td>${formatWhen(entry.created_at)}</td>
                <td>${this.#personOf(entry.created_by)}</td>
                <td>${entry.note ?? ''}</td>
                <td class="actions">
                  <a
                    class="button"
                    href=${api.versionUrl(this.module, entry.version)}
                    download="${this.module}.v${entry.version}.json"
                  >
                    Export<span class="visually-hidden"> version ${entry.version}</span>
                  </a>
                  ${
                    entry.version === current
                      ? nothing
                      : html`<button
                          type="button"
                          ?disabled=${this.busy}
                          @click=${() => this.#planRestore(entry.version)}
                        >
                          Restore version ${entry.version}…
                        </button>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`
  }

  #renderCompare() {
    const versions = this.versions ?? []
    if (versions.length < 2) return nothing
    const latest = versions[versions.length - 1].version
    const options = (selected: number) =>
      versions.map(
        (entry) =>
          html`<option value=${entry.version} ?selected=${entry.version === selected}>
            Version ${entry.version}
          </option>`,
      )

    return html`<section class="panel" aria-labelledby="compare-title">
      <h3 id="compare-title">Compare two versions</h3>
      <form class="compare" @submit=${this.#compare}>
        <div class="field">
          <label for="from">From</label>
          <select id="from" name="from">
            ${options(versions[versions.length - 2].version)}
          </select>
        </div>
        <div class="field">
          <label for="to">To</label>
          <select id="to" name="to">
            ${options(latest)}
          </select>
        </div>
        <button type="submit">Compare</button>
      </form>
      ${this.diff ? this.#renderDiff(this.diff) : nothing}
    </section>`
  }

  #renderDiff(diff: { from: number; to: number; changes: DefinitionDifference[] }) {
    if (diff.changes.length === 0) {
      return html`<p role="status">Versions ${diff.from} and ${diff.to} are the same.</p>`
    }

    return html`<p role="status">
        ${diff.changes.length} ${diff.changes.length === 1 ? 'difference' : 'differences'} from
        version ${diff.from} to version ${diff.to}:
      </p>
      <div class="table-scroll" role="region" aria-label="Differences" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Change</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            ${diff.changes.map(
              (change) =>
                html`<tr>
                  <td><code>${change.path}</code></td>
                  <td class=${change.change}>${change.change}</td>
                  <td>
                    ${change.before === undefined ? '' : html`<code>${JSON.stringify(change.before, null, 1)}</code>`}
                  </td>
                  <td>
                    ${change.after === undefined ? '' : html`<code>${JSON.stringify(change.after, null, 1)}</code>`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
  }

  #renderFiles() {
    const version = this.live?.version

    return html`<section class="panel" aria-labelledby="files-title">
      <h3 id="files-title">Definition files</h3>
      <div class="toolbar">
        ${
          version === undefined
            ? nothing
            : html`<a
                class="button"
                href=${api.versionUrl(this.module, version)}
                download="${this.module}.v${version}.json"
                >Export definition (JSON)</a
              >`
        }
      </div>
      <label for="import">Import definition (a JSON file exported here or written by hand)</label>
      <input
        id="import"
        type="file"
        accept="application/json,.json"
        ?disabled=${this.busy}
        @change=${this.#import}
      />
      <p class="muted">
        The file's module name decides which module it changes; a module that does not exist yet is
        created. You see the plan before anything changes.
      </p>
    </section>`
  }

  #personOf(id: number | null): string {
    if (id === null) return 'the system'

    return this.people.get(id) ?? `user #${id}`
  }

  async #load(): Promise<void> {
    if (!this.module) return
    try {
      const [versions, users] = await Promise.all([
        api.listVersions(this.module),
        api.listRecords('users', { limit: 200 }).catch(() => ({ items: [] })),
      ])
      this.versions = versions.items
      this.people = new Map(
        users.items.map((user) => [
          user.id,
          String(user.full_name ?? user.username ?? `#${user.id}`),
        ]),
      )
    } catch (error) {
      this.failure = {
        message: `The versions could not be loaded: ${messageOf(error)}.`,
        issues: [],
        stale: false,
      }
    }
  }

  #reload = async () => {
    this.failure = undefined
    this.pending = undefined
    this.#changed(await api.getModule(this.module))
  }

  #compare = async (event: SubmitEvent) => {
    event.preventDefault()
    const data = new FormData(event.target as HTMLFormElement)
    const from = Number(data.get('from'))
    const to = Number(data.get('to'))
    await this.#run(async () => {
      const { changes } = await api.diffVersions(this.module, from, to)
      this.diff = { from, to, changes }
    })
  }

  async #planRestore(version: number): Promise<void> {
    const baseVersion = this.live!.version
    await this.#run(async () => {
      const plan = await api.restoreVersion(this.module, version, baseVersion, true)
      this.pending = { kind: 'restore', module: this.module, baseVersion, version, plan }
    })
  }

  #import = async (event: Event) => {
    const input = event.target as HTMLInputElement
    const file = input.files?.[0]
    if (file === undefined) return
    await this.#run(async () => {
      const definition = readDefinitionFile(await file.text(), file.name)
      const baseVersion = await currentVersionOf(definition.name)
      const plan = await api.planChange(definition.name, { baseVersion, definition })
      this.pending = { kind: 'import', module: definition.name, baseVersion, definition, plan }
    })
    input.value = ''
  }

  #applyPending = async (event: CustomEvent<{ note: string }>) => {
    const pending = this.pending!
    const note = event.detail.note || undefined
    await this.#run(async () => {
      const live =
        pending.kind === 'restore'
          ? await api.restoreVersion(pending.module, pending.version!, pending.baseVersion)
          : await api.applyChange(pending.module, {
              baseVersion: pending.baseVersion,
              definition: pending.definition,
              note,
            })
      this.pending = undefined
      if (live.name === this.module || pending.module === this.module) {
        this.#changed(await api.getModule(this.module))
      } else {
        this.notice = {
          text: `${pending.definition?.label.plural ?? pending.module} is now at version ${live.version}.`,
          module: pending.module,
        }
      }
    })
  }

  #changed(live: LiveModule): void {
    this.dispatchEvent(new CustomEvent('crm-definition-changed', { detail: { live } }))
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true
    this.failure = undefined
    this.notice = undefined
    try {
      await action()
    } catch (error) {
      this.failure = describeChangeFailure(error, this.live?.definition.label.plural ?? this.module)
    } finally {
      this.busy = false
    }
  }
}

/** The definition in an exported file (`{ definition }`) or a bare definition document. */
function readDefinitionFile(text: string, fileName: string): ModuleDefinition {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`“${fileName}” is not a JSON file`)
  }
  const wrapped = (parsed as { definition?: unknown })?.definition
  const definition = (
    typeof wrapped === 'object' && wrapped !== null ? wrapped : parsed
  ) as ModuleDefinition
  if (typeof definition?.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(definition.name)) {
    throw new Error(`“${fileName}” holds no module definition with a "name"`)
  }

  return definition
}

/** The live version of a module, or 0 when it does not exist yet (an import then creates it). */
async function currentVersionOf(module: string): Promise<number> {
  try {
    return (await api.getModule(module)).version
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return 0
    throw error
  }
}

function formatWhen(text: string): string {
  const date = new Date(text)
  if (Number.isNaN(date.getTime())) return text

  return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
}

customElements.define('crm-layout-history', CrmLayoutHistory)

declare global {
  interface HTMLElementTagNameMap {
    'crm-layout-history': CrmLayoutHistory
  }
}

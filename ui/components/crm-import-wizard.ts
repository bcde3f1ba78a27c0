import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { api, type LiveModule } from '../api-client.ts'
import { targetModuleOf, visibleFields } from '../field-values.ts'
import {
  checkImport,
  getImportJob,
  listMappings,
  refusedRowsHref,
  resumeImportJob,
  saveMapping,
  startImport,
  undoImportJob,
  type ImportJob,
  type ImportReport,
  type SavedMapping,
  type WizardOptions,
} from '../import-api.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-recent-imports.ts'
import { renderUndoConfirm, undoConfirmStyles } from './render-undo-confirm.ts'

type Step = 'upload' | 'check' | 'run'

/** How often a running job is asked for its progress. */
const POLL_MS = 400
const SHOWN_ERRORS = 200

/**
 * The CSV import of one module in three steps: choose the file and its
 * format; check it (a dry run: the columns and the fields they fill, the
 * first rows with raw and parsed values side by side, what would be created,
 * updated, skipped or refused and why, per row), with the mapping changed and
 * saved by name; then run it as a job with a progress bar, and see the
 * result with the refused rows to download and an undo.
 */
export class CrmImportWizard extends LitElement {
  static override properties = {
    module: {},
    live: { state: true },
    step: { state: true },
    file: { state: true },
    options: { state: true },
    mappings: { state: true },
    report: { state: true },
    job: { state: true },
    busy: { state: true },
    problem: { state: true },
    notice: { state: true },
    confirmingUndo: { state: true },
  }

  static override styles = [
    sharedStyles,
    undoConfirmStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .grid label {
        display: grid;
        gap: 0.25rem;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        margin-bottom: 1rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 0.5rem;
        border-bottom: 1px solid var(--crm-border);
        vertical-align: top;
      }
      .raw {
        color: var(--crm-muted);
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      .counts strong {
        font-size: 1.25rem;
        display: block;
      }
      progress {
        width: 100%;
        height: 1.5rem;
      }
      .warning {
        padding: 0.5rem 0.75rem;
        border-left: 4px solid #c27c00;
        background: #fff6e0;
        margin-bottom: 0.5rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
    `,
  ]

  /** The module's machine name. */
  declare module: string
  declare live: LiveModule | undefined
  declare step: Step
  declare file: File | undefined
  declare options: WizardOptions
  declare mappings: SavedMapping[]
  declare report: ImportReport | undefined
  declare job: ImportJob | undefined
  declare busy: boolean
  declare problem: string
  declare notice: string
  /** True while the undo of the job waits for confirmation. */
  declare confirmingUndo: boolean
  #polling: ReturnType<typeof setTimeout> | undefined

  constructor() {
    super()
    this.module = ''
    this.step = 'upload'
    this.options = {}
    this.mappings = []
    this.busy = false
    this.problem = ''
    this.notice = ''
    this.confirmingUndo = false
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearTimeout(this.#polling)
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('module') || !this.module) return
    this.live = undefined
    api.getModule(this.module).then(
      (live) => (this.live = live),
      (error) => (this.problem = messageOf(error)),
    )
    listMappings(this.module).then(
      (items) => (this.mappings = items),
      () => (this.mappings = []),
    )
  }

  override render() {
    const live = this.live
    if (!live && this.problem) {
      return html`<div class="alert" role="alert">
        The import could not be opened: ${this.problem}. Choose a module in the navigation.
      </div>`
    }
    if (!live) return html`<p role="status">Loading…</p>`

    return html`
      <h1>Import ${live.definition.label.plural}</h1>
      <p><a href=${hrefOf({ screen: 'list', module: this.module })}>Back to the list</a></p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
      ${this.step === 'upload' ? this.#renderUpload() : nothing}
      ${this.step === 'check' ? this.#renderCheck() : nothing}
      ${this.step === 'run' ? this.#renderJob() : nothing}
    `
  }

  #renderUpload() {
    return html`<form class="panel" @submit=${this.#check}>
      <h2>1. Choose the file</h2>
      <div class="grid">
        <label
          >CSV file
          <input
            type="file"
            name="file"
            accept=".csv,text/csv,text/plain"
            required
            @change=${this.#pick}
        /></label>
        <label
          >Encoding
          <select name="encoding" @change=${this.#set('encoding')}>
            <option value="auto">Detect</option>
            <option value="utf-8">UTF-8</option>
            <option value="windows-1252">Windows-1252 / Latin-1</option>
          </select>
        </label>
        <label
          >Delimiter
          <select name="delimiter" @change=${this.#set('delimiter')}>
            <option value="">Detect</option>
            <option value=",">Comma</option>
            <option value=";">Semicolon</option>
            <option value="	">Tab</option>
          </select>
        </label>
        <label
          >Decimal mark
          <select name="decimalMark" @change=${this.#set('decimalMark')}>
            <option value=".">1,234.56</option>
            <option value=",">1.234,56</option>
          </select>
        </label>
        <label
          >Dates
          <select name="dateOrder" @change=${this.#set('dateOrder')}>
            <option value="YMD">2026-12-31</option>
            <option value="DMY">31.12.2026</option>
            <option value="MDY">12/31/2026</option>
          </select>
        </label>
        ${
          this.mappings.length === 0
            ? nothing
            : html`<label
                >Saved mapping
                <select name="mappingName" @change=${this.#set('mappingName')}>
                  <option value="">None</option>
                  ${this.mappings.map((item) => html`<option value=${item.name}>${item.name}</option>`)}
                </select>
              </label>`
        }
      </div>
      <button class="primary" type="submit" ?disabled=${this.busy || !this.file}>
        Check the file
      </button>
    </form>
    <crm-recent-imports
      .module=${this.module}
      .label=${this.live!.definition.label.plural}
    ></crm-recent-imports>`
  }

  #renderCheck() {
    const report = this.report!
    const counts = report.checkedCounts ?? report.counts
    const blocking = report.warnings.filter((warning) => warning.blocking)

    return html`<section class="panel" aria-labelledby="check-heading">
        <h2 id="check-heading">2. Check the columns and the values</h2>
        <p class="muted">
          Nothing has been written yet. ${this.file?.name}: ${report.encoding}, delimiter
          “${report.delimiter === '\t' ? 'tab' : report.delimiter}”.
        </p>
        <ul class="counts" aria-label="What the import would do">
          <li><strong>${counts.rows}</strong>rows</li>
          <li><strong>${counts.created}</strong>to create</li>
          <li><strong>${counts.updated}</strong>to update</li>
          <li><strong>${counts.skipped}</strong>to skip</li>
          <li><strong>${counts.refused}</strong>refused</li>
        </ul>
        ${report.warnings.map(
          (warning) =>
            html`<p class="warning">
              ${warning.blocking ? 'Check this first: ' : ''}${warning.message}
            </p>`,
        )}
        ${this.#renderMapping(report)} ${this.#renderPreview(report)} ${this.#renderErrors(report)}
        ${this.#renderNotices(report)}
        <div class="actions">
          <button type="button" @click=${this.#check} ?disabled=${this.busy}>Check again</button>
          <label class="actions"
            ><span>Save this mapping as</span>
            <input
              name="mapping-name"
              style="width: 12rem"
              .value=${this.options.mappingName ?? ''}
            />
          </label>
          <button type="button" @click=${this.#save} ?disabled=${this.busy}>Save mapping</button>
        </div>
      </section>
      <section class="panel">
        <h2>3. Import</h2>
        ${
          blocking.length > 0
            ? html`<label class="actions"
                ><input
                  type="checkbox"
                  .checked=${this.options.acceptWarnings === true}
                  @change=${(event: Event) =>
                    (this.options = {
                      ...this.options,
                      acceptWarnings: (event.target as HTMLInputElement).checked,
                    })}
                />
                Import anyway: I checked the warnings above</label
              >`
            : nothing
        }
        <div class="actions">
          <button
            class="primary"
            type="button"
            @click=${this.#run}
            ?disabled=${this.busy || (blocking.length > 0 && !this.options.acceptWarnings)}
          >
            ${counts.refused > 0
              ? `Import ${counts.rows - counts.refused} of ${counts.rows} rows (${counts.refused} refused)`
              : `Import ${counts.rows} rows`}
          </button>
          <button type="button" @click=${() => (this.step = 'upload')}>Choose another file</button>
        </div>
      </section>`
  }

  #renderMapping(report: ImportReport) {
    const fields = visibleFields(this.live!.definition)

    return html`<table aria-label="Columns">
      <thead>
        <tr>
          <th>Column of the file</th>
          <th>Field</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        ${report.columns.map(
          (column) =>
            html`<tr>
              <td>${column.header}</td>
              <td>
                <select
                  aria-label="Field for ${column.header}"
                  @change=${(event: Event) => this.#map(column.header, (event.target as HTMLSelectElement).value)}
                >
                  <option value="" ?selected=${column.field === null}>Not imported</option>
                  ${fields.map(
                    ([name, field]) =>
                      html`<option value=${name} ?selected=${column.field === name}>
                        ${field.title}
                      </option>`,
                  )}
                </select>
              </td>
              <td class="muted">
                ${column.relation ? `links ${column.relation}` : (column.note ?? '')}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`
  }

  #renderPreview(report: ImportReport) {
    if (report.preview.length === 0) return nothing
    const fields = [...new Set(report.preview.flatMap((row) => Object.keys(row.values)))]
    const titles = this.live!.definition.record.properties

    return html`<h3>The first rows as they would be stored</h3>
      <div class="table-scroll">
        <table aria-label="Preview">
          <thead>
            <tr>
              <th>Line</th>
              ${fields.map((name) => html`<th>${titles[name]?.title ?? name}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${report.preview.map(
              (row) =>
                html`<tr>
                  <td>${row.row}</td>
                  ${fields.map((name) => {
                    const cell = row.values[name]
                    if (!cell) return html`<td></td>`

                    // A related record shows by the name the row gave, not by its internal id.
                    const linked = typeof cell.value === 'number' && targetModuleOf(titles[name]) !== undefined

                    return html`<td>
                      <div>
                        ${cell.error
                          ? html`<span class="error">${cell.error}</span>`
                          : linked
                            ? html`found: ${cell.raw.trim()}`
                            : shown(cell.value)}
                      </div>
                      <div class="raw">from “${cell.raw}”</div>
                    </td>`
                  })}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
  }

  /** Rows that import with something to confirm: a skip, an unchanged match, a cleared field. */
  #renderNotices(report: ImportReport) {
    if (report.notices.length === 0) return nothing

    return html`<h3>Notes on rows</h3>
      <table aria-label="Notes on rows">
        <thead>
          <tr>
            <th>Line</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          ${report.notices.slice(0, SHOWN_ERRORS).map(
            (notice) =>
              html`<tr>
                <td>${notice.row}</td>
                <td>${notice.column ? `${notice.column}: ` : ''}${notice.message}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
  }

  #renderErrors(report: ImportReport) {
    if (report.errors.length === 0) return nothing

    return html`<h3>Refused rows</h3>
      <table aria-label="Refused rows">
        <thead>
          <tr>
            <th>Line</th>
            <th>Column</th>
            <th>Value</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          ${report.errors.slice(0, SHOWN_ERRORS).map(
            (error) =>
              html`<tr>
                <td>${error.row}</td>
                <td>${error.column ?? ''}</td>
                <td>${error.value ?? ''}</td>
                <td>${error.message}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        report.counts.refused > SHOWN_ERRORS
          ? html`<p class="muted">
              The first ${SHOWN_ERRORS} of ${report.counts.refused} are shown.
            </p>`
          : nothing
      }`
  }

  #renderJob() {
    const job = this.job
    if (!job) return html`<p role="status">Starting the import…</p>`
    const { progress } = job
    const working = job.status === 'running' || job.status === 'undoing'

    return html`<section class="panel" aria-labelledby="job-heading">
      <h2 id="job-heading">${headingOf(job)}</h2>
      ${
        job.status === 'running'
          ? html`<progress
              aria-label="Import progress"
              max=${Math.max(progress.totalBytes, 1)}
              value=${progress.bytesRead}
            ></progress>`
          : nothing
      }
      <ul class="counts" aria-label="Import counts">
        <li><strong>${progress.rows}</strong>rows read</li>
        <li><strong>${progress.created}</strong>created</li>
        <li><strong>${progress.updated}</strong>updated</li>
        <li><strong>${progress.skipped}</strong>skipped</li>
        <li><strong>${progress.refused}</strong>refused</li>
      </ul>
      ${job.error ? html`<div class="alert" role="alert">${job.error.message}</div>` : nothing}
      ${job.result && !working ? this.#renderErrors(job.result) : nothing}
      ${
        job.status === 'interrupted'
          ? html`<p>
              The server stopped during the import; rows up to line ${progress.lastLine} are in.
            </p>`
          : nothing
      }
      ${
        job.undo && job.status === 'undone'
          ? html`<p>
              Undone: ${job.undo.removed ?? 0} records moved to the recycle bin,
              ${job.undo.restored ?? 0} given their previous values
              back${(job.undo.unlinked ?? 0) > 0 ? `, ${job.undo.unlinked} added links removed` : ''}${
                (job.undo.skipped?.length ?? 0) > 0
                  ? `, ${job.undo.skipped!.length} left alone because they changed since`
                  : ''
              }.
            </p>`
          : nothing
      }
      <div class="actions">
        ${
          progress.refused > 0 && !working
            ? html`<a class="button" href=${refusedRowsHref(job.id)} download
                >Download the refused rows</a
              >`
            : nothing
        }
        ${
          job.canResume
            ? html`<button type="button" @click=${this.#resume} ?disabled=${this.busy}>
                Resume
              </button>`
            : nothing
        }
        ${
          job.canUndo && this.confirmingUndo
            ? renderUndoConfirm({
                name: `${job.file?.name ?? 'the file'} (import ${job.id})`,
                busy: this.busy,
                confirm: this.#undo,
                cancel: () => this.#askUndo(false),
              })
            : nothing
        }
        ${
          job.canUndo && !this.confirmingUndo
            ? html`<button
                class="undo"
                type="button"
                @click=${() => this.#askUndo(true)}
                ?disabled=${this.busy}
              >
                Undo this import
              </button>`
            : nothing
        }
        ${
          working
            ? nothing
            : html`<a class="button" href=${hrefOf({ screen: 'list', module: this.module })}
                  >Open the list</a
                >
                <button type="button" @click=${this.#restart}>Import another file</button>`
        }
      </div>
    </section>`
  }

  #pick = (event: Event) => {
    this.file = (event.target as HTMLInputElement).files?.[0]
  }

  #set(name: 'encoding' | 'delimiter' | 'decimalMark' | 'dateOrder' | 'mappingName') {
    return (event: Event) => {
      const value = (event.target as HTMLSelectElement).value
      const next: Record<string, unknown> = { ...this.options, [name]: value }
      if (value === '' || (name === 'encoding' && value === 'auto')) delete next[name]
      this.options = next as WizardOptions
    }
  }

  #map(header: string, field: string) {
    this.options = {
      ...this.options,
      mapping: { ...this.options.mapping, [header]: { field: field === '' ? null : field } },
    }
  }

  #check = async (event?: Event) => {
    event?.preventDefault()
    if (!this.file) return
    await this.#work(async () => {
      const { result } = await checkImport(this.module, this.file!, this.options)
      this.report = result
      this.step = 'check'
    })
  }

  #save = async () => {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="mapping-name"]')
    const name = input?.value.trim() ?? ''
    if (name === '') {
      this.problem = 'Give the mapping a name to save it.'

      return
    }
    await this.#work(async () => {
      const { mappingName: _name, acceptWarnings: _accept, ...options } = this.options
      await saveMapping(this.module, name, options)
      this.mappings = await listMappings(this.module)
      this.notice = `The mapping “${name}” is saved; choose it for the next file.`
    })
  }

  #run = async () => {
    await this.#work(async () => {
      this.job = await startImport(this.module, this.file!, this.options)
      this.step = 'run'
      this.#poll()
    })
  }

  /** Asks before undoing or stops asking, with the focus on the question or back on Undo. */
  async #askUndo(ask: boolean) {
    this.confirmingUndo = ask
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>(ask ? '.confirm button' : 'button.undo')?.focus()
  }

  #undo = async () => {
    await this.#work(async () => {
      this.job = await undoImportJob(this.job!.id)
      this.confirmingUndo = false
      this.#poll()
    })
  }

  #resume = async () => {
    await this.#work(async () => {
      this.job = await resumeImportJob(this.job!.id)
      this.#poll()
    })
  }

  #restart = () => {
    this.step = 'upload'
    this.file = undefined
    this.report = undefined
    this.job = undefined
    this.notice = ''
    this.confirmingUndo = false
  }

  /** Asks for the job's progress until it is no longer working. */
  #poll() {
    clearTimeout(this.#polling)
    this.#polling = setTimeout(async () => {
      try {
        this.job = await getImportJob(this.job!.id)
      } catch (error) {
        this.problem = messageOf(error)

        return
      }
      if (this.job.status === 'running' || this.job.status === 'undoing') this.#poll()
    }, POLL_MS)
  }

  async #work(work: () => Promise<void>): Promise<void> {
    this.busy = true
    this.problem = ''
    this.notice = ''
    try {
      await work()
    } catch (error) {
      this.problem = messageOf(error)
    } finally {
      this.busy = false
    }
  }
}

function headingOf(job: ImportJob): string {
  switch (job.status) {
    case 'running':
      return `Importing ${job.file?.name ?? 'the file'}…`
    case 'finished':
      return 'The import is done'
    case 'stopped':
      return 'The import stopped before writing anything'
    case 'failed':
      return 'The import failed'
    case 'interrupted':
      return 'The import was interrupted'
    case 'undoing':
      return 'Undoing the import…'
    case 'undone':
      return 'The import was undone'
  }
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return '(empty)'

  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

customElements.define('crm-import-wizard', CrmImportWizard)

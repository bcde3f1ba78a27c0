import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import {
  getImportJob,
  listImportJobs,
  refusedRowsHref,
  resumeImportJob,
  undoImportJob,
  type ImportJob,
  type ListedImportJob,
} from '../import-api.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import { renderUndoConfirm, undoConfirmStyles } from './render-undo-confirm.ts'

/** How often running jobs are asked for their progress: as often as the wizard asks for its own. */
const POLL_MS = 400

/**
 * The module's recent import jobs under the wizard's first step, so that a
 * job stays reachable once its wizard was left: each with its file, when and
 * by whom it ran, its status and counts, and what it allows: download the
 * refused rows, resume, undo (after a confirmation). Running jobs show their
 * progress until they end.
 */
export class CrmRecentImports extends LitElement {
  static override properties = {
    module: {},
    label: {},
    jobs: { state: true },
    problem: { state: true },
    notice: { state: true },
    confirming: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    undoConfirmStyles,
    css`
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      td.count {
        text-align: right;
      }
      progress {
        width: 8rem;
      }
    `,
  ]

  /** The module's machine name. */
  declare module: string
  /** The module's plural label, for the empty state. */
  declare label: string
  declare jobs: ListedImportJob[] | undefined
  declare problem: string
  declare notice: string
  /** The job whose undo waits for confirmation. */
  declare confirming: number | undefined
  declare busy: boolean
  #polling: ReturnType<typeof setTimeout> | undefined

  constructor() {
    super()
    this.module = ''
    this.label = ''
    this.problem = ''
    this.notice = ''
    this.busy = false
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearTimeout(this.#polling)
  }

  // TODO(#4): only the 20 newest jobs show, with no way to older ones; the progress of a running
  // job and Resume are not covered by a browser test yet (a small file ends before it is listed).
  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('module') || !this.module) return
    this.jobs = undefined
    listImportJobs(this.module).then(
      (jobs) => {
        this.jobs = jobs
        this.#poll()
      },
      (error) => {
        this.jobs = []
        this.problem = `The recent imports could not be read: ${messageOf(error)}`
      },
    )
  }

  override render() {
    return html`<section class="panel" aria-labelledby="recent-imports-heading">
      <h2 id="recent-imports-heading">Recent imports</h2>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <div role="status">${this.notice}</div>
      ${this.#renderJobs()}
    </section>`
  }

  #renderJobs() {
    if (this.jobs === undefined) return html`<p class="muted">Reading the recent imports…</p>`
    if (this.jobs.length === 0) return html`<p>No imports into ${this.label} yet.</p>`

    return html`<div class="table-scroll">
      <table aria-labelledby="recent-imports-heading">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">When</th>
            <th scope="col">By</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Updated</th>
            <th scope="col">Skipped</th>
            <th scope="col">Refused</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          ${this.jobs.map((job) => this.#renderJob(job))}
        </tbody>
      </table>
    </div>`
  }

  #renderJob(job: ListedImportJob) {
    const { progress } = job
    const name = nameOf(job)

    return html`<tr>
      <th scope="row">${job.file?.name ?? `Import ${job.id}`}</th>
      <td><time datetime=${job.createdAt}>${whenOf(job.createdAt)}</time></td>
      <td>${job.createdByName ?? ''}</td>
      <td>${this.#renderStatus(job, name)}</td>
      <td class="count">${progress.created}</td>
      <td class="count">${progress.updated}</td>
      <td class="count">${progress.skipped}</td>
      <td class="count">${progress.refused}</td>
      <td>${this.#renderActions(job, name)}</td>
    </tr>
    ${
      // A row of its own under the job: in the actions cell the question widened the table.
      this.confirming === job.id
        ? html`<tr>
            <td colspan="9">
              ${renderUndoConfirm({
                name,
                busy: this.busy,
                confirm: () => this.#undo(job),
                cancel: () => this.#cancel(job),
              })}
            </td>
          </tr>`
        : nothing
    }`
  }

  #renderStatus(job: ListedImportJob, name: string) {
    const { progress } = job
    if (job.status === 'running') {
      return html`Running
        <progress
          aria-label="Progress of ${name}"
          max=${Math.max(progress.totalBytes, 1)}
          value=${progress.bytesRead}
        ></progress>`
    }
    if (job.status === 'undoing') return `Undoing: ${job.undo?.done ?? 0} records taken back`
    if (job.undo?.error) return `${STATUS[job.status]}; the undo failed: ${job.undo.error}`
    if (job.status === 'failed') return `Failed: ${job.error?.message ?? 'see the server log'}`
    if (job.status === 'interrupted') return `Interrupted after line ${progress.lastLine}`

    return STATUS[job.status]
  }

  #renderActions(job: ListedImportJob, name: string) {
    const working = isWorking(job)

    return html`<div class="actions">
      ${
        job.progress.refused > 0 && !working
          ? html`<a
              class="button"
              href=${refusedRowsHref(job.id)}
              download
              aria-label="Download the refused rows of ${name}"
              >Refused rows</a
            >`
          : nothing
      }
      ${
        job.canResume
          ? html`<button
              type="button"
              aria-label="Resume ${name}"
              ?disabled=${this.busy}
              @click=${() => this.#resume(job)}
            >
              Resume
            </button>`
          : nothing
      }
      ${
        job.canUndo && this.confirming !== job.id
          ? html`<button
              type="button"
              data-undo=${job.id}
              aria-label="Undo ${name}"
              ?disabled=${this.busy}
              @click=${() => this.#ask(job)}
            >
              Undo
            </button>`
          : nothing
      }
    </div>`
  }

  async #ask(job: ListedImportJob) {
    this.confirming = job.id
    this.notice = ''
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('.confirm button')?.focus()
  }

  /** Back to the Undo button the question came from, so the keyboard does not lose its place. */
  async #cancel(job: ListedImportJob) {
    this.confirming = undefined
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>(`button[data-undo="${job.id}"]`)?.focus()
  }

  async #undo(job: ListedImportJob) {
    await this.#act(job, () => undoImportJob(job.id), `Undoing ${nameOf(job)}…`)
  }

  async #resume(job: ListedImportJob) {
    await this.#act(job, () => resumeImportJob(job.id), `Resuming ${nameOf(job)}…`)
  }

  async #act(job: ListedImportJob, work: () => Promise<unknown>, notice: string) {
    this.busy = true
    this.problem = ''
    try {
      await work()
      this.confirming = undefined
      const fresh = await this.#refresh(job.id)
      // A small job can be done by the time it is read again.
      this.notice = isWorking(fresh) ? notice : endedNotice(fresh)
      this.#poll()
    } catch (error) {
      this.problem = `${nameOf(job)}: ${messageOf(error)}`
    } finally {
      this.busy = false
    }
  }

  /** Reads one job again, keeping the name of who started it. */
  async #refresh(id: number): Promise<ImportJob> {
    const fresh = await getImportJob(id)
    this.jobs = this.jobs?.map((job) =>
      job.id === id ? { ...fresh, createdByName: job.createdByName } : job,
    )

    return fresh
  }

  /** Asks for the progress of the jobs still working, one by one, until none is. */
  #poll() {
    clearTimeout(this.#polling)
    const working = (this.jobs ?? []).filter(isWorking)
    if (working.length === 0) return
    this.#polling = setTimeout(async () => {
      try {
        for (const job of working) {
          const fresh = await this.#refresh(job.id)
          // Says when a job ends, for those who cannot see its row change.
          if (!isWorking(fresh)) this.notice = endedNotice(fresh)
        }
      } catch (error) {
        this.problem = `The progress could not be read: ${messageOf(error)}`

        return
      }
      this.#poll()
    }, POLL_MS)
  }
}

const STATUS: Record<ListedImportJob['status'], string> = {
  running: 'Running',
  finished: 'Done',
  failed: 'Failed',
  stopped: 'Stopped before writing anything',
  interrupted: 'Interrupted',
  undoing: 'Undoing',
  undone: 'Undone',
}

/** Names the job in buttons and questions, so that each says which import it acts on. */
function nameOf(job: ImportJob): string {
  return `${job.file?.name ?? 'the file'} (import ${job.id})`
}

function isWorking(job: ImportJob): boolean {
  return job.status === 'running' || job.status === 'undoing'
}

function endedNotice(job: ImportJob): string {
  return `${nameOf(job)}: ${STATUS[job.status].toLowerCase()}.`
}

function whenOf(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
}

customElements.define('crm-recent-imports', CrmRecentImports)

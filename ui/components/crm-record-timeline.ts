import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { live } from 'lit/directives/live.js'
import {
  api,
  ApiError,
  type Issue,
  type LiveModule,
  type TimelineItem,
} from '../api-client.ts'
import { formatCount, formatWhen } from '../format-when.ts'
import { fieldOfIssue, messageFor } from '../issue-field.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'
import type { FieldChangeDetail } from './crm-field-input.ts'
import './crm-field-input.ts'

const PAGE_SIZE = 10
/** The module whose records are the calls, meetings and e-mails logged against a record. */
const ACTIVITIES = 'activities'

const KIND_LABELS: Record<string, string> = {
  comment: 'Comment',
  activity: 'Activity',
  document: 'Document',
  change: 'Change',
}

/**
 * A record's timeline: comments, activities and documents linked to it and
 * its changes, newest first and paged, with a comment box, a file upload and
 * a form that logs an activity against the record (through the activities
 * module's parent-link fields). Every value is shown as text.
 */
export class CrmRecordTimeline extends LitElement {
  static override properties = {
    module: {},
    recordId: { type: Number },
    revision: { type: Number },
    page: { state: true },
    offset: { state: true },
    problem: { state: true },
    comment: { state: true },
    commentError: { state: true },
    commentBusy: { state: true },
    upload: { state: true },
    uploadBusy: { state: true },
    activities: { state: true },
    activityOpen: { state: true },
    activity: { state: true },
    activityIssues: { state: true },
    activityBusy: { state: true },
    done: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      .composer {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        margin-bottom: 1rem;
      }
      .composer form {
        display: grid;
        gap: 0.4rem;
        align-content: start;
      }
      .composer .row {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        align-items: center;
      }
      .activity {
        display: grid;
        gap: 0.75rem 1rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        margin-bottom: 1rem;
      }
      .activity .row {
        grid-column: 1 / -1;
        display: flex;
        gap: 0.5rem;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li.entry {
        border-left: 3px solid var(--crm-border);
        padding: 0.35rem 0 0.6rem 0.75rem;
        margin-bottom: 0.5rem;
      }
      li.entry[data-kind='comment'] {
        border-left-color: var(--crm-accent);
      }
      li.entry[data-kind='activity'] {
        border-left-color: #7a4fb5;
      }
      li.entry[data-kind='document'] {
        border-left-color: var(--crm-ok);
      }
      .meta {
        color: var(--crm-muted);
        font-size: 0.9rem;
      }
      .kind {
        font-weight: 600;
        margin-right: 0.4rem;
      }
      .body {
        margin: 0.25rem 0 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .pager {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      .pager output {
        margin-right: auto;
      }
    `,
  ]

  /** The module of the record. */
  declare module: string
  declare recordId: number
  /** The record's version: when it changes, the timeline reloads its first page. */
  declare revision: number | undefined
  declare page: { items: TimelineItem[]; total: number } | undefined
  declare offset: number
  declare problem: string | undefined
  declare comment: string
  declare commentError: string | undefined
  declare commentBusy: boolean
  /** What the last upload said: a problem, or the name of the file attached. */
  declare upload: { ok: boolean; text: string } | undefined
  declare uploadBusy: boolean
  /** The activities module, when the user may create activities. */
  declare activities: LiveModule | undefined
  declare activityOpen: boolean
  declare activity: Record<string, unknown>
  declare activityIssues: Issue[]
  declare activityBusy: boolean
  /** The last thing added, announced to screen readers. */
  declare done: string | undefined

  #request = 0

  constructor() {
    super()
    this.module = ''
    this.recordId = 0
    this.offset = 0
    this.comment = ''
    this.commentBusy = false
    this.uploadBusy = false
    this.activityOpen = false
    this.activity = {}
    this.activityIssues = []
    this.activityBusy = false
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!this.module || !this.recordId) return
    if (changed.has('module') || changed.has('recordId')) {
      void this.#loadActivities()
      void this.#load(0)
    } else if (changed.has('revision') && changed.get('revision') !== undefined) {
      void this.#load(0)
    }
  }

  override render() {
    return html`<section class="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <div class="composer">${this.#renderComment()} ${this.#renderUpload()}</div>
      ${this.#renderActivity()}
      <p class="visually-hidden" role="status">${this.done ?? ''}</p>
      ${this.#renderEntries()}
    </section>`
  }

  #renderComment() {
    return html`<form @submit=${this.#addComment} aria-label="Add a comment">
      <label for="comment">Comment</label>
      <textarea
        id="comment"
        rows="3"
        maxlength="10000"
        aria-invalid=${this.commentError ? 'true' : 'false'}
        aria-describedby=${this.commentError ? 'comment-error' : nothing}
        .value=${live(this.comment)}
        @input=${(event: Event) => (this.comment = (event.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${this.commentError
        ? html`<p id="comment-error" class="error">${this.commentError}</p>`
        : nothing}
      <div class="row">
        <button type="submit" ?disabled=${this.commentBusy}>
          ${this.commentBusy ? 'Adding…' : 'Add comment'}
        </button>
      </div>
    </form>`
  }

  #renderUpload() {
    return html`<form @submit=${this.#upload} aria-label="Upload a document">
      <label for="file">Attach a file</label>
      <input id="file" name="file" type="file" aria-describedby="upload-note" />
      <p id="upload-note" class=${this.upload && !this.upload.ok ? 'error' : 'muted'} role="status">
        ${this.upload?.text ?? 'The file is kept as a document of this record.'}
      </p>
      <div class="row">
        <button type="submit" ?disabled=${this.uploadBusy}>
          ${this.uploadBusy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
    </form>`
  }

  #renderActivity() {
    const activities = this.activities
    if (activities === undefined) return nothing
    const label = activities.definition.label.singular
    if (!this.activityOpen) {
      return html`<p>
        <button type="button" @click=${this.#openActivity}>Log ${article(label)} ${label.toLowerCase()}</button>
      </p>`
    }
    const fields = activityFields(activities)
    const elsewhere = this.activityIssues.filter(
      (issue) => !fields.includes(fieldOfIssue(issue) ?? ''),
    )

    return html`<form class="activity" @submit=${this.#logActivity} aria-label="Log ${article(label)} ${label.toLowerCase()}">
      ${elsewhere.length > 0
        ? html`<div class="alert row" role="alert">
            ${elsewhere.map((issue) => issue.message).join('; ')}
          </div>`
        : nothing}
      ${fields.map((name) => {
        const field = activities.definition.record.properties[name]

        return html`<crm-field-input
          data-field=${name}
          .name=${name}
          .field=${field}
          .value=${this.activity[name] ?? null}
          .error=${messageFor(this.activityIssues, name)}
          ?required=${(activities.definition.record.required ?? []).includes(name)}
          @crm-field-change=${(event: CustomEvent<FieldChangeDetail>) =>
            (this.activity = { ...this.activity, [name]: event.detail.value })}
        ></crm-field-input>`
      })}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.activityBusy}>
          ${this.activityBusy ? 'Saving…' : `Save ${label.toLowerCase()}`}
        </button>
        <button type="button" @click=${() => (this.activityOpen = false)}>Cancel</button>
      </div>
    </form>`
  }

  #renderEntries() {
    if (this.problem) return html`<div class="alert" role="alert">${this.problem}</div>`
    const page = this.page
    if (page === undefined) return html`<p role="status">Loading the timeline…</p>`
    if (page.total === 0) {
      return html`<p class="muted">Nothing has happened here yet. Add a comment to start.</p>`
    }
    const last = this.offset + page.items.length

    return html`<ol aria-label="Timeline entries">
        ${page.items.map((item) => this.#renderEntry(item))}
      </ol>
      ${page.total > PAGE_SIZE
        ? html`<div class="pager">
            <output>${formatCount(this.offset + 1)}–${formatCount(last)} of ${formatCount(page.total)}</output>
            <button
              type="button"
              ?disabled=${this.offset === 0}
              @click=${() => this.#load(this.offset - PAGE_SIZE)}
            >
              Newer entries
            </button>
            <button
              type="button"
              ?disabled=${last >= page.total}
              @click=${() => this.#load(this.offset + PAGE_SIZE)}
            >
              Older entries
            </button>
          </div>`
        : nothing}`
  }

  #renderEntry(item: TimelineItem) {
    const kind = KIND_LABELS[item.kind] ?? item.kind

    return html`<li class="entry" data-kind=${item.kind}>
      <div>
        <span class="kind">${kind}</span>${item.title === kind ? nothing : this.#renderTitle(item)}
      </div>
      <div class="meta">
        <time datetime=${item.at}>${formatWhen(item.at)}</time>${item.by
          ? ` · ${item.by.name}`
          : ''}
      </div>
      ${item.body ? html`<p class="body">${item.body}</p>` : nothing}
    </li>`
  }

  #renderTitle(item: TimelineItem) {
    // A document's link is its file: always sent as an attachment, so the browser downloads it.
    if (item.kind === 'document' && item.link?.startsWith('/api/')) {
      return html`<a href=${item.link} download>${item.title}</a>`
    }
    if (item.record) {
      const href = hrefOf({ screen: 'detail', module: item.record.module, id: item.record.id })
      return html`<a href=${href}>${item.title}</a>`
    }

    return html`<span>${item.title}</span>`
  }

  async #load(offset: number): Promise<void> {
    const number = ++this.#request
    const start = Math.max(0, offset)
    try {
      const page = await api.getTimeline(this.module, this.recordId, {
        limit: PAGE_SIZE,
        offset: start,
      })
      if (number !== this.#request) return
      this.page = page
      this.offset = start
      this.problem = undefined
    } catch (error) {
      if (number !== this.#request) return
      this.problem = `The timeline could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }

  async #loadActivities(): Promise<void> {
    try {
      const live = await api.getModule(ACTIVITIES)
      const link = live.definition.behaviours?.parentLink
      this.activities = link && live.permission?.create !== false ? live : undefined
    } catch {
      // No activities module, or the role does not see it: no form to log one.
      this.activities = undefined
    }
  }

  #addComment = async (event: SubmitEvent) => {
    event.preventDefault()
    if (this.comment.trim() === '') {
      this.commentError = 'Write something first: a comment needs some text.'
      return
    }
    this.commentBusy = true
    try {
      await api.addComment(this.module, this.recordId, this.comment)
      this.comment = ''
      this.commentError = undefined
      this.done = 'Comment added.'
      await this.#load(0)
    } catch (error) {
      this.commentError = `The comment was not added: ${messageOf(error)}`
    } finally {
      this.commentBusy = false
    }
  }

  #upload = async (event: SubmitEvent) => {
    event.preventDefault()
    const input = this.renderRoot.querySelector<HTMLInputElement>('#file')!
    const file = input.files?.[0]
    if (file === undefined) {
      this.upload = { ok: false, text: 'Choose a file first.' }
      return
    }
    this.uploadBusy = true
    try {
      await api.uploadDocument(this.module, this.recordId, file)
      input.value = ''
      this.upload = { ok: true, text: `“${file.name}” is attached.` }
      await this.#load(0)
    } catch (error) {
      const reason =
        error instanceof ApiError && error.status === 413
          ? `${error.message}. Choose a smaller file.`
          : `${messageOf(error)}. Try again.`
      this.upload = { ok: false, text: `“${file.name}” was not attached: ${reason}` }
    } finally {
      this.uploadBusy = false
    }
  }

  #openActivity = async () => {
    const activities = this.activities!
    const defaults: Record<string, unknown> = {}
    for (const name of activityFields(activities)) {
      const value = activities.definition.record.properties[name].default
      if (value !== undefined) defaults[name] = value
    }
    this.activity = defaults
    this.activityIssues = []
    this.activityOpen = true
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('form.activity crm-field-input')?.focus()
  }

  #logActivity = async (event: SubmitEvent) => {
    event.preventDefault()
    const activities = this.activities!
    const link = activities.definition.behaviours!.parentLink!
    const values = Object.fromEntries(
      Object.entries(this.activity).filter(([, value]) => value !== null && value !== ''),
    )
    this.activityBusy = true
    try {
      await api.createRecord(ACTIVITIES, {
        ...values,
        [link.moduleField]: this.module,
        [link.idField]: this.recordId,
      })
      this.activityOpen = false
      this.activityIssues = []
      this.done = `${activities.definition.label.singular} logged.`
      await this.#load(0)
    } catch (error) {
      this.activityIssues =
        error instanceof ApiError && error.issues.length > 0
          ? error.issues
          : [{ message: `Not saved: ${messageOf(error)}. Try again.` }]
    } finally {
      this.activityBusy = false
    }
  }
}

/** The fields the activity form asks for: the quick-create ones and the text the timeline shows. */
function activityFields(activities: LiveModule): string[] {
  const definition = activities.definition
  const link = definition.behaviours?.parentLink
  const skip = new Set([link?.moduleField, link?.idField, definition.ownerField])
  const body = link?.timeline?.body

  return Object.entries(definition.record.properties)
    .filter(
      ([name, field]) =>
        !field['x-archived'] &&
        !field.readOnly &&
        !skip.has(name) &&
        (field['x-quick-create'] || name === body),
    )
    .map(([name]) => name)
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a'
}

customElements.define('crm-record-timeline', CrmRecordTimeline)

declare global {
  interface HTMLElementTagNameMap {
    'crm-record-timeline': CrmRecordTimeline
  }
}

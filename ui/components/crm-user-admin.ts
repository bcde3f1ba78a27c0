import { css, html, LitElement, nothing } from 'lit'
import { api, ApiError, type CrmRecord, type RoleSummary, type SessionUser } from '../api-client.ts'
import { messageOf } from '../message-of.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

const PAGE_SIZE = 200

/**
 * User administration for admins: the users (records of the Users module)
 * with their role and status; an admin sets a role, sets a password (the
 * user's sessions end) and deactivates or reactivates a user.
 */
export class CrmUserAdmin extends LitElement {
  static override properties = {
    user: { attribute: false },
    users: { state: true },
    total: { state: true },
    roles: { state: true },
    passwordFor: { state: true },
    notice: { state: true },
    problem: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      td,
      th {
        white-space: normal;
        vertical-align: middle;
      }
      td select {
        min-width: 10rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      .password {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      .password .field {
        display: grid;
        gap: 0.25rem;
        flex: 1 1 14rem;
      }
      .inactive {
        color: var(--crm-muted);
      }
    `,
  ]

  /** The logged-in admin, who cannot deactivate themselves here. */
  declare user: SessionUser | undefined
  declare users: CrmRecord[] | undefined
  declare total: number
  declare roles: RoleSummary[]
  declare passwordFor: number | undefined
  declare notice: string | undefined
  declare problem: string | undefined
  declare busy: boolean

  constructor() {
    super()
    this.total = 0
    this.roles = []
    this.busy = false
  }

  override connectedCallback(): void {
    super.connectedCallback()
    void this.#load()
  }

  override render() {
    return html`<h1>Users and roles</h1>
      <p class="muted">
        Users are records of the <a href=${hrefOf({ screen: 'list', module: 'users' })}>Users</a>
        module; their other fields are edited there.
      </p>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.#renderUsers()}`
  }

  #renderUsers() {
    const users = this.users
    if (users === undefined) return html`<p role="status">Loading the users…</p>`

    return html`<div class="table-scroll" role="region" aria-label="Users" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Full name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${users.map((user) => this.#renderUser(user))}
          </tbody>
        </table>
      </div>
      ${
        this.total > users.length
          ? html`<p class="muted">
              The first ${users.length} of ${this.total.toLocaleString()} users; find others in the
              Users list.
            </p>`
          : nothing
      }`
  }

  #renderUser(user: CrmRecord) {
    const name = String(user.username ?? `#${user.id}`)
    const isActive = user.status !== 'Inactive'
    const isSelf = user.id === this.user?.id

    return html`<tr class=${isActive ? '' : 'inactive'}>
        <th scope="row">${name}</th>
        <td>${String(user.full_name ?? '')}</td>
        <td>
          <select
            aria-label="Role of ${name}"
            ?disabled=${this.busy}
            @change=${(event: Event) => this.#setRole(user, (event.target as HTMLSelectElement).value)}
          >
            ${this.#roleOptions(String(user.role ?? ''))}
          </select>
        </td>
        <td>${isActive ? 'Active' : 'Inactive'}</td>
        <td class="actions">
          <button
            type="button"
            aria-label="Set password of ${name}…"
            aria-expanded=${this.passwordFor === user.id ? 'true' : 'false'}
            @click=${() => (this.passwordFor = this.passwordFor === user.id ? undefined : user.id)}
          >
            Set password…
          </button>
          <button
            type="button"
            ?disabled=${this.busy || isSelf}
            aria-label="${isActive ? 'Deactivate' : 'Activate'} ${name}"
            title=${isSelf ? 'You cannot deactivate yourself' : nothing}
            @click=${() => this.#setStatus(user, isActive ? 'Inactive' : 'Active')}
          >
            ${isActive ? 'Deactivate' : 'Activate'}
          </button>
        </td>
      </tr>
      ${this.passwordFor === user.id ? this.#renderPasswordRow(user, name) : nothing}`
  }

  #roleOptions(current: string) {
    const known = this.roles.some((role) => role.name === current)

    return html`${known || current === '' ? nothing : html`<option value=${current} selected>${current}</option>`}
    ${this.roles.map((role) => html`<option value=${role.name} ?selected=${role.name === current}>${role.label}</option>`)}`
  }

  #renderPasswordRow(user: CrmRecord, name: string) {
    return html`<tr>
      <td colspan="5">
        <form
          class="password"
          @submit=${(event: SubmitEvent) => this.#setPassword(event, user, name)}
        >
          <div class="field">
            <label for="password-${user.id}">New password for ${name}</label>
            <input
              id="password-${user.id}"
              name="password"
              type="password"
              autocomplete="new-password"
              required
            />
          </div>
          <button class="primary" type="submit" ?disabled=${this.busy}>Save password</button>
          <button type="button" @click=${() => (this.passwordFor = undefined)}>Cancel</button>
        </form>
      </td>
    </tr>`
  }

  async #load(): Promise<void> {
    try {
      const [users, roles] = await Promise.all([
        api.listRecords('users', { sort: 'username', limit: PAGE_SIZE }),
        api.listRoles(),
      ])
      this.users = users.items
      this.total = users.total
      this.roles = roles.items
    } catch (error) {
      this.problem = `The users could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
  }

  async #setRole(user: CrmRecord, role: string): Promise<void> {
    const label = this.roles.find((item) => item.name === role)?.label ?? role
    await this.#update(user, { role }, `${String(user.username)} now has the role ${label}.`)
  }

  async #setStatus(user: CrmRecord, status: 'Active' | 'Inactive'): Promise<void> {
    const word = status === 'Inactive' ? 'deactivated and can no longer log in' : 'active again'
    await this.#update(user, { status }, `${String(user.username)} is ${word}.`)
  }

  /** One PATCH based on the version shown; a 412 reloads the list so the admin sees the newer values. */
  async #update(user: CrmRecord, values: Record<string, unknown>, done: string): Promise<void> {
    await this.#run(async () => {
      try {
        const saved = await api.updateRecord('users', user.id, user.version, values)
        this.users = this.users!.map((item) => (item.id === saved.id ? saved : item))
        this.notice = done
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 412)) throw error
        await this.#load()
        throw new Error(
          `${String(user.username)} was changed meanwhile; the list shows the newer values, try again`,
        )
      }
    })
  }

  async #setPassword(event: SubmitEvent, user: CrmRecord, name: string): Promise<void> {
    event.preventDefault()
    const password = String(new FormData(event.target as HTMLFormElement).get('password') ?? '')
    await this.#run(async () => {
      await api.setPassword(user.id, password)
      this.passwordFor = undefined
      this.notice = `The password of ${name} is set; their open sessions have ended.`
    })
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true
    this.notice = undefined
    this.problem = undefined
    try {
      await action()
    } catch (error) {
      this.problem = `Nothing was changed: ${messageOf(error)}.`
    } finally {
      this.busy = false
    }
  }
}

customElements.define('crm-user-admin', CrmUserAdmin)

declare global {
  interface HTMLElementTagNameMap {
    'crm-user-admin': CrmUserAdmin
  }
}

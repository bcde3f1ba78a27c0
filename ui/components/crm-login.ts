import { css, html, LitElement, nothing } from 'lit'
import { api, ApiError } from '../api-client.ts'
import { sharedStyles } from '../shared-styles.ts'

/**
 * The login screen. On success it fires `crm-logged-in` with
 * `detail.user`; a refused login is explained beside the form.
 */
export class CrmLogin extends LitElement {
  static override properties = {
    note: {},
    problem: { state: true },
    busy: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      form {
        max-width: 24rem;
        margin: 3rem auto;
        display: grid;
        gap: 0.75rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
    `,
  ]

  /** A message shown above the form, for example why the session ended. */
  declare note: string | undefined
  declare problem: string | undefined
  declare busy: boolean

  constructor() {
    super()
    this.busy = false
  }

  override render() {
    return html`
      <form class="panel" @submit=${this.#submit} aria-labelledby="title">
        <h1 id="title">Log in to the CRM</h1>
        ${this.note ? html`<p class="notice" role="status">${this.note}</p>` : nothing}
        ${this.problem ? html`<p class="alert" role="alert">${this.problem}</p>` : nothing}
        <div class="field">
          <label for="username">User name</label>
          <input id="username" name="username" autocomplete="username" required autofocus />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    `
  }

  #submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const username = String(data.get('username') ?? '').trim()
    const password = String(data.get('password') ?? '')
    if (username === '' || password === '') {
      this.problem = 'Enter both your user name and your password.'
      return
    }
    this.busy = true
    this.problem = undefined
    try {
      const { user } = await api.logIn(username, password)
      this.dispatchEvent(
        new CustomEvent('crm-logged-in', { detail: { user }, bubbles: true, composed: true }),
      )
    } catch (error) {
      this.problem =
        error instanceof ApiError && error.status === 401
          ? 'The user name or password is wrong. Check both and try again.'
          : `Logging in failed: ${error instanceof Error ? error.message : String(error)}`
    } finally {
      this.busy = false
    }
  }
}

customElements.define('crm-login', CrmLogin)

declare global {
  interface HTMLElementTagNameMap {
    'crm-login': CrmLogin
  }
}

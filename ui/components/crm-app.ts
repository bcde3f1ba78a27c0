import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { keyed } from 'lit/directives/keyed.js'
import {
  api,
  ApiError,
  SESSION_EXPIRED_EVENT,
  type ModuleSummary,
  type SessionUser,
} from '../api-client.ts'
import { hrefOf, parseRoute, type Route } from '../route.ts'
import { messageOf } from '../message-of.ts'
import { sharedStyles } from '../shared-styles.ts'
import './crm-login.ts'
import './crm-module-views.ts'
import './crm-record-detail.ts'
import './crm-record-form.ts'
import './crm-record-list.ts'

/**
 * The shell of the web client: checks the session, shows the login screen
 * or the navigation between modules, and mounts one screen per hash route
 * (`#/potentials`, `#/potentials/12`, `#/potentials/new`, `#/potentials/12/edit`,
 * `#/potentials/board`, `#/potentials/bin`, `#/potentials/forecast`,
 * `#/admin/layout/potentials`).
 */
export class CrmApp extends LitElement {
  static override properties = {
    user: { state: true },
    modules: { state: true },
    route: { state: true },
    problem: { state: true },
    loggedOutNote: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        left: 0.5rem;
        top: -3rem;
        background: #fff;
        padding: 0.5rem;
        z-index: 2;
      }
      .skip:focus {
        top: 0.5rem;
      }
      header {
        background: #17324f;
        color: #fff;
        padding: 0.5rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.5rem;
      }
      header a,
      header button {
        color: #fff;
      }
      .brand {
        font-weight: 700;
        font-size: 1.1rem;
        text-decoration: none;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: 0.45rem 0.7rem;
        border-radius: 6px;
        text-decoration: none;
      }
      nav a[aria-current='page'] {
        background: rgba(255, 255, 255, 0.18);
        text-decoration: underline;
      }
      .account {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      .account button {
        background: transparent;
        border-color: #fff;
      }
      main {
        max-width: 75rem;
        margin: 0 auto;
        padding: 1rem;
      }
      main:focus {
        outline: none;
      }
    `,
  ]

  declare user: SessionUser | null | undefined
  declare modules: ModuleSummary[]
  declare route: Route
  declare problem: string | undefined
  declare loggedOutNote: string | undefined

  #onHashChange = () => {
    this.route = parseRoute(location.hash)
    // Screen readers and keyboard users start reading the new screen, not the old link.
    void this.updateComplete.then(() => this.renderRoot.querySelector('main')?.focus())
  }

  #onSessionExpired = () => {
    this.user = null
    this.loggedOutNote = 'Your session has ended. Log in again to continue where you were.'
  }

  constructor() {
    super()
    this.user = undefined
    this.modules = []
    this.route = parseRoute(location.hash)
  }

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('hashchange', this.#onHashChange)
    window.addEventListener(SESSION_EXPIRED_EVENT, this.#onSessionExpired)
    void this.#loadSession()
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#onHashChange)
    window.removeEventListener(SESSION_EXPIRED_EVENT, this.#onSessionExpired)
    super.disconnectedCallback()
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // The home route has no screen of its own: it shows the first module's list.
    if (
      (changed.has('route') || changed.has('modules')) &&
      this.route.screen === 'home' &&
      this.modules[0]
    ) {
      history.replaceState(null, '', `#/${this.modules[0].name}`)
      this.route = parseRoute(location.hash)
    }
  }

  override render() {
    if (this.user === undefined) return html`<main><p role="status">Loading the CRM…</p></main>`
    if (this.user === null) {
      return html`<main>
        <crm-login .note=${this.loggedOutNote} @crm-logged-in=${this.#onLoggedIn}></crm-login>
      </main>`
    }

    return html`
      <a class="skip" href="#main" @click=${this.#skipToMain}>Skip to content</a>
      <header>
        <a class="brand" href="#/">CRM</a>
        <nav aria-label="Modules">
          <ul>
            ${this.modules.map(
              (module) =>
                html`<li>
                  <a
                    href="#/${module.name}"
                    aria-current=${this.#currentModule() === module.name ? 'page' : nothing}
                    >${module.label.plural}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>
        <div class="account">
          ${this.user.isAdmin ? this.#renderAdminLink() : nothing}
          <span>${this.user.fullName}</span>
          <button type="button" @click=${this.#logOut}>Log out</button>
        </div>
      </header>
      <main id="main" tabindex="-1">
        ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
        ${keyed(JSON.stringify(this.route), this.#renderScreen())}
      </main>
    `
  }

  #renderAdminLink() {
    const module = this.#currentModule() ?? this.modules[0]?.name
    if (module === undefined) return nothing

    return html`<a href="#/admin/layout/${module}">Layout editor</a>
      <a href=${hrefOf({ screen: 'user-admin' })}>Users and roles</a>`
  }

  #renderScreen() {
    const route = this.route
    switch (route.screen) {
      case 'home':
        return this.modules.length === 0
          ? html`<p>
              No modules are installed yet. Ask an administrator to install the shipped modules.
            </p>`
          : nothing
      case 'list':
        return html`<crm-module-views .module=${route.module} current="list"></crm-module-views>
          <crm-record-list .module=${route.module}></crm-record-list>`
      case 'board':
      case 'bin':
      case 'forecast':
        return this.#renderModuleScreen(route)
      case 'import':
        // The import wizard is a chunk of its own, defined when it arrives.
        void import('./crm-import-wizard.ts')
        return html`<crm-import-wizard .module=${route.module}
          ><p role="status">Loading the import…</p></crm-import-wizard
        >`
      case 'detail':
        return html`<crm-record-detail
          .module=${route.module}
          .recordId=${route.id}
        ></crm-record-detail>`
      case 'create':
        return html`<crm-record-form .module=${route.module} .user=${this.user}></crm-record-form>`
      case 'edit':
        return html`<crm-record-form
          .module=${route.module}
          .recordId=${route.id}
          .user=${this.user}
        ></crm-record-form>`
      case 'layout-editor':
        // Only admins download the editor: it is a chunk of its own, defined when it arrives.
        if (this.user?.isAdmin) void import('./crm-layout-editor.ts')
        return this.user?.isAdmin
          ? html`<crm-layout-editor .module=${route.module}
              ><p role="status">Loading the layout editor…</p></crm-layout-editor
            >`
          : html`<h1>Layout editor</h1>
              <p>
                Only administrators can change layouts. Ask an administrator if a field is missing.
              </p>`
      case 'user-admin':
        if (this.user?.isAdmin) void import('./crm-user-admin.ts')
        return this.user?.isAdmin
          ? html`<crm-user-admin .user=${this.user}
              ><p role="status">Loading the users…</p></crm-user-admin
            >`
          : html`<h1>Users and roles</h1>
              <p>Only administrators manage users. Ask an administrator to change your role.</p>`
      case 'not-found':
        return html`<h1>Page not found</h1>
          <p>There is no screen at “${route.path}”. Choose a module in the navigation above.</p>`
    }
  }

  /** The board, the recycle bin and the forecast: chunks of their own, defined when they arrive. */
  #renderModuleScreen(route: Extract<Route, { screen: 'board' | 'bin' | 'forecast' }>) {
    const views = html`<crm-module-views
      .module=${route.module}
      .current=${route.screen}
    ></crm-module-views>`
    switch (route.screen) {
      case 'board':
        void import('./crm-pipeline-board.ts')
        return html`${views}<crm-pipeline-board .module=${route.module}
            ><p role="status">Loading the board…</p></crm-pipeline-board
          >`
      case 'bin':
        void import('./crm-recycle-bin.ts')
        return html`${views}<crm-recycle-bin .module=${route.module}
            ><p role="status">Loading the recycle bin…</p></crm-recycle-bin
          >`
      case 'forecast':
        void import('./crm-forecast-view.ts')
        return html`${views}<crm-forecast-view
            .module=${route.module}
            .user=${this.user ?? undefined}
            ><p role="status">Loading the forecast…</p></crm-forecast-view
          >`
    }
  }

  #currentModule(): string | undefined {
    return 'module' in this.route ? this.route.module : undefined
  }

  async #loadSession(): Promise<void> {
    try {
      const { user } = await api.getSession()
      await this.#enter(user)
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.user = null
      } else {
        this.user = null
        this.loggedOutNote = `The server could not be reached (${messageOf(error)}). Reload the page to try again.`
      }
    }
  }

  #onLoggedIn = (event: CustomEvent<{ user: SessionUser }>) => {
    this.loggedOutNote = undefined
    void this.#enter(event.detail.user)
  }

  async #enter(user: SessionUser): Promise<void> {
    try {
      this.modules = (await api.listModules()).items
      this.problem = undefined
    } catch (error) {
      this.problem = `The list of modules could not be loaded: ${messageOf(error)}. Reload the page to try again.`
    }
    this.user = user
  }

  #logOut = async () => {
    await api.logOut().catch(() => undefined)
    this.user = null
    this.modules = []
    this.loggedOutNote = 'You are logged out.'
  }

  #skipToMain = (event: Event) => {
    event.preventDefault()
    this.renderRoot.querySelector('main')?.focus()
  }
}

customElements.define('crm-app', CrmApp)

declare global {
  interface HTMLElementTagNameMap {
    'crm-app': CrmApp
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { api, type LiveModule } from '../api-client.ts'
import { hrefOf } from '../route.ts'
import { sharedStyles } from '../shared-styles.ts'

type View = 'list' | 'board' | 'forecast' | 'bin'

/**
 * The views of one module as links: the list, and only where they apply the
 * board and the forecast (a definition with `behaviours.forecast`) and the
 * recycle bin (a role that may delete). Reads the live definition, so a
 * Layout Editor change shows on the next screen.
 */
export class CrmModuleViews extends LitElement {
  static override properties = {
    module: {},
    current: {},
    live: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        margin-bottom: 0.75rem;
        min-height: 2.6rem;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
        border-bottom: 1px solid var(--crm-border);
      }
      a {
        display: inline-block;
        padding: 0.4rem 0.8rem;
        text-decoration: none;
        border-bottom: 3px solid transparent;
      }
      a[aria-current='page'] {
        border-bottom-color: var(--crm-accent);
        font-weight: 600;
        color: #1d2430;
      }
    `,
  ]

  /** The module's machine name. */
  declare module: string
  /** The screen showing now. */
  declare current: View
  declare live: LiveModule | undefined

  constructor() {
    super()
    this.module = ''
    this.current = 'list'
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('module') && this.module) {
      this.live = undefined
      // Without the definition only the list link shows; the others need to know they apply.
      api.getModule(this.module).then(
        (live) => {
          if (live.name === this.module) this.live = live
        },
        () => undefined,
      )
    }
  }

  override render() {
    const live = this.live
    const views: [View, string][] = [['list', 'List']]
    if (live?.definition.behaviours?.forecast) views.push(['board', 'Board'], ['forecast', 'Forecast'])
    if (live?.permission?.delete) views.push(['bin', 'Recycle bin'])
    const plural = live?.definition.label.plural ?? this.module

    return html`<nav aria-label="Views of ${plural}">
      <ul>
        ${views.map(
          ([view, label]) =>
            html`<li>
              <a
                href=${hrefOf({ screen: view, module: this.module })}
                aria-current=${view === this.current ? 'page' : nothing}
                >${label}</a
              >
            </li>`,
        )}
      </ul>
    </nav>`
  }
}

customElements.define('crm-module-views', CrmModuleViews)

declare global {
  interface HTMLElementTagNameMap {
    'crm-module-views': CrmModuleViews
  }
}

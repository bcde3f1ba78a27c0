/** A screen of the client, parsed from the location hash. */
export type Route =
  | { screen: 'home' }
  | { screen: 'list'; module: string }
  | { screen: 'detail'; module: string; id: number }
  | { screen: 'create'; module: string }
  | { screen: 'edit'; module: string; id: number }
  | { screen: 'layout-editor'; module: string }
  | { screen: 'user-admin' }
  | { screen: 'board'; module: string }
  | { screen: 'bin'; module: string }
  | { screen: 'forecast'; module: string }
  | { screen: 'import'; module: string }
  | { screen: 'not-found'; path: string }

const NAME = /^[a-z][a-z0-9_]*$/
const ID = /^[1-9]\d*$/
/** Screens of a whole module besides its list: `#/potentials/board`, `/bin`, `/forecast`. */
const MODULE_SCREENS = new Set(['board', 'bin', 'forecast', 'import'])

/**
 * Reads `#/potentials`, `#/potentials/12`, `#/potentials/new`,
 * `#/potentials/12/edit`, `#/potentials/board`, `#/potentials/bin`,
 * `#/potentials/forecast`, `#/potentials/import`, `#/admin/layout/potentials` and `#/admin/users`; anything else is
 * `not-found` and an empty hash is `home`.
 */
export function parseRoute(hash: string): Route {
  // The query part carries a screen's own state (a list's search, sort and page), not the screen.
  const path = hash.split('?')[0].replace(/^#\/?/, '').replace(/\/$/, '')
  const parts = path === '' ? [] : path.split('/').map(decodeURIComponent)
  const [first, second, third] = parts
  if (parts.length === 0) return { screen: 'home' }
  if (first === 'admin' && second === 'layout' && parts.length === 3 && NAME.test(third)) {
    return { screen: 'layout-editor', module: third }
  }
  if (first === 'admin' && second === 'users' && parts.length === 2) return { screen: 'user-admin' }
  if (!NAME.test(first)) return { screen: 'not-found', path }
  if (parts.length === 1) return { screen: 'list', module: first }
  if (parts.length === 2 && second === 'new') return { screen: 'create', module: first }
  if (parts.length === 2 && MODULE_SCREENS.has(second)) {
    return { screen: second as 'board' | 'bin' | 'forecast' | 'import', module: first }
  }
  if (parts.length === 2 && ID.test(second))
    return { screen: 'detail', module: first, id: Number(second) }
  if (parts.length === 3 && ID.test(second) && third === 'edit') {
    return { screen: 'edit', module: first, id: Number(second) }
  }

  return { screen: 'not-found', path }
}

/** The hash of a screen, the inverse of `parseRoute`. */
export function hrefOf(route: Exclude<Route, { screen: 'home' | 'not-found' }>): string {
  switch (route.screen) {
    case 'list':
      return `#/${route.module}`
    case 'detail':
      return `#/${route.module}/${route.id}`
    case 'create':
      return `#/${route.module}/new`
    case 'edit':
      return `#/${route.module}/${route.id}/edit`
    case 'layout-editor':
      return `#/admin/layout/${route.module}`
    case 'user-admin':
      return '#/admin/users'
    case 'board':
    case 'bin':
    case 'forecast':
    case 'import':
      return `#/${route.module}/${route.screen}`
  }
}

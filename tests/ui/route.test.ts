import { describe, expect, it } from 'vitest'
import { hrefOf, parseRoute } from '../../ui/route.ts'

describe('parseRoute', () => {
  it('reads every screen of the client from the hash', () => {
    expect(parseRoute('')).toEqual({ screen: 'home' })
    expect(parseRoute('#/')).toEqual({ screen: 'home' })
    expect(parseRoute('#/potentials')).toEqual({ screen: 'list', module: 'potentials' })
    expect(parseRoute('#/potentials/12')).toEqual({
      screen: 'detail',
      module: 'potentials',
      id: 12,
    })
    expect(parseRoute('#/potentials/new')).toEqual({ screen: 'create', module: 'potentials' })
    expect(parseRoute('#/potentials/12/edit')).toEqual({
      screen: 'edit',
      module: 'potentials',
      id: 12,
    })
    expect(parseRoute('#/admin/layout/accounts')).toEqual({
      screen: 'layout-editor',
      module: 'accounts',
    })
  })

  it('answers not-found for ids, names and paths it does not know', () => {
    expect(parseRoute('#/potentials/0').screen).toBe('not-found')
    expect(parseRoute('#/Potentials').screen).toBe('not-found')
    expect(parseRoute('#/potentials/12/delete').screen).toBe('not-found')
  })

  it('writes the hashes it reads', () => {
    const routes = [
      { screen: 'list', module: 'accounts' },
      { screen: 'detail', module: 'accounts', id: 3 },
      { screen: 'create', module: 'accounts' },
      { screen: 'edit', module: 'accounts', id: 3 },
      { screen: 'layout-editor', module: 'accounts' },
      { screen: 'user-admin' },
    ] as const
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route)
  })
})

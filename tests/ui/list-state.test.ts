import { describe, expect, it } from 'vitest'
import { listHash, readListState } from '../../ui/list-state.ts'
import { parseRoute } from '../../ui/route.ts'

describe('readListState', () => {
  it('reads the search, sort and page from the query part of the hash', () => {
    expect(readListState('#/potentials?q=fleet+2027&sort=-amount&offset=25')).toEqual({
      q: 'fleet 2027',
      sort: '-amount',
      offset: 25,
    })
    expect(readListState('#/potentials')).toEqual({ q: '', sort: undefined, offset: 0 })
  })

  it('falls back to the first page of everything for malformed parts', () => {
    expect(readListState('#/potentials?sort=amount;drop&offset=-5')).toEqual({
      q: '',
      sort: undefined,
      offset: 0,
    })
    expect(readListState('#/potentials?offset=2.5').offset).toBe(0)
  })

  it('writes the hash that reads back the same, leaving defaults out', () => {
    const state = { q: 'Müller & Söhne', sort: 'closingdate', offset: 50 }

    expect(readListState(listHash('accounts', state))).toEqual(state)
    expect(listHash('accounts', { q: ' ', offset: 0 })).toBe('#/accounts')
  })

  it('leaves the screen to the path: a list with a query is still the list', () => {
    expect(parseRoute('#/potentials?q=fleet&offset=25')).toEqual({
      screen: 'list',
      module: 'potentials',
    })
  })
})

import { describe, expect, it } from 'vitest'
import { listHash, presetRange, readListState, serverFilters } from '../../ui/list-state.ts'
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

  it('reads and writes the page size, only the sizes the list offers', () => {
    expect(readListState('#/potentials?limit=50').limit).toBe(50)
    expect(readListState('#/potentials?limit=25').limit).toBeUndefined()
    expect(readListState('#/potentials?limit=5000').limit).toBeUndefined()
    expect(listHash('potentials', { q: '', offset: 50, limit: 50 })).toBe('#/potentials?offset=50&limit=50')
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

describe('list filters and columns in the hash', () => {
  it('reads back filters with operators and the chosen columns', () => {
    const state = {
      q: '',
      offset: 0,
      filters: [
        { field: 'related_to', operator: 'eq', value: '12' },
        { field: 'closingdate', operator: 'within', value: 'this-quarter' },
        { field: 'sales_stage', operator: 'in', value: 'Prospecting,Closed Won' },
      ],
      columns: ['potentialname', 'amount'],
    }
    const hash = listHash('potentials', state)
    expect(hash).toContain('filter%5Brelated_to%5D=12')
    expect(readListState(hash)).toEqual(state)
  })

  it('turns date presets into first and last days', () => {
    const today = new Date(2027, 4, 20)
    expect(presetRange('this-month', today)).toEqual(['2027-05-01', '2027-05-31'])
    expect(presetRange('this-quarter', today)).toEqual(['2027-04-01', '2027-06-30'])
    expect(presetRange('next-quarter', new Date(2027, 10, 2))).toEqual(['2028-01-01', '2028-03-31'])
    expect(presetRange('this-year', today)).toEqual(['2027-01-01', '2027-12-31'])
    expect(serverFilters([{ field: 'closingdate', operator: 'within', value: 'this-month' }], today)).toEqual([
      { field: 'closingdate', operator: 'gte', value: '2027-05-01' },
      { field: 'closingdate', operator: 'lte', value: '2027-05-31' },
    ])
  })
})

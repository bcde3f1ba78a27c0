/** What a list shows besides its module: the search, the sort and the page. */
export interface ListState {
  q: string
  /** `field` ascending or `-field` descending; unset for the server's order. */
  sort?: string
  offset: number
}

/**
 * Reads the list state from the query part of a hash,
 * `#/potentials?q=fleet&sort=-amount&offset=25`; missing or malformed parts
 * fall back to the first page of everything.
 */
export function readListState(hash: string): ListState {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''
  const params = new URLSearchParams(query)
  const offset = Number(params.get('offset') ?? 0)
  const sort = params.get('sort') ?? ''

  return {
    q: params.get('q') ?? '',
    sort: /^-?[a-z][a-z0-9_]*$/.test(sort) ? sort : undefined,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  }
}

/** The hash of a module's list in a state, the inverse of `readListState`; defaults are left out. */
export function listHash(module: string, state: ListState): string {
  const params = new URLSearchParams()
  if (state.q.trim() !== '') params.set('q', state.q.trim())
  if (state.sort) params.set('sort', state.sort)
  if (state.offset > 0) params.set('offset', String(state.offset))
  const query = params.toString()

  return `#/${encodeURIComponent(module)}${query === '' ? '' : `?${query}`}`
}

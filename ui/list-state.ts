/**
 * One condition of a list: the server's operators (eq, ne, lt, lte, gt, gte,
 * contains, in, empty) plus `within`, a date range the client names by a
 * preset (`this-quarter`) and turns into `gte`/`lte` dates when it asks.
 */
export interface ListFilter {
  field: string
  operator: string
  value: string
}

/** What a list shows besides its module: search, filters, sort, page and columns. */
export interface ListState {
  q: string
  /** `field` ascending or `-field` descending; unset for the server's order. */
  sort?: string
  offset: number
  /** Rows per page, one of PAGE_SIZES; unset for the first of them. */
  limit?: number
  /** The saved view the list was opened from, so a reload still names it. */
  view?: number
  filters?: ListFilter[]
  /** The visible columns in order; unset for the definition's list columns. */
  columns?: string[]
}

/** The page sizes a list offers; the first is the default. */
export const PAGE_SIZES = [25, 50, 100] as const
const NAME = /^[a-z][a-z0-9_]*$/
const FILTER_KEY = /^filter\[([a-z][a-z0-9_]*)\](?:\[([a-z]+)\])?$/

/**
 * Reads the list state from the query part of a hash,
 * `#/potentials?q=fleet&sort=-amount&offset=25&limit=50&filter[amount][gte]=1000&columns=a,b`;
 * missing or malformed parts fall back to the first page of everything.
 */
export function readListState(hash: string): ListState {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''
  const params = new URLSearchParams(query)
  const offset = Number(params.get('offset') ?? 0)
  const sort = params.get('sort') ?? ''
  const filters: ListFilter[] = []
  for (const [key, value] of params) {
    const match = FILTER_KEY.exec(key)
    if (match) filters.push({ field: match[1], operator: match[2] ?? 'eq', value })
  }
  const columns = (params.get('columns') ?? '').split(',').filter((name) => NAME.test(name))
  const state: ListState = {
    q: params.get('q') ?? '',
    sort: /^-?[a-z][a-z0-9_]*$/.test(sort) ? sort : undefined,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  }
  const view = Number(params.get('view'))
  if (Number.isSafeInteger(view) && view > 0) state.view = view
  const limit = Number(params.get('limit'))
  if ((PAGE_SIZES as readonly number[]).includes(limit) && limit !== PAGE_SIZES[0]) state.limit = limit
  if (filters.length > 0) state.filters = filters
  if (columns.length > 0) state.columns = columns

  return state
}

/** The hash of a module's list in a state, the inverse of `readListState`; defaults are left out. */
export function listHash(module: string, state: ListState): string {
  const params = new URLSearchParams()
  if (state.q.trim() !== '') params.set('q', state.q.trim())
  if (state.sort) params.set('sort', state.sort)
  if (state.offset > 0) params.set('offset', String(state.offset))
  if (state.limit !== undefined && state.limit !== PAGE_SIZES[0]) params.set('limit', String(state.limit))
  if (state.view !== undefined) params.set('view', String(state.view))
  for (const filter of state.filters ?? []) params.append(filterKey(filter), filter.value)
  if (state.columns && state.columns.length > 0) params.set('columns', state.columns.join(','))
  const query = params.toString()

  return `#/${encodeURIComponent(module)}${query === '' ? '' : `?${query}`}`
}

function filterKey(filter: ListFilter): string {
  return filter.operator === 'eq' ? `filter[${filter.field}]` : `filter[${filter.field}][${filter.operator}]`
}

/** The named date ranges the filter builder offers. */
export const DATE_PRESETS = {
  'this-month': 'This month',
  'this-quarter': 'This quarter',
  'next-quarter': 'Next quarter',
  'this-year': 'This year',
} as const

export type DatePreset = keyof typeof DATE_PRESETS

/** The first and last day (`YYYY-MM-DD`, local calendar) of a named range around `today`. */
export function presetRange(preset: string, today = new Date()): [string, string] | undefined {
  const year = today.getFullYear()
  const month = today.getMonth()
  const quarterStart = month - (month % 3)
  switch (preset) {
    case 'this-month':
      return [day(year, month, 1), day(year, month + 1, 0)]
    case 'this-quarter':
      return [day(year, quarterStart, 1), day(year, quarterStart + 3, 0)]
    case 'next-quarter':
      return [day(year, quarterStart + 3, 1), day(year, quarterStart + 6, 0)]
    case 'this-year':
      return [day(year, 0, 1), day(year, 12, 0)]
    default:
      return undefined
  }
}

function day(year: number, month: number, date: number): string {
  const value = new Date(year, month, date)
  const pad = (number: number) => String(number).padStart(2, '0')

  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`
}

/** The filters as the server takes them: `within` presets become `gte` and `lte` dates. */
export function serverFilters(filters: readonly ListFilter[], today = new Date()): ListFilter[] {
  return filters.flatMap((filter) => {
    if (filter.operator !== 'within') return [filter]
    const range = presetRange(filter.value, today)
    if (range === undefined) return []

    return [
      { field: filter.field, operator: 'gte', value: range[0] },
      { field: filter.field, operator: 'lte', value: range[1] },
    ]
  })
}

/** `filter[field][op]=value` parameters for the API, appended to `params`. */
export function appendFilterParams(params: URLSearchParams, filters: readonly ListFilter[]): void {
  for (const filter of serverFilters(filters)) params.append(filterKey(filter), filter.value)
}

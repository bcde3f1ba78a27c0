import { MAX_PAGE_SIZE, type FilterOperator, type ListQuery } from '../../core/storage/list-query.ts'
import { badRequest } from '../error-handler.ts'

const FILTER_KEY = /^filter\[([a-z][a-z0-9_]*)\](?:\[([a-z]+)\])?$/

/**
 * Reads `?q=&sort=-amount,closingdate&limit=&offset=&filter[field]=v&filter[field][op]=v`
 * into a list query. Field names are checked later against the definition.
 */
export function readListQuery(url: string): ListQuery {
  const params = new URL(url).searchParams
  const query: ListQuery = { filters: [] }
  for (const [key, value] of params) {
    const filter = FILTER_KEY.exec(key)
    if (filter) {
      query.filters!.push({ field: filter[1], operator: (filter[2] ?? 'eq') as FilterOperator, value })
    } else if (key.startsWith('filter')) {
      badRequest(`"${key}" is not a filter; write filter[field]=value or filter[field][operator]=value`)
    }
  }
  const q = params.get('q')
  if (q) query.q = q
  const sort = params.get('sort')
  if (sort) query.sort = sort.split(',').map((key) => key.trim()).filter(Boolean)
  query.limit = readInteger(params, 'limit')
  query.offset = readInteger(params, 'offset')
  if (query.limit !== undefined && (query.limit < 1 || query.limit > MAX_PAGE_SIZE)) badRequest(`limit must be between 1 and ${MAX_PAGE_SIZE}`)
  if (params.get('deleted') === '1') query.deleted = true

  return query
}

function readInteger(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name)
  if (text === null || text === '') return undefined
  if (!/^\d+$/.test(text)) badRequest(`${name} must be a whole number, not "${text}"`)

  return Number(text)
}

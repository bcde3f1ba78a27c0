import { ApiError, SESSION_EXPIRED_EVENT, type RecordPage } from './api-client.ts'
import { appendFilterParams, type ListFilter } from './list-state.ts'

/** One record a mass update could not change, and why. */
export interface MassUpdateFailure {
  id: number
  code: string
  message: string
  issues?: { field?: string; message: string }[]
}

export interface MassUpdateResult {
  updated: number[]
  failed: MassUpdateFailure[]
  summary: string
}

/** What a saved view keeps; `filters` may hold the client's `within` presets. */
export interface SavedQuery {
  q?: string
  filters?: ListFilter[]
  sort?: string[]
  columns?: string[]
}

export interface SavedView {
  id: number
  user_id?: number
  name: string
  shared: boolean
  query: SavedQuery
  /** Fields the view names that the module no longer has. */
  broken: string[]
}

/** The list's question: search, filters, sort and (for a page) limit and offset. */
export interface ListRequest {
  q?: string
  filters?: readonly ListFilter[]
  sort?: string
  limit?: number
  offset?: number
}

function listParams(request: ListRequest): URLSearchParams {
  const params = new URLSearchParams()
  if (request.q) params.set('q', request.q)
  if (request.sort) params.set('sort', request.sort)
  if (request.limit !== undefined) params.set('limit', String(request.limit))
  if (request.offset) params.set('offset', String(request.offset))
  appendFilterParams(params, request.filters ?? [])

  return params
}

export function listRecords(module: string, request: ListRequest): Promise<RecordPage> {
  const text = listParams(request).toString()

  return request_<RecordPage>('GET', `/api/modules/${enc(module)}/records${text ? `?${text}` : ''}`)
}

/** Sets the same values on many records; each record succeeds or fails on its own. */
export function massUpdate(
  module: string,
  ids: number[],
  values: Record<string, unknown>,
): Promise<MassUpdateResult> {
  return request_('POST', `/api/modules/${enc(module)}/records/mass-update`, { ids, values })
}

export async function listViews(module: string): Promise<SavedView[]> {
  return (await request_<{ items: SavedView[] }>('GET', `/api/modules/${enc(module)}/views`)).items
}

export function createView(
  module: string,
  view: { name: string; shared?: boolean; query: SavedQuery },
): Promise<SavedView> {
  return request_('POST', `/api/modules/${enc(module)}/views`, view)
}

export function updateView(
  module: string,
  id: number,
  view: { name: string; shared?: boolean; query: SavedQuery },
): Promise<SavedView> {
  return request_('PUT', `/api/modules/${enc(module)}/views/${id}`, view)
}

export function deleteView(module: string, id: number): Promise<void> {
  return request_('DELETE', `/api/modules/${enc(module)}/views/${id}`)
}

/** The address of the CSV (or Excel-flavoured CSV) of everything the list shows, in its columns. */
export function exportHref(
  module: string,
  request: ListRequest,
  fields: string[],
  flavour?: 'excel',
): string {
  const params = listParams({ q: request.q, filters: request.filters, sort: request.sort })
  params.set('fields', fields.join(','))
  if (flavour) params.set('flavour', flavour)

  return `/api/modules/${enc(module)}/export?${params}`
}

async function request_<T>(method: string, path: string, body?: object): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET') headers['X-Requested-With'] = 'crm'
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => {
    throw new ApiError(0, 'NETWORK', 'the server cannot be reached; check your connection and try again')
  })
  if (response.status === 204) return undefined as T
  const payload = (await response.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
    | undefined
  if (response.ok) return payload as T
  if (response.status === 401) window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT))
  const error = payload?.error

  throw new ApiError(
    response.status,
    error?.code ?? 'HTTP_ERROR',
    error?.message ?? `the server answered ${response.status}`,
    error?.details ?? {},
  )
}

function enc(part: string): string {
  return encodeURIComponent(part)
}

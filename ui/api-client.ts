import type { ChangeOperation } from '../engine/core/definition/change-operations.ts'
import type { ModuleDefinition } from '../engine/core/definition/types.ts'
import type { ModulePermission } from '../engine/core/access/role-types.ts'
import type { ConversionPreview, SchemaStep } from '../engine/core/storage/plan-schema-change.ts'
import type { ConversionPlan } from '../engine/core/behaviours/plan-conversion.ts'

export type { ModulePermission, ConversionPlan }

/** The logged-in user as the server describes it. */
export interface SessionUser {
  id: number
  username: string
  fullName: string
  isAdmin: boolean
  /** The name of the user's role, for example `sales`. */
  role?: string
}

/** One module in the navigation, with what the logged-in user may do in it. */
export interface ModuleSummary {
  name: string
  label: { singular: string; plural: string }
  version: number
  permission?: ModulePermission
}

/**
 * A module's live definition with the version an edit must be based on. For
 * a user without admin rights the definition already lacks hidden fields and
 * marks read-only ones `readOnly`.
 */
export interface LiveModule {
  name: string
  version: number
  definition: ModuleDefinition
  permission?: ModulePermission
  /** The URL of this definition's record validator for the browser (`record-validation.ts`). */
  validator?: string
}

/** A stored record: system columns, one key per field, and titles of related records. */
export interface CrmRecord {
  id: number
  version: number
  created_at?: string
  updated_at?: string
  created_by?: number | null
  _labels?: Record<string, string>
  /** Fields a roll-up fills right now: `{ amount: { module: 'quotes', count: 2 } }`. */
  _rollups?: Record<string, { module: string; count: number }>
  [field: string]: unknown
}

/** One problem the server found in a record or a definition. */
export interface Issue {
  path?: string
  field?: string
  code?: string
  message: string
}

export interface RecordPage {
  items: CrmRecord[]
  total: number
}

/** One entry of a record's relation menu. */
export interface RelationEntry {
  id: string
  label: string
  module: string
  kind: string
  field?: string
  count: number
  /** For related records with forecast settings: open, weighted and won amounts in the base currency. */
  totals?: { currency: string; open: number; weighted: number; won: number }
}

/** One entry of a record's timeline: a comment, a linked record (activity, document) or a change. */
export interface TimelineItem {
  kind: string
  at: string
  by: { id: number; name: string } | null
  title: string
  body?: string
  /** An API address: the linked record, or its file's download. */
  link?: string
  record?: { module: string; id: number }
}

/** One entry of a record's audit trail; `changes` holds `[before, after]` per field. */
export interface HistoryEntry {
  id: number
  at: string
  actor_id: number | null
  action: string
  changes: Record<string, [unknown, unknown]>
  snapshot: Record<string, unknown>
}

/** What a conversion did: the converted record and each target's record. */
export interface ConversionResult {
  lead: CrmRecord
  records: Record<string, { module: string; id: number; action: 'create' | 'reuse' } | null>
  plan: ConversionPlan
}

/** What the server would do to apply a definition change, and why it cannot when `issues` is not empty. */
export interface SchemaPlan {
  steps: SchemaStep[]
  issues: Issue[]
  /** What uses each field the change renames, converts, archives, purges or whose values it moves. */
  uses?: Record<string, string[]>
  /** Per converted field: counts, a sample of converted values and every failing value. */
  preview?: Record<string, ConversionPreview>
  /** The version the change would create. */
  version: number
  /** The definition the change would make live. */
  definition?: ModuleDefinition
}

/**
 * A definition change as the server takes it: Layout Editor operations on
 * the live version, or a whole definition. `baseVersion` 0 creates a module.
 */
export interface DefinitionChange {
  baseVersion: number
  operations?: ChangeOperation[]
  definition?: ModuleDefinition
  /** Shown in the version history. */
  note?: string
}

/** One stored version of a module definition. */
export interface DefinitionVersionEntry {
  module: string
  version: number
  created_at: string
  created_by: number | null
  note: string | null
}

/** One difference between two versions, at a JSON pointer. */
export interface DefinitionDifference {
  path: string
  change: 'added' | 'removed' | 'changed'
  before?: unknown
  after?: unknown
}

/** A role users can have, as `GET /api/roles` lists it. */
export interface RoleSummary {
  name: string
  label: string
}

export interface ListQuery {
  q?: string
  sort?: string
  limit?: number
  offset?: number
  filters?: Record<string, string>
  /** The recycle bin: deleted records instead of live ones. */
  deleted?: boolean
}

/** How a forecast groups its rows: by expected close month, stage, owner, or several. */
export type ForecastDimension = 'month' | 'stage' | 'owner'

export interface ForecastQuery {
  groupBy: ForecastDimension[]
  /** First and last month of the expected close date, `YYYY-MM`. */
  from?: string
  to?: string
}

/** One group of a forecast; money in the base currency. */
export interface ForecastRow {
  month?: string
  stage?: string
  owner?: number | null
  /** The owner's name, when grouped by owner. */
  ownerName?: string
  openCount: number
  amount: number
  weighted: number
  wonCount: number
  won: number
  /** The budget of the owner and month, when both are grouped and an admin set one. */
  target?: number
}

export interface Forecast {
  baseCurrency: string
  groupBy: ForecastDimension[]
  rows: ForecastRow[]
  totals: Omit<ForecastRow, ForecastDimension | 'ownerName'>
}

/** A sales target of one owner for one month (`YYYY-MM`); amount null removes it when saving. */
export interface Budget {
  owner_id: number
  period: string
  amount: number | null
}

/** Exchange rates: how many units of each currency one unit of the base currency buys. */
export interface CurrencyRates {
  base: string
  rates: Record<string, string>
}

/**
 * A failed request: the HTTP status plus the server's stable error code,
 * message and details (`details.issues` on 422, `details.current` on 412).
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>

  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }

  /** The issues of a 422 answer; empty for any other error. */
  get issues(): Issue[] {
    const issues = this.details.issues

    return Array.isArray(issues) ? (issues as Issue[]) : []
  }
}

/** Fired on `window` when the server answers 401 to anything but the login itself. */
export const SESSION_EXPIRED_EVENT = 'crm-session-expired'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The HTTP API of the server, one method per route. Every method resolves
 * with the parsed JSON body or rejects with an `ApiError`; a network failure
 * becomes an `ApiError` with status 0 and code `NETWORK`.
 */
export class ApiClient {
  #base: string

  constructor(base = '') {
    this.#base = base
  }

  getSession(): Promise<{ user: SessionUser }> {
    return this.#request('GET', '/api/session', { quietUnauthorized: true })
  }

  logIn(username: string, password: string): Promise<{ user: SessionUser }> {
    return this.#request('POST', '/api/session', {
      body: { username, password },
      quietUnauthorized: true,
    })
  }

  logOut(): Promise<void> {
    return this.#request('DELETE', '/api/session', { quietUnauthorized: true })
  }

  listModules(): Promise<{ items: ModuleSummary[] }> {
    return this.#request('GET', '/api/modules')
  }

  getModule(module: string): Promise<LiveModule> {
    return this.#request('GET', `/api/modules/${enc(module)}`)
  }

  /** The plan of a change without applying it; a stale base rejects with 409, an impossible operation with 422. */
  planChange(module: string, change: DefinitionChange): Promise<SchemaPlan> {
    return this.#request('POST', `/api/modules/${enc(module)}/plan`, { body: change })
  }

  /** Applies a change as one new version; 409 when stale, 422 with issues when invalid or unsafe. */
  applyChange(module: string, change: DefinitionChange): Promise<LiveModule> {
    return this.#request('PUT', `/api/modules/${enc(module)}`, { body: change })
  }

  listVersions(module: string): Promise<{ items: DefinitionVersionEntry[] }> {
    return this.#request('GET', `/api/modules/${enc(module)}/versions`)
  }

  diffVersions(
    module: string,
    from: number,
    to: number,
  ): Promise<{ changes: DefinitionDifference[] }> {
    return this.#request('GET', `/api/modules/${enc(module)}/versions/diff?from=${from}&to=${to}`)
  }

  /** The address of one version's definition as a JSON download. */
  versionUrl(module: string, version: number): string {
    return `${this.#base}/api/modules/${enc(module)}/versions/${version}`
  }

  /** Restores an earlier version as a new one; `dryRun` answers the plan instead. */
  restoreVersion(
    module: string,
    version: number,
    baseVersion: number,
    dryRun: true,
  ): Promise<SchemaPlan>
  restoreVersion(
    module: string,
    version: number,
    baseVersion: number,
    dryRun?: false,
  ): Promise<LiveModule>
  restoreVersion(
    module: string,
    version: number,
    baseVersion: number,
    dryRun = false,
  ): Promise<SchemaPlan | LiveModule> {
    const query = dryRun ? '?dryRun=1' : ''
    const path = `/api/modules/${enc(module)}/versions/${version}/restore${query}`

    return this.#request('POST', path, { body: { baseVersion } })
  }

  listRoles(): Promise<{ items: RoleSummary[] }> {
    return this.#request('GET', '/api/roles')
  }

  /** Admin only: sets another user's password (their sessions end). */
  setPassword(userId: number, password: string): Promise<void> {
    return this.#request('POST', `/api/users/${userId}/password`, { body: { password } })
  }

  listRecords(module: string, query: ListQuery = {}): Promise<RecordPage> {
    return this.#request('GET', `/api/modules/${enc(module)}/records${toSearch(query)}`)
  }

  getRecord(module: string, id: number): Promise<CrmRecord> {
    return this.#request('GET', `/api/modules/${enc(module)}/records/${id}`)
  }

  createRecord(module: string, values: Record<string, unknown>): Promise<CrmRecord> {
    return this.#request('POST', `/api/modules/${enc(module)}/records`, { body: values })
  }

  /** Sends only the given fields; the server refuses with 412 when `version` is no longer current. */
  updateRecord(
    module: string,
    id: number,
    version: number,
    values: Record<string, unknown>,
  ): Promise<CrmRecord> {
    const headers = { 'If-Match': String(version) }

    return this.#request('PATCH', `/api/modules/${enc(module)}/records/${id}`, {
      body: values,
      headers,
    })
  }

  /** Moves a record to the recycle bin. */
  deleteRecord(module: string, id: number): Promise<void> {
    return this.#request('DELETE', `/api/modules/${enc(module)}/records/${id}`)
  }

  /** Takes a record out of the recycle bin. */
  restoreRecord(module: string, id: number): Promise<CrmRecord> {
    return this.#request('POST', `/api/modules/${enc(module)}/records/${id}/restore`)
  }

  /** Open and won amounts of a module with `behaviours.forecast`, in the base currency. */
  getForecast(module: string, query: ForecastQuery): Promise<Forecast> {
    return this.#request('GET', `/api/modules/${enc(module)}/forecast${forecastSearch(query)}`)
  }

  /** The address of the same forecast as a CSV download. */
  forecastCsvUrl(module: string, query: ForecastQuery): string {
    return `${this.#base}/api/modules/${enc(module)}/forecast.csv${forecastSearch(query)}`
  }

  getBudgets(module: string): Promise<{ items: Budget[] }> {
    return this.#request('GET', `/api/modules/${enc(module)}/budgets`)
  }

  /** Admin only: sets targets (amount null removes one) and answers all of them. */
  saveBudgets(module: string, items: Budget[]): Promise<{ items: Budget[] }> {
    return this.#request('PUT', `/api/modules/${enc(module)}/budgets`, { body: { items } })
  }

  getCurrencies(): Promise<CurrencyRates> {
    return this.#request('GET', '/api/currencies')
  }

  /** Admin only: replaces the base currency and the exchange rates. */
  saveCurrencies(rates: CurrencyRates): Promise<CurrencyRates> {
    return this.#request('PUT', '/api/currencies', { body: rates })
  }

  listRelations(module: string, id: number): Promise<{ items: RelationEntry[] }> {
    return this.#request('GET', `/api/modules/${enc(module)}/records/${id}/relations`)
  }

  listRelated(
    module: string,
    id: number,
    relationId: string,
    query: ListQuery = {},
  ): Promise<RecordPage> {
    const path = `/api/modules/${enc(module)}/records/${id}/related/${enc(relationId)}`

    return this.#request('GET', `${path}${toSearch(query)}`)
  }

  /** Links a record to this one through a relation menu entry. */
  linkRelated(module: string, id: number, relationId: string, otherId: number): Promise<void> {
    const path = `/api/modules/${enc(module)}/records/${id}/related/${enc(relationId)}/${otherId}`

    return this.#request('PUT', path)
  }

  /** Creates a record of the relation's other module, linked to this record in the same transaction. */
  createRelated(
    module: string,
    id: number,
    relationId: string,
    values: Record<string, unknown>,
  ): Promise<CrmRecord> {
    const path = `/api/modules/${enc(module)}/records/${id}/related/${enc(relationId)}`

    return this.#request('POST', path, { body: values })
  }

  unlinkRelated(module: string, id: number, relationId: string, otherId: number): Promise<void> {
    const path = `/api/modules/${enc(module)}/records/${id}/related/${enc(relationId)}/${otherId}`

    return this.#request('DELETE', path)
  }

  /** Comments, linked activities and documents, and changes of a record, newest first. */
  getTimeline(
    module: string,
    id: number,
    page: { limit: number; offset: number },
  ): Promise<{ items: TimelineItem[]; total: number }> {
    const query = `?limit=${page.limit}&offset=${page.offset}`

    return this.#request('GET', `/api/modules/${enc(module)}/records/${id}/timeline${query}`)
  }

  addComment(module: string, id: number, body: string): Promise<unknown> {
    return this.#request('POST', `/api/modules/${enc(module)}/records/${id}/comments`, {
      body: { body },
    })
  }

  /** Attaches a file as a document of the record; 413 when it is over the limit. */
  uploadDocument(module: string, id: number, file: File): Promise<CrmRecord> {
    const form = new FormData()
    form.set('file', file)

    return this.#request('POST', `/api/modules/${enc(module)}/records/${id}/documents`, {
      body: form,
    })
  }

  /** The audit trail of one record, newest first; `field` keeps the entries that changed it. */
  getHistory(
    module: string,
    id: number,
    query: { field?: string; limit?: number } = {},
  ): Promise<{ items: HistoryEntry[]; total: number }> {
    const params = new URLSearchParams()
    if (query.field) params.set('field', query.field)
    if (query.limit !== undefined) params.set('limit', String(query.limit))
    const text = params.toString()
    const path = `/api/modules/${enc(module)}/records/${id}/history${text ? `?${text}` : ''}`

    return this.#request('GET', path)
  }

  /** What converting a record would make, reuse and fill, and why it would be refused. */
  previewConversion(module: string, id: number, request: object): Promise<ConversionPlan> {
    return this.#request('POST', `/api/modules/${enc(module)}/records/${id}/convert/preview`, {
      body: request,
    })
  }

  /** Converts in one transaction; 422 CONVERSION_REFUSED with `details.issues` otherwise. */
  convert(module: string, id: number, request: object): Promise<ConversionResult> {
    return this.#request('POST', `/api/modules/${enc(module)}/records/${id}/convert`, {
      body: request,
    })
  }

  async #request<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; quietUnauthorized?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
    const isForm = options.body instanceof FormData
    // A form sets its own multipart Content-Type with the boundary.
    if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json'
    // The server's CSRF guard: a cross-site form cannot set this header.
    if (STATE_CHANGING.has(method)) headers['X-Requested-With'] = 'crm'
    const body =
      options.body === undefined
        ? undefined
        : isForm
          ? (options.body as FormData)
          : JSON.stringify(options.body)
    const response = await fetch(this.#base + path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
    }).catch(() => {
      throw new ApiError(
        0,
        'NETWORK',
        'the server cannot be reached; check your connection and try again',
      )
    })
    if (response.status === 204) return undefined as T
    const payload = await response.json().catch(() => undefined)
    if (response.ok) return payload as T

    const error = toApiError(response.status, payload)
    if (error.status === 401 && !options.quietUnauthorized) {
      window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT))
    }
    throw error
  }
}

/** The one client the screens share; it talks to the server that served the page. */
export const api = new ApiClient()

function toApiError(status: number, payload: unknown): ApiError {
  const error = (
    payload as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
  )?.error
  if (error?.code === undefined) {
    return new ApiError(
      status,
      'HTTP_ERROR',
      `the server answered ${status} without an explanation`,
    )
  }

  return new ApiError(status, error.code, error.message ?? error.code, error.details ?? {})
}

function toSearch(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.sort) params.set('sort', query.sort)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.offset) params.set('offset', String(query.offset))
  for (const [field, value] of Object.entries(query.filters ?? {}))
    params.set(`filter[${field}]`, value)
  if (query.deleted) params.set('deleted', '1')
  const text = params.toString()

  return text === '' ? '' : `?${text}`
}

function forecastSearch(query: ForecastQuery): string {
  const params = new URLSearchParams({ groupBy: query.groupBy.join(',') })
  if (query.from) params.set('from', query.from)
  if (query.to) params.set('to', query.to)

  return `?${params}`
}

function enc(segment: string): string {
  return encodeURIComponent(segment)
}

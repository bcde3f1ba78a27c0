import { ApiError, SESSION_EXPIRED_EVENT } from './api-client.ts'

/** Import options the wizard sends (the server checks them and names a bad one). */
export interface WizardOptions {
  encoding?: string
  delimiter?: string
  decimalMark?: '.' | ','
  dateOrder?: 'YMD' | 'DMY' | 'MDY'
  mappingName?: string
  mapping?: Record<string, { field: string | null }>
  acceptWarnings?: boolean
}

export type Counts = Record<
  'rows' | 'created' | 'updated' | 'skipped' | 'refused' | 'blank' | 'links' | 'relatedCreated',
  number
>

export interface RowError {
  row: number
  column: string | null
  field: string | null
  value: string | null
  message: string
}

/** What an import (or its dry run) reports; the server caps its lists, the counts are exact. */
export interface ImportReport {
  dryRun: boolean
  stopped: boolean
  encoding: string
  delimiter: string
  columns: { header: string; field: string | null; relation?: string; note?: string }[]
  counts: Counts
  checkedCounts?: Counts
  errors: RowError[]
  notices: RowError[]
  warnings: { code: string; message: string; column?: string; blocking: boolean }[]
  preview: {
    row: number
    values: Record<string, { raw: string; value: unknown; error?: string }>
  }[]
}

export interface ImportJob {
  id: number
  module: string
  status: 'running' | 'finished' | 'failed' | 'stopped' | 'interrupted' | 'undoing' | 'undone'
  createdBy: number | null
  createdAt: string
  finishedAt: string | null
  file: { name: string; bytes: number } | null
  progress: Counts & { bytesRead: number; totalBytes: number; lastLine: number }
  result?: ImportReport
  error?: { code: string; message: string }
  undo?: { removed?: number; restored?: number; unlinked?: number; skipped?: unknown[]; done?: number; error?: string }
  canResume: boolean
  canUndo: boolean
}

/** A job as the module's list of recent imports shows it: with the name of who started it. */
export interface ListedImportJob extends ImportJob {
  createdByName: string | null
}

export interface SavedMapping {
  name: string
  options: WizardOptions
}

/** A dry run of the file: nothing is written; answers the report with a preview of parsed values. */
export async function checkImport(
  module: string,
  file: File,
  options: WizardOptions,
): Promise<{ id: number; result: ImportReport }> {
  return request('POST', `/api/modules/${enc(module)}/import?dryRun=1`, form(file, options))
}

/** Starts the import job; the server answers at once with the running job. */
export async function startImport(
  module: string,
  file: File,
  options: WizardOptions,
): Promise<ImportJob> {
  return request('POST', `/api/modules/${enc(module)}/import`, form(file, options))
}

export async function getImportJob(id: number): Promise<ImportJob> {
  return request('GET', `/api/imports/${id}`)
}

/** The module's recent jobs, newest first: the user's own, or everyone's for an admin. */
export async function listImportJobs(module: string, limit = 20): Promise<ListedImportJob[]> {
  const { items } = await request<{ items: ListedImportJob[] }>(
    'GET',
    `/api/modules/${enc(module)}/imports?limit=${limit}`,
  )

  return items
}

export async function undoImportJob(id: number): Promise<ImportJob> {
  return request('POST', `/api/imports/${id}/undo`)
}

export async function resumeImportJob(id: number): Promise<ImportJob> {
  return request('POST', `/api/imports/${id}/resume`)
}

/** Where the refused rows of a job download as CSV with a reason column. */
export function refusedRowsHref(id: number): string {
  return `/api/imports/${id}/refused.csv`
}

export async function listMappings(module: string): Promise<SavedMapping[]> {
  const { items } = await request<{ items: SavedMapping[] }>(
    'GET',
    `/api/modules/${enc(module)}/import-mappings`,
  )

  return items
}

export async function saveMapping(
  module: string,
  name: string,
  options: WizardOptions,
): Promise<SavedMapping> {
  return request('PUT', `/api/modules/${enc(module)}/import-mappings/${enc(name)}`, { options })
}

function form(file: File, options: WizardOptions): FormData {
  const body = new FormData()
  body.set('file', file, file.name)
  body.set('options', JSON.stringify(options))

  return body
}

async function request<T>(method: string, path: string, body?: FormData | object): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET') headers['X-Requested-With'] = 'crm'
  if (body !== undefined && !(body instanceof FormData))
    headers['Content-Type'] = 'application/json'
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
  }).catch(() => {
    throw new ApiError(
      0,
      'NETWORK',
      'the server cannot be reached; check your connection and try again',
    )
  })
  const payload = (await response.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined
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

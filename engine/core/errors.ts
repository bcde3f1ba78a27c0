/**
 * Stable error codes of the engine. They are part of the HTTP API: the server
 * maps each one to a status in one table and clients may branch on them.
 */
export type ErrorCode =
  | 'DEFINITION_INVALID'
  | 'DEFINITION_STALE'
  | 'MODULE_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'RECORD_NOT_FOUND'
  | 'RECORD_INVALID'
  | 'RECORD_STALE'
  | 'RELATION_NOT_FOUND'
  | 'SCHEMA_CHANGE_UNSAFE'
  | 'QUERY_INVALID'
  | 'CSV_INVALID'
  | 'IMPORT_NOT_FOUND'
  | 'IMPORT_BUSY'
  | 'UNIQUE_VIOLATION'
  | 'AUTH_REQUIRED'
  | 'AUTH_FAILED'
  | 'AUTH_RATE_LIMITED'
  | 'FORBIDDEN'
  | 'CONVERSION_REFUSED'
  | 'FILE_TOO_LARGE'

/** One problem found while checking a definition, a record or a CSV row. */
export interface Issue {
  /** JSON pointer to the offending place, such as `/record/properties/amount` or `/amount`. */
  path: string
  /** The field the issue belongs to, when there is one. */
  field?: string
  /** Short machine-readable rule name, such as `required` or `enum`. */
  code: string
  /** One lowercase sentence that names the value and, when known, the fix. */
  message: string
}

/**
 * The one error class of the engine. `details` is JSON-safe and reaches API
 * clients as it is, so it never holds stack traces or raw SQL.
 */
export class EngineError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown>

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'EngineError'
    this.code = code
    this.details = details
  }
}

/** Builds the error thrown when a record or definition fails validation. */
export function invalid(code: ErrorCode, message: string, issues: Issue[]): EngineError {
  return new EngineError(code, message, { issues })
}

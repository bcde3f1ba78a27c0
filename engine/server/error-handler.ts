import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { EngineError, type ErrorCode } from '../core/errors.ts'
import type { Logger } from './logger.ts'

/** The one table from engine error codes to HTTP statuses. */
const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  DEFINITION_INVALID: 422,
  DEFINITION_STALE: 409,
  MODULE_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  RECORD_NOT_FOUND: 404,
  RECORD_INVALID: 422,
  RECORD_STALE: 412,
  RELATION_NOT_FOUND: 404,
  SCHEMA_CHANGE_UNSAFE: 422,
  QUERY_INVALID: 400,
  CSV_INVALID: 422,
  IMPORT_NOT_FOUND: 404,
  IMPORT_BUSY: 409,
  UNIQUE_VIOLATION: 409,
  AUTH_REQUIRED: 401,
  AUTH_FAILED: 401,
  AUTH_RATE_LIMITED: 429,
  FORBIDDEN: 403,
  CONVERSION_REFUSED: 422,
  FILE_TOO_LARGE: 413,
}

/**
 * Answers every failure as `{ error: { code, message, details } }`. Engine
 * errors keep their code; anything unexpected is logged with its stack and
 * answered as a bare 500, so no stack trace ever reaches a client.
 */
export function handleError(error: Error, c: Context, logger: Logger): Response {
  if (error instanceof EngineError) {
    if (error.code === 'AUTH_RATE_LIMITED') c.header('Retry-After', String(error.details.retryAfterSeconds ?? 900))

    return c.json({ error: { code: error.code, message: error.message, details: error.details } }, STATUS_OF[error.code])
  }
  if (error instanceof HTTPException) {
    const status = error.status
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 400 ? 'BAD_REQUEST' : 'HTTP_ERROR'

    return c.json({ error: { code, message: error.message || 'the request was refused', details: {} } }, status)
  }
  logger.error({ reqId: c.get('requestId' as never), err: error, method: c.req.method, path: c.req.path }, 'unexpected failure')

  return c.json({ error: { code: 'INTERNAL', message: 'something went wrong on the server; it has been logged', details: {} } }, 500)
}

/** Throws a 400 with a stable shape for malformed input the engine never saw. */
export function badRequest(message: string): never {
  throw new HTTPException(400, { message })
}

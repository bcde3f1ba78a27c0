import { EngineError } from '../errors.ts'

/**
 * The one place driver errors become engine errors. A unique index on a
 * field surfaces as UNIQUE_VIOLATION naming the field; anything else is
 * passed on untouched for the server to log as a 500.
 */
export function translateSqliteError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error)
  const unique = /UNIQUE constraint failed: (\w+)\.(\w+)/.exec(message)
  if (unique) {
    const [, table, column] = unique

    return new EngineError('UNIQUE_VIOLATION', `another record of "${table}" already has this ${column}`, {
      issues: [{ path: `/${column}`, field: column, code: 'unique', message: `the value is already used by another record` }],
    })
  }

  return error
}

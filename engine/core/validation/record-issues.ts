import type { ErrorObject } from 'ajv'
import type { FieldDefinition } from '../definition/types.ts'
import type { Issue } from '../errors.ts'

/*
 * Turns ajv's errors about a record into the engine's issues. The server's
 * validator and the web client's standalone validator both call this, so a
 * person reads the same sentence in the browser as in a 422. It imports
 * nothing but types: the client bundles it as it is.
 */

/** One issue per field at most (the first ajv reports), in ajv's order. */
export function issuesOf(
  errors: readonly ErrorObject[],
  fields: Record<string, FieldDefinition>,
  record: Record<string, unknown>,
): Issue[] {
  const issues = new Map<string, Issue>()
  for (const error of errors) {
    const issue = toIssue(error, fields, record)
    if (issue.field !== undefined && !issues.has(issue.field)) issues.set(issue.field, issue)
  }

  return [...issues.values()]
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list of values',
}

const FORMAT_WORDS: Record<string, string> = {
  date: 'date (YYYY-MM-DD)',
  'date-time': 'ISO 8601 date and time',
  email: 'e-mail address',
  uri: 'URL (https://…)',
}

function toIssue(error: ErrorObject, fields: Record<string, FieldDefinition>, record: Record<string, unknown>): Issue {
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') {
    const name = String(params.additionalProperty)

    return { path: `/${name}`, field: name, code: 'unknown-field', message: `"${name}" is not a field of this module (or it is archived)` }
  }
  const name = error.keyword === 'required' ? String(params.missingProperty) : error.instancePath.split('/')[1]
  const field = fields[name]
  const label = field?.title ?? name
  const value = record[name]
  const path = `/${name}`
  if (error.keyword === 'required' || value === null) {
    return { path, field: name, code: 'required', message: `${label} is required` }
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).filter((item) => item !== null).join(', ')

    return { path, field: name, code: 'enum', message: `"${String(value)}" is not a value of ${label}; allowed: ${allowed}` }
  }
  if (error.keyword === 'type') {
    const expected = String(params.type).split(',').filter((type) => type !== 'null')[0]

    return { path, field: name, code: 'type', message: `${label} must be ${TYPE_WORDS[expected] ?? expected}, not ${JSON.stringify(value)?.slice(0, 60)}` }
  }
  if (error.keyword === 'pattern' && field?.['x-kind'] === 'url') {
    return { path, field: name, code: 'format', message: `${label} must be a web address starting with http:// or https://` }
  }
  if (['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum'].includes(error.keyword)) {
    const limit = Number(params.limit).toLocaleString('en', { maximumFractionDigits: 20 })
    const words = { maximum: 'at most', minimum: 'at least', exclusiveMaximum: 'less than', exclusiveMinimum: 'more than' }[error.keyword]

    return { path, field: name, code: error.keyword, message: `${label} must be ${words} ${limit}` }
  }
  if (error.keyword === 'format') {
    const format = String(params.format)

    return { path, field: name, code: 'format', message: `${label} must be a valid ${FORMAT_WORDS[format] ?? format}` }
  }

  return { path, field: name, code: error.keyword, message: `${label} ${error.message}` }
}

import type { ErrorObject } from 'ajv'
import type { FieldDefinition, ModuleDefinition } from '../definition/types.ts'
import type { Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { createAjv } from './create-ajv.ts'

/** Validates whole records of one definition version, one issue per field at most. */
export type RecordValidator = (record: Record<string, unknown>) => Issue[]

const ajv = createAjv()

/**
 * Compiles the validator of a definition: the definition's record schema with
 * empty values allowed where a field is optional, and no unknown keys, so a
 * client that sends a misspelt or removed field hears about it.
 */
export function createRecordValidator(definition: ModuleDefinition): RecordValidator {
  const schema = recordSchemaOf(definition)
  const validate = ajv.compile(schema)
  const fields = definition.record.properties

  return (record) => {
    if (validate(record)) return []
    const issues = new Map<string, Issue>()
    for (const error of validate.errors ?? []) {
      const issue = toIssue(error, fields, record)
      if (issue.field !== undefined && !issues.has(issue.field)) issues.set(issue.field, issue)
    }

    return [...issues.values()]
  }
}

/** The JSON Schema records of a definition are validated with; also served to clients. */
export function recordSchemaOf(definition: ModuleDefinition): Record<string, unknown> {
  const required = new Set(definition.record.required ?? [])
  const properties: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(definition.record.properties)) {
    if (field['x-archived']) continue
    const schema = kindOf(field).schemaFor(field)
    properties[name] = required.has(name) && !kindOf(field).isGenerated ? schema : nullable(schema)
  }

  return {
    type: 'object',
    additionalProperties: false,
    required: [...required].filter((name) => properties[name] !== undefined && !kindOf(definition.record.properties[name]).isGenerated),
    properties,
  }
}

function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...schema, type: [schema.type, 'null'] }
  if (Array.isArray(schema.enum)) result.enum = [...schema.enum, null]

  return result
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
    const words: Record<string, string> = { string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false', array: 'a list of values' }

    return { path, field: name, code: 'type', message: `${label} must be ${words[expected] ?? expected}, not ${JSON.stringify(value)?.slice(0, 60)}` }
  }
  if (error.keyword === 'pattern' && field?.['x-kind'] === 'url') {
    return { path, field: name, code: 'format', message: `${label} must be a web address starting with http:// or https://` }
  }
  if (error.keyword === 'format') {
    return { path, field: name, code: 'format', message: `${label} must be a valid ${describeFormat(String(params.format))}` }
  }

  return { path, field: name, code: error.keyword, message: `${label} ${error.message}` }
}

function describeFormat(format: string): string {
  return { date: 'date (YYYY-MM-DD)', 'date-time': 'ISO 8601 date and time', email: 'e-mail address', uri: 'URL (https://…)' }[format] ?? format
}

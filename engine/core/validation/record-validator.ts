import type { ModuleDefinition } from '../definition/types.ts'
import type { Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { createAjv } from './create-ajv.ts'
import { issuesOf } from './record-issues.ts'

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

  return (record) => (validate(record) ? [] : issuesOf(validate.errors ?? [], fields, record))
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

import { compile } from 'json-schema-to-typescript'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { recordSchemaOf } from '../validation/record-validator.ts'

/**
 * The TypeScript types of a module's records, generated from the live
 * definition by json-schema-to-typescript: `<Name>Input` (what a writer may
 * send) and `<Name>Record` (what the API answers, with system properties).
 */
export async function generateModuleTypes(runtime: ModuleRuntime): Promise<string> {
  const singular = typeName(runtime.definition.label.singular)
  const schema = recordSchemaOf(runtime.definition) as { properties: Record<string, Record<string, unknown>>; required: string[] }
  const properties: Record<string, unknown> = {}
  for (const [name, property] of Object.entries(schema.properties)) {
    const field = runtime.fields.get(name)!
    // Generated and read-only fields are answered by the API but never accepted from writers.
    if (field.readOnly || field['x-kind'] === 'auto-number' || field['x-kind'] === 'computed') continue
    properties[name] = { ...stripExtensions(property), description: field.title }
  }
  // The owner and fields with a default are filled by the engine when a writer leaves them out.
  const defaulted = (name: string) => name === runtime.definition.ownerField || runtime.fields.get(name)?.default !== undefined
  const required = schema.required.filter((name) => !defaulted(name))
  const input = { title: `${singular}Input`, type: 'object', additionalProperties: false, required, properties }
  const recordProperties: Record<string, unknown> = {
    id: { type: 'integer' },
    version: { type: 'integer' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    created_by: { type: ['integer', 'null'] },
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    recordProperties[name] = { ...stripExtensions(nullable(property)), description: runtime.fields.get(name)!.title }
  }
  recordProperties._labels = { type: 'object', additionalProperties: { type: 'string' } }
  const record = {
    title: `${singular}Record`,
    type: 'object',
    additionalProperties: false,
    required: ['id', 'version', 'created_at', 'updated_at', 'created_by', ...Object.keys(schema.properties)],
    properties: recordProperties,
  }
  const banner = `/* Types of the ${runtime.definition.label.plural} module, definition version ${runtime.version}. Generated from the live definition; do not edit. */`
  const options = { bannerComment: '', additionalProperties: false, strictIndexSignatures: true, format: true }
  const parts = [await compile(input as never, `${singular}Input`, options), await compile(record as never, `${singular}Record`, options)]

  return `${banner}\n\n${parts.join('\n')}`
}

function typeName(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('') || 'Module'
}

function stripExtensions(schema: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !key.startsWith('x-')))
}

function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const type = schema.type
  if (Array.isArray(type)) return schema
  const result: Record<string, unknown> = { ...schema, type: [type, 'null'] }
  if (Array.isArray(schema.enum)) result.enum = [...schema.enum, null]

  return result
}

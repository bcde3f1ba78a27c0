import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { recordSchemaOf } from '../validation/record-validator.ts'
import { timelinePathsOf } from './openapi-timeline-paths.ts'

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'object',
          properties: { issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } } },
        },
      },
    },
  },
}

/**
 * An OpenAPI 3.1 document of the HTTP API, generated from the live
 * definitions: every module's record, input and list schemas come from its
 * current version, so a new field or label shows here at once.
 */
export function createOpenApiDocument(runtimes: Iterable<ModuleRuntime>): Record<string, unknown> {
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA }
  const paths: Record<string, unknown> = {}
  const versions: string[] = []
  for (const runtime of runtimes) {
    const name = schemaName(runtime.definition.label.singular)
    const { input, record } = schemasOf(runtime)
    schemas[`${name}Input`] = input
    schemas[`${name}Record`] = record
    versions.push(`${runtime.name} v${runtime.version}`)
    Object.assign(paths, pathsOf(runtime, name), timelinePathsOf(runtime, { $ref: `#/components/schemas/${name}Record` }))
  }

  return {
    openapi: '3.1.0',
    info: { title: 'CRM module engine API', version: versions.join(', '), description: 'Generated from the live module definitions.' },
    servers: [{ url: '/' }],
    components: {
      schemas,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'crm_session' } },
      responses: { Error: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    },
    security: [{ session: [] }],
    paths,
  }
}

function schemasOf(runtime: ModuleRuntime) {
  const base = recordSchemaOf(runtime.definition) as { properties: Record<string, Record<string, unknown>>; required: string[] }
  const describe = (name: string, schema: Record<string, unknown>) => {
    const field = runtime.fields.get(name)!
    const clean = Object.fromEntries(Object.entries(schema).filter(([key]) => !key.startsWith('x-')))

    return { ...clean, title: field.title, ...(field.description ? { description: field.description } : {}), ...(field.readOnly || field['x-kind'] === 'computed' || field['x-kind'] === 'auto-number' ? { readOnly: true } : {}) }
  }
  const writable = Object.entries(base.properties).filter(([name]) => {
    const field = runtime.fields.get(name)!

    return !(field.readOnly || field['x-kind'] === 'computed' || field['x-kind'] === 'auto-number')
  })
  const owner = runtime.definition.ownerField
  const input = {
    type: 'object',
    additionalProperties: false,
    required: base.required.filter((name) => name !== owner && runtime.fields.get(name)?.default === undefined),
    properties: Object.fromEntries(writable.map(([name, schema]) => [name, describe(name, schema)])),
  }
  const record = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      version: { type: 'integer', description: 'send it back in If-Match when updating' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
      created_by: { type: ['integer', 'null'] },
      ...Object.fromEntries(Object.entries(base.properties).map(([name, schema]) => [name, describe(name, schema)])),
      _labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'titles of the records that relation and user fields point to' },
    },
  }

  return { input, record }
}

function pathsOf(runtime: ModuleRuntime, name: string): Record<string, unknown> {
  const base = `/api/modules/${runtime.name}/records`
  const ref = (suffix: string) => ({ $ref: `#/components/schemas/${name}${suffix}` })
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
  const errors = { '400': { $ref: '#/components/responses/Error' }, '401': { $ref: '#/components/responses/Error' }, '404': { $ref: '#/components/responses/Error' } }
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
  const fields = [...runtime.fields.keys()]
  const listParameters = [
    { name: 'q', in: 'query', schema: { type: 'string' }, description: 'search in the searchable fields' },
    { name: 'sort', in: 'query', schema: { type: 'string' }, description: `comma-separated fields, "-" for descending: ${fields.join(', ')}` },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
    { name: 'filter', in: 'query', style: 'deepObject', explode: true, schema: { type: 'object' }, description: 'filter[field]=value or filter[field][eq|ne|lt|lte|gt|gte|contains|in|empty]=value' },
  ]
  const tag = runtime.definition.label.plural

  return {
    [base]: {
      get: { tags: [tag], summary: `List ${tag}`, parameters: listParameters, responses: { '200': { description: 'a page', ...json({ type: 'object', properties: { items: { type: 'array', items: ref('Record') }, total: { type: 'integer' } } }) }, ...errors } },
      post: { tags: [tag], summary: `Create a ${runtime.definition.label.singular}`, requestBody: { required: true, ...json(ref('Input')) }, responses: { '201': { description: 'created', ...json(ref('Record')) }, '422': { $ref: '#/components/responses/Error' }, ...errors } },
    },
    [`${base}/{id}`]: {
      parameters: [id],
      get: { tags: [tag], summary: `Read a ${runtime.definition.label.singular}`, responses: { '200': { description: 'the record', ...json(ref('Record')) }, ...errors } },
      patch: {
        tags: [tag],
        summary: `Update a ${runtime.definition.label.singular}`,
        parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'the version you read; 412 when it changed' }],
        requestBody: { required: true, ...json({ ...ref('Input'), description: 'only the fields to change' }) },
        responses: { '200': { description: 'the updated record', ...json(ref('Record')) }, '412': { $ref: '#/components/responses/Error' }, '422': { $ref: '#/components/responses/Error' }, ...errors },
      },
      delete: { tags: [tag], summary: 'Move to the recycle bin', responses: { '204': { description: 'deleted' }, ...errors } },
    },
  }
}

function schemaName(label: string): string {
  return label.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('') || 'Module'
}

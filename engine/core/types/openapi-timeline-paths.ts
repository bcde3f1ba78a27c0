import type { ModuleRuntime } from '../definition/module-runtime.ts'

const ERROR = { $ref: '#/components/responses/Error' }
const ERRORS = { '400': ERROR, '401': ERROR, '404': ERROR }
const ID = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
const TIMELINE_ITEM = {
  type: 'object',
  required: ['kind', 'at', 'by', 'title'],
  properties: {
    kind: {
      type: 'string',
      description: 'comment, change, or the kind a linked module declares (activity, document)',
    },
    at: { type: 'string', format: 'date-time' },
    by: {
      type: ['object', 'null'],
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
    },
    title: { type: 'string' },
    body: { type: 'string' },
    link: { type: 'string' },
    record: { type: 'object', properties: { module: { type: 'string' }, id: { type: 'integer' } } },
  },
}

/**
 * The paths every record has beside its CRUD: timeline, comments, attached
 * documents, the file of a record that holds one, and conversion for modules
 * that declare it.
 */
export function timelinePathsOf(
  runtime: ModuleRuntime,
  recordRef: { $ref: string },
): Record<string, unknown> {
  const base = `/api/modules/${runtime.name}/records/{id}`
  const tags = [runtime.definition.label.plural]
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
  const paths: Record<string, unknown> = {
    [`${base}/timeline`]: {
      parameters: [ID],
      get: {
        tags,
        summary: 'Comments, linked activities and documents, and changes, newest first',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
        ],
        responses: {
          '200': {
            description: 'a page',
            ...json({
              type: 'object',
              properties: {
                items: { type: 'array', items: TIMELINE_ITEM },
                total: { type: 'integer' },
              },
            }),
          },
          ...ERRORS,
        },
      },
    },
    [`${base}/comments`]: {
      parameters: [ID],
      post: {
        tags,
        summary: 'Add a plain-text comment',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['body'],
            properties: { body: { type: 'string', maxLength: 10000 } },
          }),
        },
        responses: { '201': { description: 'the comment' }, '422': ERROR, ...ERRORS },
      },
    },
    [`${base}/documents`]: {
      parameters: [ID],
      post: {
        tags,
        summary: 'Attach a file (at most 20 MB) as a new document',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  file: { type: 'string', format: 'binary' },
                  title: { type: 'string' },
                  notes: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '201': { description: 'the document record' },
          '413': ERROR,
          '422': ERROR,
          ...ERRORS,
        },
      },
    },
  }
  if (runtime.definition.behaviours?.file) {
    paths[`${base}/file`] = {
      parameters: [ID],
      get: {
        tags,
        summary: 'Download the file, always as an attachment',
        responses: {
          '200': { description: 'the bytes', content: { 'application/octet-stream': {} } },
          ...ERRORS,
        },
      },
    }
  }
  if (runtime.definition.behaviours?.conversion) {
    const targets = Object.keys(runtime.definition.behaviours.conversion.targets)
    const request = json({
      type: 'object',
      description: `create<Target> flags for optional targets, values per target (${targets.join(', ')}), link: { target: id }, ignoreSimilar: [targets]`,
    })
    paths[`${base}/convert/preview`] = {
      parameters: [ID],
      post: {
        tags,
        summary: 'What a conversion would make, reuse, fill and refuse',
        requestBody: request,
        responses: { '200': { description: 'the plan' }, ...ERRORS },
      },
    }
    paths[`${base}/convert`] = {
      parameters: [ID],
      post: {
        tags,
        summary: 'Convert in one transaction',
        requestBody: request,
        responses: {
          '200': {
            description: 'the converted record and what it became',
            ...json({ type: 'object', properties: { lead: recordRef } }),
          },
          '422': ERROR,
          ...ERRORS,
        },
      },
    }
  }

  return paths
}

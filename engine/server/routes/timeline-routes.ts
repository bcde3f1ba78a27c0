import { Hono, type Context } from 'hono'
import { addComment } from '../../core/timeline/add-comment.ts'
import { attachFile } from '../../core/timeline/attach-file.ts'
import { readRecordFile, type StoredFile } from '../../core/timeline/read-file.ts'
import { readTimeline } from '../../core/timeline/read-timeline.ts'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
import { readId } from '../read-id.ts'
import { readJsonObject } from '../read-json.ts'

/** The module that takes uploads attached to records: the shipped Documents module. */
const DOCUMENTS = 'documents'

/**
 * A record's documents, comments and timeline, under `/api/modules`:
 * `POST /:module/records/:id/documents` (multipart: `file`, optional `title`
 * and `notes`), `POST /:module/records/:id/comments` (`{ body }`),
 * `GET /:module/records/:id/timeline?limit=&offset=` and the file of a
 * record that holds one, `GET /:module/records/:id/file`. Activities are
 * records like any other, linked by their parent fields. Everything needs
 * the caller to see the record: 404 otherwise.
 * TODO(#6): the web client shows no timeline, upload or comment box yet.
 */
export function timelineRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:module/records/:id/documents', async (c) => {
    const parent = { module: c.req.param('module'), id: readId(c.req.param('id')) }
    const form = await c.req
      .parseBody()
      .catch(() => badRequest('send the file as multipart/form-data with a "file" field'))
    const file = form.file
    if (!(file instanceof File)) badRequest('the upload needs a "file" field holding the file')
    const fields: Record<string, unknown> = {}
    for (const name of ['title', 'notes'])
      if (typeof form[name] === 'string' && form[name] !== '') fields[name] = form[name]
    const upload = {
      name: file.name,
      type: file.type,
      bytes: new Uint8Array(await file.arrayBuffer()),
    }
    const document = await attachFile(
      c.get('engine'),
      DOCUMENTS,
      parent,
      upload,
      fields,
      c.get('user'),
    )
    c.get('logger').info(
      {
        reqId: c.get('requestId'),
        module: parent.module,
        id: parent.id,
        document: document.id,
        bytes: upload.bytes.length,
      },
      'file attached',
    )

    return c.json(document, 201)
  })

  app.post('/:module/records/:id/comments', async (c) => {
    const body = await readJsonObject(c)
    const comment = await addComment(
      c.get('engine'),
      c.req.param('module'),
      readId(c.req.param('id')),
      body.body,
      c.get('user'),
    )

    return c.json(comment, 201)
  })

  app.get('/:module/records/:id/timeline', async (c) => {
    const page = {
      limit: readNumber(c.req.query('limit'), 'limit'),
      offset: readNumber(c.req.query('offset'), 'offset'),
    }

    return c.json(
      await readTimeline(
        c.get('engine'),
        c.req.param('module'),
        readId(c.req.param('id')),
        c.get('user'),
        page,
      ),
    )
  })

  app.get('/:module/records/:id/file', async (c) =>
    download(
      c,
      await readRecordFile(
        c.get('engine'),
        c.req.param('module'),
        readId(c.req.param('id')),
        c.get('user'),
      ),
    ),
  )

  return app
}

/** `GET /api/documents/:id/download`: a document's file, always as an attachment. */
export function documentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:id/download', async (c) =>
    download(
      c,
      await readRecordFile(c.get('engine'), DOCUMENTS, readId(c.req.param('id')), c.get('user')),
    ),
  )

  return app
}

/** Types a browser shows without running anything; every other type is sent as opaque bytes. */
const PASSIVE_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
])

/**
 * Sends a stored file so that no browser ever renders it as a page of this
 * site: always an attachment, no sniffing, a passive type or octet-stream;
 * the app's Content-Security-Policy (no inline script) covers it as well.
 */
function download(c: Context<AppEnv>, file: StoredFile): Response {
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  c.header(
    'Content-Type',
    PASSIVE_TYPES.has(file.mimeType) ? file.mimeType : 'application/octet-stream',
  )
  c.header(
    'Content-Disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(file.name)}`,
  )
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Cache-Control', 'private, no-store')
  c.header('Content-Length', String(file.size))

  return c.body(file.bytes as Uint8Array<ArrayBuffer>)
}

function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(
    /['()]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

function readNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d{1,6}$/.test(text)) badRequest(`${name} must be a whole number`)

  return Number(text)
}

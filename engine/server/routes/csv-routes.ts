import { Hono } from 'hono'
import { assertCan } from '../../core/access/access-policy.ts'
import { exportCsv } from '../../core/csv/export-csv.ts'
import { importCsv, type ImportOptions } from '../../core/csv/import-csv.ts'
import { assignOwn } from '../../core/definition/own-keys.ts'
import { EngineError } from '../../core/errors.ts'
import { finishImportJob, insertImportJob, selectImportJob } from '../../core/storage/import-jobs.ts'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
import { readId } from '../read-id.ts'
import { readListQuery } from './list-query-params.ts'

const OPTION_FIELDS = ['encoding', 'delimiter', 'decimalMark', 'dateOrder'] as const

/** CSV import (multipart upload, `?dryRun=1`) and export of any module. */
export function csvRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:module/import', async (c) => {
    const engine = c.get('engine')
    const module = c.req.param('module')
    assertCan(c.get('user'), engine.runtime(module), 'import')
    const form = await c.req.parseBody().catch(() => badRequest('send the file as multipart/form-data with a "file" field'))
    const file = form.file
    if (!(file instanceof File)) badRequest('the upload needs a "file" field holding the CSV file')
    const options = readImportOptions(form, new URL(c.req.url).searchParams.get('dryRun') === '1')
    const user = c.get('user')
    const jobId = await engine.db.write((trx) => insertImportJob(trx, module, user.id))
    const logger = c.get('logger')
    logger.info({ reqId: c.get('requestId'), module, jobId, bytes: file.size, dryRun: options.dryRun }, 'import started')
    // TODO(#4): stream the multipart body instead of letting the parser buffer the file.
    try {
      const result = await importCsv(engine, module, new Uint8Array(await file.arrayBuffer()), options, user)
      await engine.db.write((trx) => finishImportJob(trx, jobId, 'finished', result))
      logger.info({ reqId: c.get('requestId'), module, jobId, counts: result.counts }, 'import finished')

      return c.json({ id: jobId, status: 'finished', result })
    } catch (error) {
      const report = error instanceof EngineError ? { code: error.code, message: error.message, details: error.details } : { code: 'INTERNAL', message: 'the import failed' }
      await engine.db.write((trx) => finishImportJob(trx, jobId, 'failed', { error: report }))
      throw error
    }
  })

  app.get('/:module/export', async (c) => {
    const engine = c.get('engine')
    const module = c.req.param('module')
    assertCan(c.get('user'), engine.runtime(module), 'export')
    const params = new URL(c.req.url).searchParams
    const fields = params.get('fields')?.split(',').filter(Boolean)
    const flavour = params.get('flavour') === 'excel' ? 'excel' : 'standard'
    const query = readListQuery(c.req.url)
    const user = c.get('user')
    // Run the query once before streaming, so bad filters or fields answer as JSON errors, not a cut stream.
    await engine.records.list(module, { ...query, limit: 1 }, user)
    const iterator = exportCsv(engine, module, { fields, query, flavour, actor: user })[Symbol.asyncIterator]()
    const first = await iterator.next()
    const encoder = new TextEncoder()
    const logger = c.get('logger')
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) controller.enqueue(encoder.encode(first.value))
      },
      async pull(controller) {
        try {
          const next = await iterator.next()
          if (next.done) controller.close()
          else controller.enqueue(encoder.encode(next.value))
        } catch (error) {
          logger.error({ err: error, module }, 'export failed while streaming')
          controller.error(error)
        }
      },
    })
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="${module}.csv"`)

    return c.body(body)
  })

  return app
}

/** Import jobs: their progress and result. */
export function importJobRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:id', async (c) => {
    const id = readId(c.req.param('id'))
    const job = await c.get('engine').db.read((reader) => selectImportJob(reader, id))
    if (!job) throw new EngineError('IMPORT_NOT_FOUND', `import job ${c.req.param('id')} does not exist`)

    return c.json(job)
  })

  return app
}

function readImportOptions(form: Record<string, unknown>, dryRun: boolean): ImportOptions {
  const options: Record<string, unknown> = {}
  if (typeof form.options === 'string' && form.options.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(form.options)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) badRequest('the "options" field must be a JSON object')
      assignOwn(options, parsed as object)
    } catch {
      badRequest('the "options" field must be JSON')
    }
  }
  for (const name of OPTION_FIELDS) if (typeof form[name] === 'string' && form[name] !== '') options[name] = form[name]

  return { ...options, dryRun } as ImportOptions
}

import { Hono } from 'hono'
import { assertCan } from '../../core/access/access-policy.ts'
import { exportCsv } from '../../core/csv/export-csv.ts'
import { importCsv, type ImportOptions } from '../../core/csv/import-csv.ts'
import { EngineError } from '../../core/errors.ts'
import { finishImportJob, insertImportJob, selectImportJob } from '../../core/storage/import-jobs.ts'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
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
    const chunks = exportCsv(engine, module, { fields, query: readListQuery(c.req.url), flavour })
    const iterator = chunks[Symbol.asyncIterator]()
    // Pull the first chunk before answering, so a bad field list still gets a JSON error.
    const first = await iterator.next()
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) controller.enqueue(encoder.encode(first.value))
      },
      async pull(controller) {
        const next = await iterator.next()
        if (next.done) controller.close()
        else controller.enqueue(encoder.encode(next.value))
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
    const id = Number(c.req.param('id'))
    const job = Number.isInteger(id) ? await c.get('engine').db.read((reader) => selectImportJob(reader, id)) : undefined
    if (!job) throw new EngineError('IMPORT_NOT_FOUND', `import job ${c.req.param('id')} does not exist`)

    return c.json(job)
  })

  return app
}

function readImportOptions(form: Record<string, unknown>, dryRun: boolean): ImportOptions {
  const options: Record<string, unknown> = {}
  if (typeof form.options === 'string' && form.options.trim() !== '') {
    try {
      Object.assign(options, JSON.parse(form.options))
    } catch {
      badRequest('the "options" field must be JSON')
    }
  }
  for (const name of OPTION_FIELDS) if (typeof form[name] === 'string' && form[name] !== '') options[name] = form[name]

  return { ...options, dryRun } as ImportOptions
}

import { Hono, type Context } from 'hono'
import { rm } from 'node:fs/promises'
import { assertCan } from '../../core/access/access-policy.ts'
import { exportCsv } from '../../core/csv/export-csv.ts'
import type { ImportOptions } from '../../core/csv/import-csv.ts'
import { importJobsOf } from '../../core/csv/import-job-service.ts'
import { authorsOf } from '../../core/csv/list-import-jobs.ts'
import { deleteImportMapping, listImportMappings, loadImportMapping, saveImportMapping } from '../../core/csv/import-mappings.ts'
import { assignOwn } from '../../core/definition/own-keys.ts'
import { EngineError } from '../../core/errors.ts'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
import { readId } from '../read-id.ts'
import { readJsonObject } from '../read-json.ts'
import { receiveUpload } from '../receive-upload.ts'
import { readListQuery } from './list-query-params.ts'

const OPTION_FIELDS = ['encoding', 'delimiter', 'decimalMark', 'dateOrder', 'mappingName'] as const
/** Largest upload: counted while it streams to disk, since the body-size guard would buffer it. */
const UPLOAD_LIMIT = 512 * 1024 * 1024

/** `standard` unless given; lossless files are for re-import only (no formula escaping). */
function readFlavour(given: string | null): 'standard' | 'excel' | 'lossless' {
  if (given === null || given === 'standard' || given === 'excel' || given === 'lossless') return given ?? 'standard'
  throw new EngineError('QUERY_INVALID', `flavour "${given}" is unknown; use standard, excel or lossless`, { flavour: given })
}

function readDecimalMark(given: string | null): '.' | ',' | undefined {
  if (given === null) return undefined
  if (given === '.' || given === ',') return given
  throw new EngineError('QUERY_INVALID', `decimalMark "${given}" is unknown; use "." or ","`, { decimalMark: given })
}

/** CSV import (multipart upload, `?dryRun=1`) and export of any module. */
export function csvRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:module/import', async (c) => {
    const engine = c.get('engine')
    const module = c.req.param('module')
    const user = c.get('user')
    assertCan(user, engine.runtime(module), 'import')
    const jobs = importJobsOf(engine)
    const dryRun = new URL(c.req.url).searchParams.get('dryRun') === '1'
    const { upload, fields } = await receiveUpload(c.req.raw, jobs.uploadFolder, UPLOAD_LIMIT)
    const logger = c.get('logger')
    const started = { reqId: c.get('requestId'), module, bytes: upload.bytes, dryRun }
    let options: ImportOptions
    try {
      options = readImportOptions(fields, dryRun)
    } catch (error) {
      await rm(upload.path, { force: true })
      throw error
    }
    if (dryRun) {
      const answer = await jobs.dryRun(module, upload, options, user)
      logger.info({ ...started, jobId: answer.id, counts: answer.result.counts }, 'import checked')

      return c.json(answer)
    }
    const job = await jobs.start(module, upload, options, user).catch(async (error: unknown) => {
      await rm(upload.path, { force: true })
      throw error
    })
    logger.info({ ...started, jobId: job.id }, 'import started')
    void jobs.settled(job.id).then(() =>
      jobs.get(job.id, user).then(
        (done) => logger.info({ reqId: started.reqId, module, jobId: job.id, status: done.status, counts: done.progress }, 'import ended'),
        () => undefined,
      ),
    )

    return c.json(job, 202)
  })

  // The wizard's "Recent imports": each job with the name of who started it.
  app.get('/:module/imports', async (c) => {
    const engine = c.get('engine')
    const given = new URL(c.req.url).searchParams.get('limit')
    const limit = given === null ? undefined : Number(given)
    const items = await importJobsOf(engine).list(c.req.param('module'), c.get('user'), { limit })
    const authors = await authorsOf(engine, items)
    const nameOf = (id: number | null) => (id === null ? null : (authors.get(id) ?? `#${id}`))

    return c.json({ items: items.map((job) => ({ ...job, createdByName: nameOf(job.createdBy) })) })
  })

  app.get('/:module/import-mappings', async (c) => {
    const module = c.req.param('module')
    assertCan(c.get('user'), c.get('engine').runtime(module), 'import')

    return c.json({ items: await listImportMappings(c.get('engine'), module) })
  })

  app.get('/:module/import-mappings/:name', async (c) => {
    const module = c.req.param('module')
    assertCan(c.get('user'), c.get('engine').runtime(module), 'import')

    return c.json(await loadImportMapping(c.get('engine'), module, c.req.param('name')))
  })

  app.put('/:module/import-mappings/:name', async (c) => {
    const body = await readJsonObject(c)
    const options = isObject(body) && 'options' in body ? body.options : body

    return c.json(await saveImportMapping(c.get('engine'), c.req.param('module'), c.req.param('name'), options, c.get('user')))
  })

  app.delete('/:module/import-mappings/:name', async (c) => {
    const module = c.req.param('module')
    const name = c.req.param('name')
    if (!(await deleteImportMapping(c.get('engine'), module, name, c.get('user')))) {
      throw new EngineError('IMPORT_NOT_FOUND', `there is no saved import mapping named "${name}"`, { mappingName: name })
    }

    return c.body(null, 204)
  })

  app.get('/:module/export', async (c) => {
    const engine = c.get('engine')
    const module = c.req.param('module')
    assertCan(c.get('user'), engine.runtime(module), 'export')
    const params = new URL(c.req.url).searchParams
    const fields = params.get('fields')?.split(',').filter(Boolean)
    const relations = params.has('relations') ? params.get('relations')!.split(',').filter(Boolean) : undefined
    const flavour = readFlavour(params.get('flavour'))
    const decimalMark = readDecimalMark(params.get('decimalMark'))
    const query = readListQuery(c.req.url)
    const user = c.get('user')
    // Run the query once before streaming, so bad filters or fields answer as JSON errors, not a cut stream.
    await engine.records.list(module, { ...query, limit: 1 }, user)
    const iterator = exportCsv(engine, module, { fields, relations, query, flavour, decimalMark, actor: user })[Symbol.asyncIterator]()
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
    c.header('Content-Disposition', `attachment; filename="${module}${flavour === 'lossless' ? '-lossless' : ''}.csv"`)

    return c.body(body)
  })

  return app
}

/** Import jobs: progress and result, refused rows, resume and undo. */
export function importJobRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const jobsOf = (c: Context<AppEnv>) => importJobsOf(c.get('engine'))

  app.get('/:id', async (c) => c.json(await jobsOf(c).get(readId(c.req.param('id')), c.get('user'))))

  app.post('/:id/resume', async (c) => c.json(await jobsOf(c).resume(readId(c.req.param('id')), c.get('user')), 202))

  app.post('/:id/undo', async (c) => c.json(await jobsOf(c).undo(readId(c.req.param('id')), c.get('user')), 202))

  app.get('/:id/refused.csv', async (c) => {
    const id = readId(c.req.param('id'))
    const chunks = await jobsOf(c).refusedRowsCsv(id, c.get('user'))
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="import-${id}-refused.csv"`)

    return c.body(streamText(chunks, c.get('logger')))
  })

  return app
}

/** Text chunks as a response body, pulled one at a time so memory stays flat. */
function streamText(chunks: AsyncIterable<string>, logger: AppEnv['Variables']['logger']): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]()
  const encoder = new TextEncoder()

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) controller.close()
        else controller.enqueue(encoder.encode(next.value))
      } catch (error) {
        logger.error({ err: error }, 'refused rows failed while streaming')
        controller.error(error)
      }
    },
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readImportOptions(form: Record<string, string>, dryRun: boolean): ImportOptions {
  const options: Record<string, unknown> = {}
  if (typeof form.options === 'string' && form.options.trim() !== '') {
    let parsed: unknown
    try {
      parsed = JSON.parse(form.options)
    } catch {
      badRequest('the "options" field must be JSON')
    }
    if (!isObject(parsed)) badRequest('the "options" field must be a JSON object')
    assignOwn(options, parsed)
  }
  for (const name of OPTION_FIELDS) if (typeof form[name] === 'string' && form[name] !== '') options[name] = form[name]

  return { ...options, dryRun } as ImportOptions
}

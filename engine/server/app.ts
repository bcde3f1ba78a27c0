import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Engine } from '../core/engine.ts'
import { createOpenApiDocument } from '../core/types/openapi-document.ts'
import type { AppEnv } from './app-env.ts'
import { handleError } from './error-handler.ts'
import type { Logger } from './logger.ts'
import { adminRoutes } from './routes/admin-routes.ts'
import { csvRoutes, importJobRoutes } from './routes/csv-routes.ts'
import { forecastRoutes } from './routes/forecast-routes.ts'
import { historyRoutes } from './routes/history-routes.ts'
import { leadRoutes } from './routes/lead-routes.ts'
import { documentRoutes, timelineRoutes } from './routes/timeline-routes.ts'
import { MAX_FILE_BYTES } from '../core/timeline/attach-file.ts'
import { moduleRoutes } from './routes/module-routes.ts'
import { validatorRoute } from './routes/validator-route.ts'
import { viewRoutes } from './routes/view-routes.ts'
import { recordRoutes } from './routes/record-routes.ts'
import { sessionRoutes } from './routes/session-routes.ts'
import { requireSession } from './session.ts'

export interface AppOptions {
  logger: Logger
  /** The built web client (`dist/ui`); served with index.html for client routes. */
  staticDir?: string
}

const JSON_BODY_LIMIT = 2 * 1024 * 1024
const UPLOAD_LIMIT = 512 * 1024 * 1024
/** A file attached to a record, with room for the multipart envelope and its text fields. */
const DOCUMENT_UPLOAD_LIMIT = MAX_FILE_BYTES + 1024 * 1024
const DOCUMENT_UPLOAD = /^\/api\/modules\/[^/]+\/records\/[^/]+\/documents$/

/** The Hono app over one engine: the HTTP API of DESIGN.md and the web client. */
export function createApp(engine: Engine, options: AppOptions): Hono<AppEnv> {
  const { logger } = options
  const app = new Hono<AppEnv>()

  app.use('*', async (c, next) => {
    const started = performance.now()
    c.set('engine', engine)
    c.set('logger', logger)
    c.set('requestId', randomUUID())
    await next()
    if (c.req.path.startsWith('/api/')) {
      const fields = { reqId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Math.round(performance.now() - started) }
      logger.info(fields, 'request')
    }
  })
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
      xFrameOptions: 'DENY',
    }),
  )
  app.use('/api/*', async (c, next) => {
    // An upload streams to disk and counts its own bytes (csv-routes): this guard would buffer it.
    if (/^\/api\/modules\/[^/]+\/import$/.test(c.req.path) && c.req.method === 'POST') return next()
    const isDocument = DOCUMENT_UPLOAD.test(c.req.path)
    const limit = /\/import$/.test(c.req.path) ? UPLOAD_LIMIT : isDocument ? DOCUMENT_UPLOAD_LIMIT : JSON_BODY_LIMIT
    const guard = bodyLimit({
      maxSize: limit,
      onError: () => {
        if (isDocument) throw new HTTPException(413, { message: `the file is too large: a file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB` })
        throw new HTTPException(413, { message: `the request body is larger than ${Math.round(limit / 1024 / 1024)} MB` })
      },
    })

    return guard(c, next)
  })

  app.get('/api/health', (c) => c.json({ ok: true }))
  app.route('/api/session', sessionRoutes())
  app.use('/api/modules/*', requireSession())
  app.use('/api/modules', requireSession())
  app.use('/api/imports/*', requireSession())
  app.use('/api/documents/*', requireSession())
  for (const path of ['/api/roles', '/api/roles/*', '/api/users/*', '/api/tokens', '/api/tokens/*']) app.use(path, requireSession())
  app.route('/api', adminRoutes())
  app.use('/api/currencies', requireSession())
  app.route('/api', forecastRoutes())
  app.use('/api/openapi.json', requireSession())
  app.get('/api/openapi.json', (c) => c.json(createOpenApiDocument(engine.runtimes().values())))
  app.route('/api/modules', moduleRoutes())
  app.route('/api/modules', validatorRoute())
  app.route('/api/modules', recordRoutes())
  app.route('/api/modules', csvRoutes())
  app.route('/api/modules', historyRoutes())
  app.route('/api/modules', leadRoutes())
  app.route('/api/modules', timelineRoutes())
  app.route('/api/documents', documentRoutes())
  app.route('/api/modules', viewRoutes())
  app.route('/api/imports', importJobRoutes())
  app.all('/api/*', (c) => c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}`, details: {} } }, 404))

  if (options.staticDir && existsSync(options.staticDir)) serveClient(app, options.staticDir)
  app.onError((error, c) => handleError(error, c, logger))

  return app
}

function serveClient(app: Hono<AppEnv>, staticDir: string): void {
  const root = relative(process.cwd(), staticDir) || '.'
  const indexFile = join(staticDir, 'index.html')
  app.use('/*', serveStatic({ root }))
  app.get('*', (c) => (existsSync(indexFile) ? c.html(readFileSync(indexFile, 'utf8')) : c.notFound()))
}

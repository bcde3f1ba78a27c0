import { serve, type ServerType } from '@hono/node-server'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { importJobsOf } from '../core/csv/import-job-service.ts'
import { createEngine, type Engine } from '../core/engine.ts'
import { generatePassword } from '../core/users/passwords.ts'
import { createApp } from './app.ts'
import { createLogger, type Logger } from './logger.ts'
import { installSampleData } from './install-sample-data.ts'

export interface ServerOptions {
  databaseUrl: string
  port: number
  host?: string
  /** The admin's password on first start; a generated one is printed once when absent. */
  adminPassword?: string
  /** Import the sample data set on the first start of an empty database. */
  sampleData?: boolean
  staticDir?: string
  logger?: Logger
}

export interface RunningServer {
  url: string
  engine: Engine
  close(): Promise<void>
}

const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../dist/ui', import.meta.url))

/**
 * Opens the engine, sets up a new database (admin user, sample data) and
 * serves the API and the web client. Port 0 picks a free port.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger()
  const engine = await createEngine({
    databaseUrl: options.databaseUrl,
    onEvent: (event) => logger.debug({ event }, event.type),
  })
  const password = options.adminPassword ?? generatePassword()
  const admin = await engine.auth.ensureAdmin('admin', password)
  if (!admin.created && options.adminPassword) {
    logger.warn({ username: 'admin' }, 'CRM_ADMIN_PASSWORD applies only when the admin is created; the existing password is kept (change it in the Users screen)')
  }
  if (admin.created) {
    logger.info({ username: 'admin', passwordFrom: options.adminPassword ? 'CRM_ADMIN_PASSWORD' : 'generated' }, 'admin user created')
    if (!options.adminPassword) process.stdout.write(`\nAdmin login: admin / ${password}  (shown once; set CRM_ADMIN_PASSWORD to choose it)\n\n`)
  }
  if (engine.isNew && options.sampleData !== false) await installSampleData(engine, admin.user, logger)
  // Import jobs a stopped process left running show as interrupted from the first request on.
  importJobsOf(engine)

  const app = createApp(engine, { logger, staticDir: options.staticDir ?? DEFAULT_STATIC_DIR })
  const server = await listen(app.fetch, options.port, options.host ?? '127.0.0.1')
  const address = server.address() as AddressInfo
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`
  logger.info({ url, database: options.databaseUrl }, 'listening')

  return {
    url,
    engine,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await engine.close()
    },
  }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server))
    server.once('error', reject)
  })
}

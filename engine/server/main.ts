import { startServer } from './start-server.ts'

/**
 * `npm start`: serves the API and the web client on 127.0.0.1:3000 with the
 * embedded database ./data/crm.db. PORT, HOST, DATABASE_URL,
 * CRM_ADMIN_PASSWORD and CRM_SAMPLE_DATA=0 change that.
 */
const server = await startServer({
  databaseUrl: process.env.DATABASE_URL ?? './data/crm.db',
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  adminPassword: process.env.CRM_ADMIN_PASSWORD || undefined,
  sampleData: process.env.CRM_SAMPLE_DATA !== '0',
})
process.stdout.write(`CRM running at ${server.url}\n`)

const stop = async (signal: string) => {
  process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), signal, msg: 'stopping' })}\n`)
  await server.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))

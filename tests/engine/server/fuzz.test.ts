import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../../engine/server/start-server.ts'
import { createLogger } from '../../../engine/server/logger.ts'

/** Requests per fuzz run; bounded so the run ends on its own in seconds. */
const REQUESTS = 4000
const SEED = 20261204

let server: RunningServer
let cookie = ''

async function login(): Promise<string> {
  const response = await fetch(`${server.url}/api/session`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })

  return /crm_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? ''
}

beforeAll(async () => {
  server = await startServer({ databaseUrl: ':memory:', port: 0, host: '127.0.0.1', adminPassword: 'admin-pass-123', sampleData: false, logger: createLogger(process.env.FUZZ_LOG ?? 'silent') })
  cookie = await login()
})

afterAll(async () => {
  await server?.close()
})

/** mulberry32: a small seeded generator, so a failing run can be replayed exactly. */
function createRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]

  return { next, pick, int: (max: number) => Math.floor(next() * max) }
}

const NASTY = ["'", '"', '; DROP TABLE potentials; --', '%', '_', '\\', '\u0000', '\ud800', '𝔘𝔫𝔦', '<script>alert(1)</script>', '../../etc/passwd', '1e309', '-0', 'NaN', 'null', '{}', '[]', ' ', '', 'a'.repeat(5000), '２０２６-１２-３１', '2026-02-30', '９', 'Closed Won', 'Prospecting']
const MODULES = ['potentials', 'accounts', 'contacts', 'users', 'products', 'campaigns', 'quotes', 'quote_lines', 'leads', 'documents', 'activities', 'nope', '_credentials', 'potentials.json', '%2e%2e']
const FIELDS = ['potentialname', 'amount', 'closingdate', 'sales_stage', 'probability', 'related_to', 'id', 'deleted_at', 'password_hash', 'x', '__proto__', 'constructor']
const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'in', 'empty', 'regex', '']

/** encodeURIComponent refuses lone surrogates; send them as U+FFFD the way a browser would. */
function encode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'))
}

function randomValue(random: ReturnType<typeof createRandom>, depth = 0): unknown {
  switch (random.int(depth > 2 ? 6 : 9)) {
    case 0: return random.pick(NASTY)
    case 1: return random.next() * 10 ** random.int(20) * (random.next() < 0.3 ? -1 : 1)
    case 2: return random.int(2) === 0
    case 3: return null
    case 4: return random.int(1000)
    case 5: return `2026-${random.int(14)}-${random.int(33)}`
    case 6: return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1))
    default: return Object.fromEntries(Array.from({ length: random.int(5) }, () => [random.pick(FIELDS), randomValue(random, depth + 1)]))
  }
}

function randomRequest(random: ReturnType<typeof createRandom>): { method: string; path: string; body?: string | FormData } {
  const module = random.pick(MODULES)
  const id = random.pick(['1', '2', '999999', '0', '-1', 'abc', '1.5', '9'.repeat(30)])
  const query = Array.from({ length: random.int(4) }, () =>
    random.pick([
      () => `filter[${random.pick(FIELDS)}]${random.next() < 0.5 ? `[${random.pick(OPERATORS)}]` : ''}=${encode(String(randomValue(random)))}`,
      () => `sort=${encode(random.pick(['-', '']) + random.pick(FIELDS))}`,
      () => `limit=${encode(String(randomValue(random)))}`,
      () => `offset=${encode(String(randomValue(random)))}`,
      () => `q=${encode(String(random.pick(NASTY)))}`,
      () => `${encode(random.pick(NASTY))}=${encode(random.pick(NASTY))}`,
    ])(),
  ).join('&')
  const json = () => (random.next() < 0.1 ? random.pick(['{', '[1,', '"x"', 'nul', '{"a":1}}']) : JSON.stringify(randomValue(random)))
  const routes: (() => { method: string; path: string; body?: string | FormData })[] = [
    () => ({ method: 'GET', path: `/api/modules/${module}/records?${query}` }),
    () => ({ method: 'POST', path: `/api/modules/${module}/records`, body: json() }),
    () => ({ method: 'GET', path: `/api/modules/${module}/records/${id}` }),
    () => ({ method: 'PATCH', path: `/api/modules/${module}/records/${id}`, body: json() }),
    () => ({ method: 'DELETE', path: `/api/modules/${module}/records/${id}` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/records/${id}/relations` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/records/${id}/related/${random.pick(['potentials.related_to', 'potentials.products', 'x.y', ''])}?${query}` }),
    () => ({ method: random.pick(['PUT', 'DELETE']), path: `/api/modules/${module}/records/${id}/related/potentials.products/${id}` }),
    () => ({ method: 'GET', path: `/api/modules/${module}` }),
    () => ({ method: 'POST', path: `/api/modules/${module}/plan`, body: JSON.stringify({ baseVersion: random.int(3), operations: [{ op: random.pick(['addField', 'renameField', 'changeKind', 'archiveField', 'nope']), label: random.pick(NASTY), field: random.pick(FIELDS), kind: random.pick(['text', 'currency', 'x']), newName: random.pick(FIELDS) }] }) }),
    () => ({ method: 'PUT', path: `/api/modules/${module}`, body: random.next() < 0.5 ? json() : JSON.stringify({ baseVersion: random.int(3), definition: randomValue(random) }) }),
    () => ({ method: 'GET', path: `/api/modules/${module}/export?${query}&fields=${encode(random.pick(FIELDS))}` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/types.ts` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/versions/diff?from=${id}&to=${id}` }),
    () => ({ method: 'GET', path: `/api/imports/${id}` }),
    () => {
      const form = new FormData()
      const text = ['Potential Name,Amount', ...Array.from({ length: random.int(5) }, () => `${random.pick(NASTY)},${String(randomValue(random))}`)].join(random.pick(['\n', '\r\n', '\r']))
      form.append(random.pick(['file', 'other']), new File([text], 'f.csv'))
      form.append('options', random.next() < 0.5 ? json() : '{}')

      return { method: 'POST', path: `/api/modules/${module}/import${random.next() < 0.5 ? '?dryRun=1' : ''}`, body: form }
    },
    () => ({ method: 'POST', path: '/api/session', body: json() }),
    () => ({ method: 'POST', path: `/api/modules/${module}/records/mass-update`, body: random.next() < 0.5 ? json() : JSON.stringify({ ids: randomValue(random), values: randomValue(random) }) }),
    () => ({ method: 'POST', path: `/api/modules/${module}/records/${id}/restore` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/records/${id}/history?${query}&field=${encode(random.pick(FIELDS))}` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/history?field=${encode(random.pick(FIELDS))}&limit=${encode(String(randomValue(random)))}` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/forecast?groupBy=${encode(random.pick(['month', 'stage,owner', 'owner,month', 'x', '']))}&from=${encode(String(randomValue(random)))}` }),
    () => ({ method: 'GET', path: `/api/modules/${module}/forecast.csv?groupBy=owner` }),
    () => ({ method: 'PUT', path: `/api/modules/${module}/budgets`, body: random.next() < 0.5 ? json() : JSON.stringify({ items: [randomValue(random)] }) }),
    () => ({ method: 'PUT', path: '/api/currencies', body: random.next() < 0.5 ? json() : JSON.stringify({ base: random.pick(['EUR', 'X', '']), rates: randomValue(random) }) }),
    () => ({ method: random.pick(['GET', 'POST']), path: `/api/modules/${module}/views`, body: random.next() < 0.5 ? undefined : JSON.stringify({ name: random.pick(NASTY), query: randomValue(random) }) }),
    () => ({ method: random.pick(['PUT', 'DELETE']), path: `/api/modules/${module}/views/${id}`, body: JSON.stringify({ name: random.pick(NASTY), query: randomValue(random) }) }),
    () => ({ method: 'GET', path: `/api/modules/${module}/records/${id}/timeline?${query}` }),
    () => ({ method: 'POST', path: `/api/modules/${module}/records/${id}/comments`, body: random.next() < 0.5 ? json() : JSON.stringify({ body: random.pick(NASTY) }) }),
    () => {
      const form = new FormData()
      form.append(random.pick(['file', 'x']), new File([random.pick(NASTY)], random.pick(['../../etc/passwd', '<script>.html', 'a.pdf', ''])))

      return { method: 'POST', path: `/api/modules/${module}/records/${id}/documents`, body: form }
    },
    () => ({ method: 'GET', path: `/api/documents/${id}/download` }),
    () => ({ method: 'POST', path: `/api/modules/${random.pick(['leads', module])}/records/${id}/convert${random.next() < 0.5 ? '/preview' : ''}`, body: json() }),
    () => ({ method: random.pick(['GET', 'PUT', 'DELETE']), path: `/api/modules/${module}/import-mappings/${encode(random.pick(NASTY))}`, body: json() }),
    () => ({ method: random.pick(['POST', 'GET']), path: `/api/imports/${id}/${random.pick(['undo', 'resume', 'refused.csv'])}` }),
    () => ({ method: 'GET', path: '/api/openapi.json' }),
    () => ({ method: 'POST', path: `/api/users/${id}/password`, body: json() }),
    () => ({ method: 'PUT', path: `/api/roles/${random.pick(['sales', 'x', ''])}`, body: json() }),
  ]

  return random.pick(routes)()
}

describe('bounded fuzz run against the server on 127.0.0.1', () => {
  it(`sends ${REQUESTS} random requests to every route: no 5xx, no stack trace, every error in the documented shape`, async () => {
    const random = createRandom(SEED)
    const statuses: Record<string, number> = {}
    const failures: string[] = []
    for (let index = 0; index < REQUESTS; index++) {
      const request = randomRequest(random)
      if (process.env.FUZZ_TRACE) process.stderr.write(`#${index} ${request.method} ${request.path} ${typeof request.body === 'string' ? request.body.slice(0, 300) : ''}\n`)
      const headers: Record<string, string> = { cookie, 'x-requested-with': 'crm' }
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body
      const response = await fetch(`${server.url}${request.path}`, { method: request.method, headers, body })
      // A random request may legitimately end the session (a password change): log in again.
      if (response.status === 401 && request.path !== '/api/session') cookie = await login()
      const text = await response.text()
      statuses[response.status] = (statuses[response.status] ?? 0) + 1
      const isJsonError = response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')
      const shaped = !isJsonError || (() => {
        const body = JSON.parse(text)

        return typeof body.error?.code === 'string' && typeof body.error?.message === 'string'
      })()
      if (response.status >= 500 || /\bat .+\.(ts|js):\d+/.test(text) || !shaped) {
        failures.push(`#${index} ${request.method} ${request.path} → ${response.status} ${text.slice(0, 200)}`)
      }
    }
    mkdirSync('test-results', { recursive: true })
    writeFileSync('test-results/fuzz-summary.json', JSON.stringify({ seed: SEED, requests: REQUESTS, statuses, failures }, null, 2))

    expect(failures).toEqual([])
    // Names such as __proto__ in bodies must never reach a prototype.
    expect(Object.keys(Object.prototype)).toEqual([])
    expect(({} as Record<string, unknown>)['x-archived']).toBeUndefined()
    expect(Object.values(statuses).reduce((sum, count) => sum + count, 0)).toBe(REQUESTS)
  }, 300_000)
})

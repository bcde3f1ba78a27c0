import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { chromium } from 'playwright-core'
import { build } from 'vite'
import { createLogger } from '../../engine/server/logger.ts'
import { startServer } from '../../engine/server/start-server.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// Issue 5 asks for a list of 50: the list's "Rows per page" choice, kept in the address.
const PAGE = 50
const LIST_HASH = `#/potentials?filter[sales_stage][in]=Prospecting&sort=-amount&limit=${PAGE}`
const LIST_API = `/api/modules/potentials/records?filter[sales_stage][in]=Prospecting&sort=-amount&limit=${PAGE}`

/**
 * Issue 5's list figures: a page of 50 Potentials out of a large table,
 * filtered and sorted, timed as the API call alone and as the time until the
 * 50 rows are on screen in Chromium (the ratio is what to compare between
 * runs), and the gzip size of the client bundle.
 */
export async function runListBench(rows = Number(process.env.BENCH_LIST_ROWS ?? 1_000_000)): Promise<Record<string, string>> {
  const folder = mkdtempSync(join(tmpdir(), 'crm-list-bench-'))
  const staticDir = join(folder, 'ui')
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staticDir } })
  const server = await startServer({ databaseUrl: join(folder, 'crm.db'), port: 0, adminPassword: 'bench-pass-123', sampleData: false, staticDir, logger: createLogger('silent') })
  const profile = mkdtempSync(join(tmpdir(), 'crm-bench-chromium-'))
  try {
    await fillPotentials(server.engine, rows)
    const login = await fetch(`${server.url}/api/session`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'bench-pass-123' }) })
    const cookie = /crm_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0]
    const apiTimes: number[] = []
    for (let round = 0; round < 5; round++) {
      const started = performance.now()
      const response = await fetch(`${server.url}${LIST_API}`, { headers: { cookie } })
      await response.json()
      apiTimes.push(performance.now() - started)
    }

    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    const page = context.pages()[0] ?? (await context.newPage())
    await page.request.post(`${server.url}/api/session`, { data: { username: 'admin', password: 'bench-pass-123' } })
    const screenTimes: number[] = []
    for (let round = 0; round < 5; round++) {
      await page.goto('about:blank')
      const started = performance.now()
      await page.goto(`${server.url}/${LIST_HASH}`)
      await page.locator('crm-record-table tbody tr').nth(PAGE - 1).waitFor()
      screenTimes.push(performance.now() - started)
    }
    await context.close()
    const api = median(apiTimes)
    const screen = median(screenTimes)

    return {
      [`list page of ${PAGE} of ${rows.toLocaleString('en-US')} potentials, filtered and sorted: API call (ms, median of 5)`]: api.toFixed(1),
      'same list on screen in Chromium, page load included (ms, median of 5)': screen.toFixed(1),
      'on screen / API call': (screen / api).toFixed(2),
      'client bundle, gzip (kB, all chunks / main chunk)': bundleSizes(staticDir),
    }
  } finally {
    await server.close()
    rmSync(profile, { recursive: true, force: true })
    rmSync(folder, { recursive: true, force: true })
  }
}

async function fillPotentials(engine: Awaited<ReturnType<typeof startServer>>['engine'], rows: number): Promise<void> {
  await engine.db.write((trx) =>
    sql`insert into potentials (potentialname, closingdate, sales_stage, amount, probability, assigned_user_id, version, created_at, updated_at)
        select 'Deal ' || n, date('2026-01-01', '+' || (n % 365) || ' days'),
               case n % 4 when 0 then 'Prospecting' when 1 then 'Qualification' when 2 then 'Closed Won' else 'Closed Lost' end,
               (n * 7919) % 10000000, 1000, 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
        from (with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${rows}) select n from seq)`.execute(trx),
  )
}

function bundleSizes(staticDir: string): string {
  const assets = join(staticDir, 'assets')
  const files = readdirSync(assets).filter((file) => file.endsWith('.js') || file.endsWith('.css'))
  const sizes = files.map((file) => ({ file, size: gzipSync(readFileSync(join(assets, file))).length }))
  const total = sizes.reduce((sum, item) => sum + item.size, 0)
  const main = sizes.find((item) => item.file.startsWith('index-'))?.size ?? 0

  return `${(total / 1024).toFixed(1)} / ${(main / 1024).toFixed(1)}`
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)

  return sorted[Math.floor(sorted.length / 2)]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runListBench()
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(90)} ${value}\n`)
}

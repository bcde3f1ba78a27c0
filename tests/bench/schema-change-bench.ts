import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { createEngine, type Engine } from '../../engine/core/engine.ts'

/**
 * Issue 3's speed targets, as ratios measured in one run:
 * - adding a field to a 1,000,000-row module against the same change on an empty one;
 * - a kind change (text → decimal) over 1,000,000 rows: its rate, and the peak
 *   memory growth while it runs against the memory before it.
 */
export async function runSchemaChangeBench(rows = Number(process.env.BENCH_SCHEMA_ROWS ?? 1_000_000)): Promise<Record<string, string>> {
  const folder = mkdtempSync(join(tmpdir(), 'crm-schema-bench-'))
  try {
    const empty = await openEngine(join(folder, 'empty.db'))
    const full = await openEngine(join(folder, 'full.db'))
    await fillPotentials(full, rows)

    // One warm-up change on each, then the median of five, alternating, against machine noise.
    await timeAddField(empty, 'cf_warm_up')
    await timeAddField(full, 'cf_warm_up')
    const emptyTimes: number[] = []
    const fullTimes: number[] = []
    for (let round = 0; round < 5; round++) {
      emptyTimes.push(await timeAddField(empty, `cf_region_${round}`))
      fullTimes.push(await timeAddField(full, `cf_region_${round}`))
    }
    const emptyAdd = median(emptyTimes)
    const fullAdd = median(fullTimes)

    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const started = performance.now()
    await full.updateDefinition('potentials', { baseVersion: full.runtime('potentials').version, operations: [{ op: 'changeKind', field: 'cf_score', kind: 'decimal' }] }, ADMIN)
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    await Promise.all([empty.close(), full.close()])

    return {
      'add field, empty module (ms, median of 5)': emptyAdd.toFixed(1),
      [`add field, ${rows.toLocaleString('en-US')} rows (ms, median of 5)`]: fullAdd.toFixed(1),
      'add field ratio (large / empty, target ≤ 2)': (fullAdd / emptyAdd).toFixed(2),
      [`kind change text → decimal over ${rows.toLocaleString('en-US')} rows (rows/s, plan + apply)`]: Math.round(rows / seconds).toLocaleString('en-US'),
      'kind change peak memory growth (MB)': ((peak - before) / 1024 / 1024).toFixed(0),
      'kind change peak memory / memory before': (peak / before).toFixed(2),
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const ADMIN = { id: 1, isAdmin: true }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)

  return sorted[Math.floor(sorted.length / 2)]
}

async function openEngine(path: string): Promise<Engine> {
  const engine = await createEngine({ databaseUrl: path })
  await engine.updateDefinition('potentials', { baseVersion: 1, operations: [{ op: 'addField', name: 'cf_score', label: 'Score', kind: 'text' }] }, ADMIN)

  return engine
}

/** Fills the table inside SQLite with a recursive CTE: the bench measures the schema change, not the fill. */
async function fillPotentials(engine: Engine, rows: number): Promise<void> {
  await engine.db.write((trx) =>
    sql`insert into potentials (potentialname, closingdate, sales_stage, amount, assigned_user_id, cf_score, version, created_at, updated_at)
        select 'Deal ' || n, '2026-12-31', 'Prospecting', n * 100, 1, cast(n % 1000 as text) || '.5', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
        from (with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${rows}) select n from seq)`.execute(trx),
  )
}

async function timeAddField(engine: Engine, name: string): Promise<number> {
  const started = performance.now()
  await engine.updateDefinition('potentials', { baseVersion: engine.runtime('potentials').version, operations: [{ op: 'addField', name, label: `Region ${name}`, kind: 'text', properties: { 'x-list': true } }] }, ADMIN)
  const elapsed = performance.now() - started
  // Let the queued index build finish so it does not fall into the next measurement.
  await engine.db.read(async () => undefined)

  return elapsed
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runSchemaChangeBench()
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(70)} ${value}\n`)
}

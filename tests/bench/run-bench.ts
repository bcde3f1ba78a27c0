/**
 * `npm run bench`: CSV import and export speed against the plain insert speed
 * of the same database, measured in the same run so the ratios hold on any
 * machine.
 *
 * 1. The sample data plan (8,800 deals) into a fresh file database; the same
 *    potential rows, read back, then go into a second fresh database with
 *    raw Kysely multi-row inserts (500 rows per statement, one transaction).
 * 2. A generated Potentials CSV of BENCH_ROWS rows (default 1,000,000:
 *    accounts and users by name, picklists in mixed case, dates, amounts,
 *    some percentages) imported with full validation and the write hooks
 *    (audit trail), in the importer's own batches; the raw side inserts the
 *    same rows already in column form, so the ratio is the whole cost of
 *    reading, parsing, resolving, validating and auditing. Peak RSS is sampled
 *    while the import runs.
 * 3. Export of the imported records as CSV (streamed, page by page), with the
 *    growth of peak RSS over the RSS before it.
 * 4. The schema change bench of issue 3 (`runSchemaChangeBench`).
 * 5. The list bench of issue 5 (`runListBench`): a page out of a million
 *    potentials through the API and on screen in Chromium, and the bundle size.
 *
 * Rates are wall-clock; the CPU ratio (process CPU time of each side) is
 * printed beside them because it stays steady when other work shares the
 * machine. Nothing here runs in the tests.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileSource } from '../../engine/core/csv/decode-bytes.ts'
import { exportCsv } from '../../engine/core/csv/export-csv.ts'
import { runSchemaChangeBench } from './schema-change-bench.ts'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { runImportPlan, type ImportPlan } from '../../engine/core/csv/run-import-plan.ts'
import { createEngine, type Actor, type Engine } from '../../engine/core/engine.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ACCOUNTS = 1_000
const USERS = 50
const STAGES = [
  'Prospecting',
  'qualification',
  'Needs Analysis',
  'VALUE PROPOSITION',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal or Price Quote',
  'Negotiation or Review',
  'Closed Won',
  'closed lost',
]
const STAGE_PROBABILITY = [10, 20, 25, 30, 40, 50, 65, 80, 100, 0]
const CANONICAL_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal or Price Quote',
  'Negotiation or Review',
  'Closed Won',
  'Closed Lost',
]
const SOURCES = ['Cold Call', 'web site', 'Trade Show', '', 'Partner']
const PLAN = fileURLToPath(
  new URL('../../modules/sample-data/crm-sales-opportunities/import-plan.json', import.meta.url),
)

// The generated file's raw insert, import and export each run in a fresh child process (this
// file with BENCH_PART set), so one side's memory and warm caches never count for the other.
const PART = process.env.BENCH_PART
const folder = process.env.BENCH_FOLDER ?? mkdtempSync(join(tmpdir(), 'crm-bench-'))
let importPeak = 0
const sampleRss = () => {
  importPeak = Math.max(importPeak, process.memoryUsage().rss)
}

/** Wall time and process CPU time of one piece of work. */
interface Timing {
  ms: number
  cpuMs: number
}

async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await work()
  const used = process.cpuUsage(cpu)

  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }
}

async function main(): Promise<void> {
  const started = performance.now()
  const out = (line = '') => process.stdout.write(`${line}\n`)
  try {
    out(
      `\nCSV benchmark (Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, file databases in ${folder})`,
    )
    const sample = await benchSample()
    out(report('sample deals (import plan step)', sample.rows, sample.import, sample.raw))
    out(`whole sample plan (users, products, accounts x2, deals): ${sample.planMs.toFixed(0)} ms`)
    const generated = await benchGenerated()
    out(report('generated potentials CSV', ROWS, generated.import, generated.raw))
    out(
      `  file ${mb(generated.fileBytes)}; peak RSS while importing ${mb(generated.peakRss)} (target under 300 MB)`,
    )
    const exported = generated.export
    out(
      `export of ${ROWS.toLocaleString('en')} potentials: ${fmt(ROWS / (exported.timing.ms / 1000))} rows/s, ${mb(exported.bytes)} of CSV; RSS before ${mb(exported.rssBefore)}, peak ${mb(exported.peakRss)}, growth ${mb(exported.peakRss - exported.rssBefore)}`,
    )
    out(`load average now ${loadavg()[0].toFixed(1)}`)
    out('\nschema change bench (issue 3)')
    const schema = await runSchemaChangeBench().catch((error: Error) => ({ failed: error.message }))
    for (const [name, value] of Object.entries(schema)) out(`  ${name.padEnd(72)} ${value}`)
    out('\nlist bench (issue 5)')
    // Loaded only here: Vite and Playwright would add 200 MB to every child's memory otherwise.
    const { runListBench } = await import('./list-bench.ts')
    const list = await runListBench().catch((error: Error) => ({ failed: error.message }))
    for (const [name, value] of Object.entries(list)) out(`  ${name.padEnd(90)} ${value}`)
    out(
      `\nwhole run ${((performance.now() - started) / 1000).toFixed(0)} s; peak RSS of the run ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
    )
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

function report(name: string, rows: number, imported: Timing, raw: Timing): string {
  const importRate = rows / (imported.ms / 1000)
  const rawRate = rows / (raw.ms / 1000)

  return `${name.padEnd(34)} ${rows.toLocaleString('en').padStart(9)} rows   import ${fmt(importRate)} rows/s   raw insert ${fmt(rawRate)} rows/s   ratio ${(importRate / rawRate).toFixed(2)} (CPU time ratio ${(raw.cpuMs / imported.cpuMs).toFixed(2)}, target 0.6)`
}

async function benchSample() {
  const { engine, actor } = await open('sample-plan.db')
  const started = performance.now()
  await runImportPlan(engine, PLAN, actor, { onProgress: sampleRss })
  const planMs = performance.now() - started
  const rows = (await engine.db.read((db) =>
    db.selectFrom('potentials').selectAll().orderBy('id').execute(),
  )) as Record<string, unknown>[]
  await engine.close()
  const imported = await timeDealsStep(rows.length)

  const raw = await open('sample-raw.db')
  const rawTiming = await timed(() =>
    rawInsert(
      raw.engine,
      rows.map(({ id, ...rest }) => rest),
    ),
  )
  await raw.engine.close()

  return { rows: rows.length, import: imported, raw: rawTiming, planMs }
}

/** Runs the plan's steps before the deals untimed, then times the deals step alone. */
async function timeDealsStep(expected: number): Promise<Timing> {
  const { engine, actor } = await open('sample-deals.db')
  const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as ImportPlan
  const planFolder = dirname(PLAN)
  let timing: Timing = { ms: 0, cpuMs: 0 }
  for (const step of plan.steps) {
    let counts: Record<string, number> = {}
    const stepTiming = await timed(async () => {
      const result = await importCsv(
        engine,
        step.module,
        fileSource(join(planFolder, step.file)),
        { ...step.options, onProgress: sampleRss },
        actor,
      )
      counts = result.counts
    })
    if (step.module !== 'potentials') continue
    timing = stepTiming
    if (counts.created !== expected || counts.refused !== 0)
      throw new Error(`sample deals: ${JSON.stringify(counts)}`)
  }
  await engine.close()

  return timing
}

async function benchGenerated() {
  const csvPath = join(folder, 'potentials.csv')
  await writeGeneratedCsv(csvPath)
  const raw = await inChild<{ timing: Timing }>('raw')
  const imported = await inChild<{ timing: Timing; peakRss: number }>('import')
  const exported = await inChild<Awaited<ReturnType<typeof benchExport>>>('export')

  return {
    import: imported.timing,
    raw: raw.timing,
    peakRss: imported.peakRss,
    fileBytes: statSync(csvPath).size,
    export: exported,
  }
}

async function inChild<T>(part: string): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_PART: part, BENCH_FOLDER: folder },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  const [code] = (await once(child, 'exit')) as [number]
  const line = output.split('\n').find((item) => item.startsWith('BENCH_RESULT '))
  if (code !== 0 || line === undefined)
    throw new Error(`bench part ${part} failed (exit ${code}): ${output.slice(-2000)}`)

  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T
}

/** One part of the generated-file bench, in its own process; prints its figures as JSON. */
async function runPart(part: string): Promise<void> {
  const csvPath = join(folder, 'potentials.csv')
  let figures: unknown
  if (part === 'generate') {
    // For profiling one part by hand: BENCH_PART=generate, then BENCH_PART=import with --cpu-prof.
    await writeGeneratedCsv(csvPath)
    figures = { bytes: statSync(csvPath).size }
  } else if (part === 'raw') {
    const raw = await open('generated-raw.db')
    await seed(raw.engine, raw.actor)
    figures = { timing: await timed(() => rawInsertGenerated(raw.engine, raw.actor)) }
    await raw.engine.close()
  } else if (part === 'import') {
    const target = await open('generated-import.db')
    await seed(target.engine, target.actor)
    importPeak = process.memoryUsage().rss
    const sampler = setInterval(sampleRss, 25)
    let counts: Record<string, number> = {}
    let errors: unknown[] = []
    const timing = await timed(async () => {
      const result = await importCsv(
        target.engine,
        'potentials',
        fileSource(csvPath),
        { onProgress: sampleRss },
        target.actor,
      )
      counts = result.counts
      errors = result.errors.slice(0, 3)
    })
    clearInterval(sampler)
    if (counts.created !== ROWS || counts.refused !== 0)
      throw new Error(`generated import: ${JSON.stringify(counts)} ${JSON.stringify(errors)}`)
    figures = { timing, peakRss: importPeak }
    await target.engine.close()
  } else {
    const target = await open('generated-import.db')
    figures = await benchExport(target.engine, target.actor)
    await target.engine.close()
  }
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(figures)}\n`)
}

/** Streams every potential as CSV into a file, sampling RSS against the RSS before it. */
async function benchExport(engine: Engine, actor: Actor) {
  const path = join(folder, 'export.csv')
  const rssBefore = process.memoryUsage().rss
  let peakRss = rssBefore
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25)
  let bytes = 0
  const timing = await timed(async () => {
    const file = createWriteStream(path)
    for await (const text of exportCsv(engine, 'potentials', { actor })) {
      bytes += Buffer.byteLength(text)
      if (!file.write(text)) await once(file, 'drain')
    }
    file.end()
    await once(file, 'finish')
  })
  clearInterval(sampler)
  rmSync(path, { force: true })

  return { timing, bytes, rssBefore, peakRss: Math.max(peakRss, process.memoryUsage().rss) }
}

async function open(name: string): Promise<{ engine: Engine; actor: Actor }> {
  const engine = await createEngine({ databaseUrl: join(folder, name) })
  const { user } = await engine.auth.ensureAdmin('admin', 'bench-pass-123')

  return { engine, actor: user }
}

const accountName = (index: number) =>
  `Account ${String(index).padStart(4, '0')} ${index % 3 === 0 ? 'GmbH' : index % 3 === 1 ? '& Co.' : 'Ltd'}`
const userName = (index: number) => `Agent ${String(index).padStart(2, '0')} Example`

/** Accounts and users, identical in both databases, so ids match. */
async function seed(engine: Engine, actor: Actor): Promise<void> {
  const accounts = [
    'Account Name',
    ...Array.from({ length: ACCOUNTS }, (_, index) => `"${accountName(index)}"`),
  ].join('\n')
  const users = [
    'Full Name,User Name',
    ...Array.from({ length: USERS }, (_, index) => `${userName(index)},agent.${index}`),
  ].join('\n')
  await importCsv(engine, 'accounts', new TextEncoder().encode(`${accounts}\n`), {}, actor)
  await importCsv(engine, 'users', new TextEncoder().encode(`${users}\n`), {}, actor)
}

/** One deterministic deal per index, as CSV cells and as stored column values. */
function deal(index: number) {
  const stage = index % STAGES.length
  const amountCents = ((index * 7919) % 5_000_000) + 100
  const explicitProbability = index % 7 === 0 ? 35 : undefined
  const probability = explicitProbability ?? STAGE_PROBABILITY[stage]
  const day = new Date(Date.UTC(2025, 0, 1) + (index % 730) * 86_400_000).toISOString().slice(0, 10)
  const account = index % 11 === 0 ? undefined : index % ACCOUNTS
  const source = SOURCES[index % SOURCES.length]

  return {
    cells: [
      `Deal ${index}`,
      account === undefined ? '' : `"${accountName(account)}"`,
      userName(index % USERS),
      STAGES[stage],
      day,
      `${Math.trunc(amountCents / 100)}.${String(amountCents % 100).padStart(2, '0')}`,
      index % 2 === 0 ? 'USD' : 'EUR',
      explicitProbability === undefined ? '' : `${explicitProbability}%`,
      source,
      index % 5 === 0 ? `"Note ${index}, with a comma"` : '',
    ],
    row: {
      potentialname: `Deal ${index}`,
      potential_no: `POT${index + 1}`,
      amount: amountCents,
      currency_code: index % 2 === 0 ? 'USD' : 'EUR',
      related_to: account === undefined ? null : account + 1,
      closingdate: day,
      sales_stage: CANONICAL_STAGES[stage],
      assigned_user_id: (index % USERS) + 2,
      probability: probability * 100,
      forecast_amount: Math.round((amountCents * probability) / 100),
      leadsource: source === '' ? null : source.replace('web site', 'Web Site'),
      description: index % 5 === 0 ? `Note ${index}, with a comma` : null,
    },
  }
}

async function writeGeneratedCsv(path: string): Promise<void> {
  const out = createWriteStream(path)
  out.write(
    'Potential Name,Organization Name,Assigned To,Sales Stage,Expected Close Date,Amount,Currency,Probability,Lead Source,Description\r\n',
  )
  for (let index = 0; index < ROWS; index++) {
    if (!out.write(`${deal(index).cells.join(',')}\r\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

async function rawInsertGenerated(engine: Engine, actor: Actor): Promise<void> {
  const now = new Date().toISOString()
  await engine.db.write(async (trx) => {
    for (let start = 0; start < ROWS; start += 500) {
      const rows = []
      for (let index = start; index < Math.min(start + 500, ROWS); index++) {
        rows.push({
          ...deal(index).row,
          version: 1,
          created_at: now,
          updated_at: now,
          created_by: actor.id,
        })
      }
      await trx.insertInto('potentials').values(rows).execute()
    }
  })
}

async function rawInsert(engine: Engine, rows: Record<string, unknown>[]): Promise<void> {
  await engine.db.write(async (trx) => {
    for (let start = 0; start < rows.length; start += 500)
      await trx
        .insertInto('potentials')
        .values(rows.slice(start, start + 500))
        .execute()
  })
}

function fmt(rate: number): string {
  return Math.round(rate).toLocaleString('en').padStart(8)
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`
}

if (PART !== undefined) await runPart(PART)
else await main()

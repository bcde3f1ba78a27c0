/**
 * `npm run bench`: CSV import speed against the plain insert speed of the
 * same database, measured in the same run so the ratio holds on any machine.
 *
 * 1. The sample data plan (8,800 deals) into a fresh file database; the same
 *    potential rows, read back, then go into a second fresh database with
 *    raw Kysely multi-row inserts (500 rows per statement, one transaction).
 * 2. A generated 100,000-row Potentials CSV (accounts and users by name,
 *    picklists in mixed case, dates, amounts, some percentages) the same way;
 *    the raw side inserts rows already in column form, so the ratio is the
 *    whole cost of reading, parsing, resolving and validating.
 *
 * Prints rows/s, the ratio and peak RSS. Nothing here runs in the tests.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileSource } from '../../engine/core/csv/decode-bytes.ts'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { runImportPlan, type ImportPlan } from '../../engine/core/csv/run-import-plan.ts'
import { createEngine, type Actor, type Engine } from '../../engine/core/engine.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
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

const folder = mkdtempSync(join(tmpdir(), 'crm-bench-'))
let importPeak = 0
const sampleRss = () => {
  importPeak = Math.max(importPeak, process.memoryUsage().rss)
}

async function main(): Promise<void> {
  try {
    const sample = await benchSample()
    const generated = await benchGenerated()
    const report = (name: string, rows: number, importMs: number, rawMs: number) => {
      const importRate = rows / (importMs / 1000)
      const rawRate = rows / (rawMs / 1000)

      return `${name.padEnd(34)} ${rows.toLocaleString('en').padStart(8)} rows   import ${fmt(importRate)} rows/s   raw insert ${fmt(rawRate)} rows/s   ratio ${(importRate / rawRate).toFixed(2)}`
    }
    process.stdout.write(
      `\nCSV import benchmark (Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, file databases in ${folder})\n`,
    )
    process.stdout.write(
      `${report('sample deals (import plan step)', sample.rows, sample.importMs, sample.rawMs)}\n`,
    )
    process.stdout.write(
      `${report('generated potentials CSV', generated.rows, generated.importMs, generated.rawMs)}\n`,
    )
    process.stdout.write(
      `whole sample plan (users, products, accounts x2, deals): ${sample.planMs.toFixed(0)} ms\n`,
    )
    process.stdout.write(
      `peak RSS while importing: ${mb(importPeak)}; peak RSS of the run: ${mb(process.resourceUsage().maxRSS * 1024)}\n\n`,
    )
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
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
  const importMs = await timeDealsStep(rows.length)

  const raw = await open('sample-raw.db')
  const rawMs = await rawInsert(
    raw.engine,
    rows.map(({ id, ...rest }) => rest),
  )
  await raw.engine.close()

  return { rows: rows.length, importMs, rawMs, planMs }
}

/** Runs the plan's steps before the deals untimed, then times the deals step alone. */
async function timeDealsStep(expected: number): Promise<number> {
  const { engine, actor } = await open('sample-deals.db')
  const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as ImportPlan
  const planFolder = dirname(PLAN)
  let ms = 0
  for (const step of plan.steps) {
    const started = performance.now()
    const result = await importCsv(
      engine,
      step.module,
      fileSource(join(planFolder, step.file)),
      { ...step.options, onProgress: sampleRss },
      actor,
    )
    if (step.module !== 'potentials') continue
    ms = performance.now() - started
    if (result.counts.created !== expected || result.counts.refused !== 0)
      throw new Error(`sample deals: ${JSON.stringify(result.counts)}`)
  }
  await engine.close()

  return ms
}

async function benchGenerated() {
  const csvPath = join(folder, 'potentials.csv')
  await writeGeneratedCsv(csvPath)

  const target = await open('generated-import.db')
  await seed(target.engine, target.actor)
  const started = performance.now()
  const result = await importCsv(
    target.engine,
    'potentials',
    fileSource(csvPath),
    { onProgress: sampleRss },
    target.actor,
  )
  const importMs = performance.now() - started
  if (result.counts.created !== ROWS || result.counts.refused !== 0)
    throw new Error(
      `generated import: ${JSON.stringify(result.counts)} ${JSON.stringify(result.errors.slice(0, 3))}`,
    )
  await target.engine.close()

  const raw = await open('generated-raw.db')
  await seed(raw.engine, raw.actor)
  const rawMs = await rawInsertGenerated(raw.engine, raw.actor)
  await raw.engine.close()

  return { rows: ROWS, importMs, rawMs }
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

async function rawInsertGenerated(engine: Engine, actor: Actor): Promise<number> {
  const now = new Date().toISOString()
  const started = performance.now()
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

  return performance.now() - started
}

async function rawInsert(engine: Engine, rows: Record<string, unknown>[]): Promise<number> {
  const started = performance.now()
  await engine.db.write(async (trx) => {
    for (let start = 0; start < rows.length; start += 500)
      await trx
        .insertInto('potentials')
        .values(rows.slice(start, start + 500))
        .execute()
  })

  return performance.now() - started
}

function fmt(rate: number): string {
  return Math.round(rate).toLocaleString('en').padStart(8)
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`
}

await main()

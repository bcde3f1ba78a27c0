import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import type { ImportOptions } from '../core/csv/import-types.ts'
import { importJobsOf } from '../core/csv/import-job-service.ts'
import { EngineError } from '../core/errors.ts'
import { openCliEngine, progressLine } from './cli-engine.ts'
import { followJob, writeRefusedRows } from './follow-import-job.ts'

const USAGE = `usage: npm run import -- <module> <file.csv> [options]
       npm run import -- --resume <job id>      continue an interrupted or failed job
       npm run import -- --undo <job id>        take back everything a job wrote

  Imports run as the server's import jobs: the wizard lists them, and they can be
  resumed after a stop or undone, from here or from the wizard.

  --dry-run                 check every row and report, write nothing
  --db <path or url>        database (default: $DATABASE_URL or ./data/crm.db)
  --mapping <name>          a mapping saved in the wizard or the API
  --encoding <name>         auto (default), utf-8, windows-1252 (cp1252), iso-8859-1 (latin1)
  --delimiter <char>        , ; tab or | (default: detected from the header)
  --decimal-mark <. or ,>   number format of the file (default .)
  --date-order <YMD|DMY|MDY>
  --options <file.json>     further import options (mapping, defaults, valueMap, duplicates)
  --errors <file.csv>       write the refused rows with their reasons
  --accept-warnings         import even when the first rows suggest a wrong format
  --lossless                the file comes from a lossless export: keep leading apostrophes`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean' },
    db: { type: 'string' },
    mapping: { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    'decimal-mark': { type: 'string' },
    'date-order': { type: 'string' },
    options: { type: 'string' },
    errors: { type: 'string' },
    'accept-warnings': { type: 'boolean' },
    lossless: { type: 'boolean' },
    resume: { type: 'string' },
    undo: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})

const jobAction = values.resume !== undefined ? 'resume' : values.undo !== undefined ? 'undo' : undefined
if (values.help || (jobAction === undefined ? positionals.length !== 2 : positionals.length !== 0)) {
  process.stderr.write(`${USAGE}\n`)
  process.exit(values.help ? 0 : 2)
}

const { engine, actor } = await openCliEngine(values.db ?? process.env.DATABASE_URL ?? './data/crm.db')
const jobs = importJobsOf(engine)
const progress = progressLine()

try {
  if (jobAction !== undefined) {
    const id = Number(values.resume ?? values.undo)
    if (!Number.isSafeInteger(id) || id < 1) throw new EngineError('CSV_INVALID', `"${values.resume ?? values.undo}" is not a job id`)
    const started = jobAction === 'resume' ? await jobs.resume(id, actor) : await jobs.undo(id, actor)
    process.exitCode = await followJob(jobs, started.id, actor, progress)
  } else {
    const [module, file] = positionals
    const options = optionsOf()
    // The job owns its upload (it removes it when done), so it gets a copy of the file.
    mkdirSync(jobs.uploadFolder, { recursive: true })
    const path = join(jobs.uploadFolder, `upload-${randomBytes(12).toString('hex')}.csv`)
    copyFileSync(file, path)
    const upload = { path, name: basename(file), bytes: statSync(path).size }
    if (options.dryRun) {
      const checked = await jobs.dryRun(module, upload, options, actor)
      process.stdout.write(`${JSON.stringify({ job: checked.id, ...checked.result }, null, 2)}\n`)
      process.exitCode = checked.result.counts.refused > 0 || checked.result.stopped ? 1 : 0
    } else {
      const started = await jobs.start(module, upload, options, actor)
      process.stderr.write(`import job ${started.id} started (undo it with: npm run import -- --undo ${started.id})\n`)
      process.exitCode = await followJob(jobs, started.id, actor, progress)
      if (values.errors) await writeRefusedRows(jobs, started.id, actor, values.errors)
    }
  }
} catch (error) {
  progress.done()
  if (!(error instanceof EngineError)) throw error
  process.stderr.write(`${error.code}: ${error.message}\n`)
  process.exitCode = 2
} finally {
  await engine.close()
}

function optionsOf(): ImportOptions {
  const options: ImportOptions = values.options ? JSON.parse(readFileSync(values.options, 'utf8')) : {}

  return {
    ...options,
    ...(values.mapping ? { mappingName: values.mapping } : {}),
    ...(values['dry-run'] ? { dryRun: true } : {}),
    ...(values.encoding ? { encoding: values.encoding } : {}),
    ...(values.delimiter ? { delimiter: values.delimiter === 'tab' ? '\t' : values.delimiter } : {}),
    ...(values['decimal-mark'] ? { decimalMark: values['decimal-mark'] } : {}),
    ...(values['date-order'] ? { dateOrder: values['date-order'] } : {}),
    ...(values['accept-warnings'] ? { acceptWarnings: true } : {}),
    ...(values.lossless ? { unescapeFormulas: false } : {}),
  } as ImportOptions
}

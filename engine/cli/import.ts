import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { fileSource } from '../core/csv/decode-bytes.ts'
import { importCsv } from '../core/csv/import-csv.ts'
import type { ImportOptions } from '../core/csv/import-types.ts'
import { refusedRowsCsv } from '../core/csv/refused-rows-csv.ts'
import { EngineError } from '../core/errors.ts'
import { openCliEngine, progressLine } from './cli-engine.ts'

const USAGE = `usage: npm run import -- <module> <file.csv> [options]

  --dry-run                 check every row and report, write nothing
  --db <path or url>        database (default: $DATABASE_URL or ./data/crm.db)
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
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    'decimal-mark': { type: 'string' },
    'date-order': { type: 'string' },
    options: { type: 'string' },
    errors: { type: 'string' },
    'accept-warnings': { type: 'boolean' },
    lossless: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
})

if (values.help || positionals.length !== 2) {
  process.stderr.write(`${USAGE}\n`)
  process.exit(values.help ? 0 : 2)
}

const [module, file] = positionals
const options: ImportOptions = values.options
  ? JSON.parse(readFileSync(values.options, 'utf8'))
  : {}
Object.assign(options, {
  ...(values['dry-run'] ? { dryRun: true } : {}),
  ...(values.encoding ? { encoding: values.encoding } : {}),
  ...(values.delimiter ? { delimiter: values.delimiter === 'tab' ? '\t' : values.delimiter } : {}),
  ...(values['decimal-mark'] ? { decimalMark: values['decimal-mark'] } : {}),
  ...(values['date-order'] ? { dateOrder: values['date-order'] } : {}),
  ...(values['accept-warnings'] ? { acceptWarnings: true } : {}),
  ...(values.lossless ? { unescapeFormulas: false } : {}),
})
const { engine, actor } = await openCliEngine(
  values.db ?? process.env.DATABASE_URL ?? './data/crm.db',
)
const progress = progressLine()
const started = performance.now()
options.onProgress = (item) =>
  progress.update(
    `${module}: ${item.rows.toLocaleString('en')} rows read, ${item.created.toLocaleString('en')} created, ${item.updated} updated, ${item.skipped} skipped, ${item.refused} refused`,
  )

try {
  const result = await importCsv(engine, module, fileSource(file), options, actor)
  progress.done()
  const seconds = (performance.now() - started) / 1000
  const summary = {
    module,
    dryRun: result.dryRun,
    stopped: result.stopped,
    encoding: result.encoding,
    delimiter: result.delimiter,
    columns: result.columns,
    counts: result.counts,
    ...(result.checkedCounts ? { checkedCounts: result.checkedCounts } : {}),
    seconds: Number(seconds.toFixed(2)),
    warnings: result.warnings,
    errors: result.errors.slice(0, 20),
  }
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
  if (values.errors && result.refusedRows.length > 0) {
    writeFileSync(values.errors, refusedRowsCsv(result))
    process.stderr.write(`refused rows written to ${values.errors}\n`)
  }
  process.exitCode = result.counts.refused > 0 || result.stopped ? 1 : 0
} catch (error) {
  progress.done()
  if (!(error instanceof EngineError)) throw error
  process.stderr.write(`${error.code}: ${error.message}\n`)
  process.exitCode = 2
} finally {
  await engine.close()
}

import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { exportCsv } from '../core/csv/export-csv.ts'
import { EngineError } from '../core/errors.ts'
import { openCliEngine, progressLine } from './cli-engine.ts'

const USAGE = `usage: npm run export -- <module> [options]

  --out <file.csv>     write to a file (default: standard output)
  --fields <a,b,c>     field names in column order (default: all, in layout order)
  --relations <a,b>    many-to-many relations to add as columns of linked names
                       (default: all of them when --fields is not given)
  --excel              byte order mark and ";" between cells, for Excel
  --lossless           values exactly as stored (no formula escaping) with a Record ID
                       column and related records as ids ("Account Name (id)",
                       "Products (ids)"), for re-import only
  --decimal-mark <.|,> decimal mark of numbers (default "," with --excel, else ".")
  --db <path or url>   database (default: $DATABASE_URL or ./data/crm.db)`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    fields: { type: 'string' },
    relations: { type: 'string' },
    excel: { type: 'boolean' },
    lossless: { type: 'boolean' },
    'decimal-mark': { type: 'string' },
    db: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})

if (values.help || positionals.length !== 1) {
  process.stderr.write(`${USAGE}\n`)
  process.exit(values.help ? 0 : 2)
}

function decimalMarkOf(given: string | undefined): '.' | ',' | undefined {
  if (given === undefined || given === '.' || given === ',') return given
  process.stderr.write(`--decimal-mark takes "." or ",", not "${given}"\n`)
  process.exit(2)
}

const [module] = positionals
const { engine } = await openCliEngine(values.db ?? process.env.DATABASE_URL ?? './data/crm.db')
const output: Writable = values.out ? createWriteStream(values.out) : process.stdout
const progress = progressLine()
let lines = -1

try {
  const fields = values.fields
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const relations = values.relations
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  for await (const chunk of exportCsv(engine, module, {
    fields,
    relations,
    flavour: values.lossless ? 'lossless' : values.excel ? 'excel' : 'standard',
    decimalMark: decimalMarkOf(values['decimal-mark']),
  })) {
    lines += chunk.split('\r\n').length - 1
    if (!output.write(chunk)) await once(output, 'drain')
    if (lines > 0) progress.update(`${module}: ${lines.toLocaleString('en')} records exported`)
  }
  progress.done()
  process.stderr.write(
    `${module}: ${Math.max(lines, 0).toLocaleString('en')} records exported${values.out ? ` to ${values.out}` : ''}\n`,
  )
  if (values.out) {
    output.end()
    await once(output, 'finish')
  }
} catch (error) {
  progress.done()
  if (!(error instanceof EngineError)) throw error
  process.stderr.write(`${error.code}: ${error.message}\n`)
  process.exitCode = 2
} finally {
  await engine.close()
}

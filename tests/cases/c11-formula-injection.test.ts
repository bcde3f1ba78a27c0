import { describe, expect, it } from 'vitest'
import Papa from 'papaparse'
import { exportCsv } from '../../engine/core/csv/export-csv.ts'
import type { ExportOptions } from '../../engine/core/csv/import-types.ts'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import type { Engine } from '../../engine/core/engine.ts'
import { caseJson, createCaseEngine, potentials } from './case-engine.ts'

const setup = caseJson('C11/records.json')
const expected = caseJson('C11/expected.json')['spreadsheet-safe export (default for people)']
const FIELDS = [
  'potentialname',
  'amount',
  'closingdate',
  'nextstep',
  'cf_total_note',
  'description',
]

/** The case's module: the shipped Potentials with cf_total_note ("=Total") and amounts that may be negative. */
async function withRecords() {
  const context = await createCaseEngine()
  const { engine, admin } = context
  const live = engine.runtime('potentials')
  const definition = structuredClone(live.definition)
  const field = setup.layoutChange.addField
  definition.record.properties[field.name] = {
    type: 'string',
    'x-kind': field.type,
    title: field.label,
  }
  definition.layout.blocks[0].fields.push(field.name)
  delete definition.record.properties.amount.minimum
  await engine.updateDefinition('potentials', { baseVersion: live.version, definition }, admin)
  for (const record of setup.potentials) {
    await engine.records.create('potentials', { ...record, amount: Number(record.amount) }, admin)
  }

  return context
}

async function exported(engine: Engine, flavour?: ExportOptions['flavour']): Promise<string[][]> {
  let text = ''
  for await (const chunk of exportCsv(engine, 'potentials', { fields: FIELDS, flavour }))
    text += chunk

  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data
}

describe('C11 formula injection on export', () => {
  it('prefixes exactly the text cells and labels that start with = + - @ TAB or CR', async () => {
    const { engine } = await withRecords()
    const [header, ...rows] = await exported(engine)

    expect(header[4]).toBe(expected.header)
    expect(rows.map((row) => row[0])).toEqual(expected.potentialname)
    const credit = rows.find((row) => row[0] === 'Credit Return')!
    expect(credit[1]).toBe('-500.00')
    expect(credit[3]).toBe("'-")
    expect(credit[4]).toBe("'=1+1")
    expect(rows.find((row) => row[0] === 'Plain Deal')![5]).toBe('Totals:\n=A1+A2 (second line)')
    for (const row of rows) {
      for (const [index, cell] of row.entries()) {
        if (index !== 1 && index !== 2) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
      }
      expect(row[2]).toBe('2025-12-01')
    }
  })

  it('re-imports the spreadsheet-safe export to the stored values, with no apostrophes added', async () => {
    const { engine } = await withRecords()
    const before = await potentials(engine)
    let text = ''
    for await (const chunk of exportCsv(engine, 'potentials')) text += chunk
    const target = await withRecordsEmpty()
    await importCsv(target.engine, 'potentials', new TextEncoder().encode(text), {}, target.admin)

    expect(pick(await potentials(target.engine))).toEqual(pick(before))
  })

  it('writes the lossless export exactly as stored and re-imports it with unescapeFormulas off', async () => {
    const { engine } = await withRecords()
    const before = await potentials(engine)
    const [header, ...rows] = await exported(engine, 'lossless')
    let text = ''
    for await (const chunk of exportCsv(engine, 'potentials', { flavour: 'lossless' }))
      text += chunk
    const target = await withRecordsEmpty()
    await importCsv(
      target.engine,
      'potentials',
      new TextEncoder().encode(text),
      { unescapeFormulas: false },
      target.admin,
    )

    // The lossless flavour starts with the record id; the fields follow as in the others.
    expect(header[0]).toBe('Record ID')
    expect(header[5]).toBe('=Total')
    expect(rows.map((row) => row[1])).toEqual(
      setup.potentials.map((record: { potentialname: string }) => record.potentialname),
    )
    expect(pick(await potentials(target.engine))).toEqual(pick(before))
  })
})

/** The same module without records, to import into. */
async function withRecordsEmpty() {
  const context = await withRecords()
  for (const record of await potentials(context.engine))
    await context.engine.records.remove('potentials', record.id, context.admin)
  await context.engine.db.write((trx) => trx.deleteFrom('potentials').execute())

  return context
}

function pick(records: Record<string, unknown>[]) {
  return records.map((record) => Object.fromEntries(FIELDS.map((name) => [name, record[name]])))
}

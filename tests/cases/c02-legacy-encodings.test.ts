import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { EngineError } from '../../engine/core/errors.ts'
import { caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

const ACCOUNTS = [
  { id: 'a1', accountname: 'Brasserie Zoë' },
  { id: 'a2', accountname: 'Kältetechnik Nord GmbH' },
  { id: 'a3', accountname: 'Escola Exemplo Lda' },
]
const expected = caseJson<{ records: Record<string, string>[] }>('C02/expected.json').records

/** The stored values in the shape of expected.json. */
function asExpected(record: Record<string, any>): Record<string, string> {
  return {
    potentialname: record.potentialname,
    'related_to(name)': record._labels?.related_to,
    amount: record.amount.toFixed(2),
    sales_stage: record.sales_stage,
    closingdate: record.closingdate,
    description: record.description,
  }
}

async function importFile(file: string, options = {}) {
  const { engine, admin } = await createCaseEngine(ACCOUNTS)
  const result = await importCsv(engine, 'potentials', caseBytes(file), options, admin)

  return { engine, admin, result, stored: await potentials(engine) }
}

describe('C02 accented text from Windows-1252 / ISO-8859-1 files', () => {
  it('reads valid UTF-8 as UTF-8', async () => {
    const { result, stored } = await importFile('C02/input-utf8.csv')

    expect(result.encoding).toBe('utf-8')
    expect(result.counts).toMatchObject({ created: 3, refused: 0 })
    expect(stored.map(asExpected)).toEqual(expected)
  })

  it('falls back to Windows-1252 for invalid UTF-8: 0x80 is € and 0x96 is –, never C1 controls', async () => {
    const { result, stored } = await importFile('C02/input-cp1252.csv')

    expect(result.encoding).toBe('windows-1252')
    expect(result.preview[0].values.potentialname.raw).toBe('Café Renovation – Phase 2')
    expect(stored.map(asExpected)).toEqual(expected)
    expect(JSON.stringify(stored)).not.toMatch(/[\u0080-\u009f\ufffd]|Ã|â‚¬/)
  })

  it('reads ISO-8859-1 files (records 2 and 3)', async () => {
    const { stored } = await importFile('C02/input-iso-8859-1.csv')

    expect(stored.map(asExpected)).toEqual(expected.slice(1))
  })

  it('refuses a Windows-1252 file declared UTF-8 before importing anything, naming line 2', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const attempt = importCsv(
      engine,
      'potentials',
      caseBytes('C02/input-cp1252.csv'),
      { encoding: 'utf-8' },
      admin,
    )

    await expect(attempt).rejects.toBeInstanceOf(EngineError)
    await expect(attempt).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/line 2 is not valid UTF-8 - try Windows-1252/),
    })
    expect(await potentials(engine)).toEqual([])
  })

  it('warns when a UTF-8 file is declared Windows-1252, shows the mojibake and writes nothing', async () => {
    const { result, stored } = await importFile('C02/input-utf8.csv', { encoding: 'windows-1252' })

    expect(result.preview[0].values.potentialname.raw).toContain('CafÃ©')
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'encoding', blocking: true }),
    )
    expect(result.stopped).toBe(true)
    expect(stored).toEqual([])
    // The counts say what was written; what the check found is beside them.
    expect(result.counts).toMatchObject({ created: 0, updated: 0, skipped: 0 })
    expect(result.checkedCounts?.created).toBeGreaterThan(0)
  })

  it('exports these records as UTF-8 that re-imports to identical strings', async () => {
    const { engine, admin } = await importFile('C02/input-cp1252.csv')
    let text = ''
    for await (const chunk of exportCsv(engine, 'potentials', {
      fields: [
        'potentialname',
        'related_to',
        'amount',
        'sales_stage',
        'closingdate',
        'description',
      ],
    }))
      text += chunk
    const again = await createCaseEngine(ACCOUNTS)
    const result = await importCsv(
      again.engine,
      'potentials',
      new TextEncoder().encode(text),
      {},
      again.admin,
    )

    expect(result.counts).toMatchObject({ created: 3, refused: 0 })
    expect((await potentials(again.engine)).map(asExpected)).toEqual(expected)
    expect(admin.id).toBe(again.admin.id)
  })
})

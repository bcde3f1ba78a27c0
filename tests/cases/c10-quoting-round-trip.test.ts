import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import type { Engine } from '../../engine/core/engine.ts'
import { CASES, caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

const expected = caseJson<{ records: Record<string, string | null>[] }>('C10/expected.json').records
const FIELDS = ['potentialname', 'amount', 'sales_stage', 'closingdate', 'nextstep', 'description']

async function stored(engine: Engine) {
  return (await potentials(engine)).map((record) => ({
    potentialname: record.potentialname,
    amount: record.amount.toFixed(2),
    sales_stage: record.sales_stage,
    closingdate: record.closingdate,
    nextstep: record.nextstep,
    description: record.description,
  }))
}

async function exported(engine: Engine): Promise<string> {
  let text = ''
  for await (const chunk of exportCsv(engine, 'potentials', { fields: FIELDS })) text += chunk

  return text
}

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' })

    return true
  } catch {
    return false
  }
}

describe('C10 quotes, commas, tabs and line breaks survive import, export and re-import', () => {
  it('imports exactly 4 records with the exact strings', async () => {
    const { engine, admin } = await createCaseEngine()
    const result = await importCsv(engine, 'potentials', caseBytes('C10/input.csv'), {}, admin)

    expect(result.counts).toMatchObject({ rows: 4, created: 4, refused: 0 })
    expect(await stored(engine)).toEqual(expected)
  })

  it('exports a file that re-imports to the same values', async () => {
    const { engine, admin } = await createCaseEngine()
    await importCsv(engine, 'potentials', caseBytes('C10/input.csv'), {}, admin)
    const text = await exported(engine)
    const again = await createCaseEngine()
    const result = await importCsv(
      again.engine,
      'potentials',
      new TextEncoder().encode(text),
      {},
      again.admin,
    )

    expect(text).toContain('"Phase 2 ""Go-Live"""')
    expect(result.counts).toMatchObject({ rows: 4, created: 4 })
    expect(await stored(again.engine)).toEqual(expected)
  })

  it.runIf(hasPython())(
    'passes the independent check with Python csv (check_export.py)',
    async () => {
      const { engine, admin } = await createCaseEngine()
      await importCsv(engine, 'potentials', caseBytes('C10/input.csv'), {}, admin)
      const file = join(mkdtempSync(join(tmpdir(), 'crm-c10-')), 'export.csv')
      writeFileSync(file, await exported(engine))
      const output = execFileSync('python3', ['check_export.py', file], {
        cwd: join(CASES, 'C10'),
        encoding: 'utf8',
      })

      expect(output.trim()).toBe('OK')
    },
  )
})

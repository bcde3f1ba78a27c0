import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { EngineError } from '../../../../engine/core/errors.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

/** mulberry32, so a failing input can be replayed from its seed. */
function createRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] }
}

const PIECES = [
  'Potential Name',
  'Amount',
  'Sales Stage',
  'Close Date',
  'Account',
  'Products',
  'Assigned To',
  '"',
  '""',
  ',',
  ';',
  '\t',
  '\r\n',
  '\n',
  '\r',
  ' ',
  '1,5',
  '1.234,56',
  '$90',
  '25%',
  '2026-02-30',
  'Closed Won',
  'Acme & Co.',
  "'=1+1",
  '\u00e9',
  '\ufeff',
  '',
]
const OPTIONS: Record<string, unknown>[] = [
  {},
  { dryRun: true },
  { decimalMark: ',' },
  { encoding: 'utf-8' },
  { encoding: 'windows-1252' },
  { delimiter: ';' },
  { duplicates: { match: ['potentialname'], action: 'update' } },
  { mapping: { potentialname: { template: '{Amount}[ {Account}]' } } },
  { mapping: { Amount: { field: 'amount', multiply: 3 } } },
  { mapping: 'nope' },
  { mapping: { nope: {} } },
  { batchSize: 0 },
  { surprise: true },
  { duplicates: { match: 'potentialname' } },
]

describe('importCsv on random input', () => {
  it('either reports rows or throws an EngineError, for 300 random files and options', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('accounts', { accountname: 'Acme & Co.' }, admin)
    const random = createRandom(20261204)
    const failures: string[] = []
    for (let index = 0; index < 300; index++) {
      const text = Array.from({ length: Math.floor(random.next() * 40) }, () =>
        random.pick(PIECES),
      ).join('')
      const bytes = new TextEncoder().encode(text)
      if (random.next() < 0.2) bytes[Math.floor(random.next() * bytes.length)] = 0x96
      const options = random.pick(OPTIONS)
      try {
        const result = await importCsv(engine, 'potentials', bytes, options, admin)
        expect(result.counts.rows).toBe(
          result.counts.created +
            result.counts.updated +
            result.counts.skipped +
            result.counts.refused,
        )
      } catch (error) {
        if (!(error instanceof EngineError))
          failures.push(
            `#${index} ${JSON.stringify(text)} ${JSON.stringify(options)}: ${String(error)}`,
          )
      }
    }

    expect(failures).toEqual([])
  })
})

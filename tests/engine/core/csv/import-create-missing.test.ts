import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importCsv, type CsvSource, type ImportOptions } from '../../../../engine/core/csv/import-csv.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

/** The tester's file: look-alike spellings of three new accounts (NBSP, double space, accent, apostrophe, `&amp;`). */
const LOOK_ALIKES = readFileSync(new URL('./fixtures/create-missing-look-alikes.csv', import.meta.url))
const CREATE = { mapping: { related_to: { column: 'Account Name', createMissing: true } } }

async function run(bytes: CsvSource, options: ImportOptions = {}) {
  const { engine, admin } = await createTestEngine()
  const result = await importCsv(engine, 'potentials', bytes, { ...CREATE, ...options }, admin)
  const accounts = (await engine.records.list('accounts', { limit: 100, sort: ['id'] })).items
  const deals = (await engine.records.list('potentials', { limit: 100, sort: ['id'] })).items

  return {
    result,
    accounts: accounts.map((account) => account.accountname),
    linked: Object.fromEntries(deals.map((deal) => [deal.potentialname, deal._labels?.related_to])),
    refused: result.errors.map((error) => `${error.value}: ${error.message}`),
  }
}

/** The tester's rows in another order: the outcome must not depend on it. */
function reordered(order: number[]): Uint8Array {
  const [header, ...rows] = LOOK_ALIKES.toString('utf8').trim().split('\n')

  return new TextEncoder().encode([header, ...order.map((index) => rows[index])].join('\n'))
}

describe('create missing related records', () => {
  it('creates an account only for a name the file spells one way; look-alike spellings and HTML entities are refused in every row', async () => {
    const { result, accounts, linked, refused } = await run(LOOK_ALIKES)
    const twice = (name: string, spellings: string) =>
      `${name}: Account Name: not found: no account named '${name}'; not created: the file spells it in more than one way (${spellings}); use one spelling`

    expect(accounts).toEqual(['A & B'])
    expect(linked).toEqual({ c8: 'A & B' })
    expect(result.counts).toMatchObject({ created: 1, refused: 7, relatedCreated: 1 })
    expect(refused).toEqual([
      twice('New Corp', "'New Corp', 'Néw Corp'"),
      twice('New\u00a0Corp', "'New Corp', 'Néw Corp'"),
      twice('New  Corp', "'New Corp', 'Néw Corp'"),
      twice('Néw Corp', "'New Corp', 'Néw Corp'"),
      twice("O'Brien Ltd", "'O'Brien Ltd', 'O’Brien Ltd'"),
      twice('O’Brien Ltd', "'O'Brien Ltd', 'O’Brien Ltd'"),
      "A &amp; B: Account Name: not found: no account named 'A &amp; B'; it is not created because it holds the HTML entity '&amp;' (copied from a web page?): write the character itself",
    ])
  })

  it('creates one account for spellings that differ only in spacing or case; later rows link to it', async () => {
    const csv = LOOK_ALIKES.toString('utf8').split('\n').slice(0, 4).join('\n') + '\nc9,2026-01-01,Prospecting,NEW CORP\n'
    const { accounts, linked, result } = await run(new TextEncoder().encode(csv), { batchSize: 1 })

    expect(accounts).toEqual(['New Corp'])
    expect(linked).toEqual({ c1: 'New Corp', c2: 'New Corp', c3: 'New Corp', c9: 'New Corp' })
    expect(result.counts).toMatchObject({ created: 4, refused: 0, relatedCreated: 1 })
  })

  it('gives the same outcome with any batch size, and the dry run reports exactly what the run does', async () => {
    const real = await run(LOOK_ALIKES)
    for (const options of [{ batchSize: 1 }, { batchSize: 3 }, { dryRun: true }, { dryRun: true, batchSize: 1 }]) {
      const other = await run(LOOK_ALIKES, options)

      expect(other.result.counts, JSON.stringify(options)).toEqual(real.result.counts)
      expect(other.refused, JSON.stringify(options)).toEqual(real.refused)
      expect(other.result.notices.map((notice) => notice.message.replace(/ \(id \d+\)$/, ''))).toEqual(
        real.result.notices.map((notice) => notice.message.replace(/ \(id \d+\)$/, '')),
      )
      if (options.dryRun !== true) expect(other.accounts).toEqual(real.accounts)
    }
  })

  it('does not depend on row order', async () => {
    const real = await run(LOOK_ALIKES)
    const { accounts, result } = await run(reordered([7, 6, 5, 4, 3, 2, 1, 0]), { batchSize: 2 })

    expect(accounts).toEqual(real.accounts)
    expect(result.counts).toEqual(real.result.counts)
  })

  it('from a stream read only once, refuses a later look-alike as a near miss of the first spelling, in any batch size and in the dry run', async () => {
    const stream = (options: ImportOptions) =>
      run(
        (async function* () {
          yield new Uint8Array(LOOK_ALIKES)
        })(),
        options,
      )
    const real = await stream({})
    for (const options of [{ batchSize: 1 }, { dryRun: true }]) {
      const other = await stream(options)
      expect(other.result.counts).toEqual(real.result.counts)
      expect(other.refused).toEqual(real.refused)
    }

    expect(real.accounts).toEqual(['New Corp', "O'Brien Ltd", 'A & B'])
    expect(real.refused[0]).toBe(
      "Néw Corp: Account Name: not found: no account named 'Néw Corp'; did you mean 'New Corp' (created by row 2 of this import)?",
    )
  })

  it('stores the name tidied: no-break and repeated spaces become one space', async () => {
    const bytes = new TextEncoder().encode(
      'Potential Name,Expected Close Date,Sales Stage,Account Name\nd1,2026-01-01,Prospecting,  Big\u00a0\u00a0Corp \nd2,2026-01-01,Prospecting,big corp\n',
    )
    const { accounts, linked } = await run(bytes, { batchSize: 1 })

    expect(accounts).toEqual(['Big Corp'])
    expect(linked).toEqual({ d1: 'Big Corp', d2: 'Big Corp' })
  })

  it('links a stored account whatever the spacing; when the first row naming a new account is refused, the next one creates it', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('accounts', { accountname: 'Stored Corp' }, admin)
    const csv = [
      'Potential Name,Expected Close Date,Sales Stage,Account Name',
      'd1,2026-01-01,Prospecting,Stored\u00a0 Corp',
      'd2,not a date,Prospecting,Fresh Corp',
      'd3,2026-01-01,Prospecting,Fresh Corp',
    ].join('\n')
    const result = await importCsv(engine, 'potentials', new TextEncoder().encode(csv), CREATE, admin)
    const accounts = (await engine.records.list('accounts', { sort: ['id'] })).items.map((item) => item.accountname)

    expect(accounts).toEqual(['Stored Corp', 'Fresh Corp'])
    expect(result.counts).toMatchObject({ created: 2, refused: 1, relatedCreated: 1 })
    expect(result.notices).toContainEqual(expect.objectContaining({ row: 4, message: expect.stringMatching(/^creates account 'Fresh Corp'/) }))
  })
})

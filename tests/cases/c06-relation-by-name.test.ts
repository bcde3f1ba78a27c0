import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import { caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

const ACCOUNTS = caseJson<{ accounts: { id: string; accountname: string }[] }>(
  'C06/accounts.json',
).accounts

/** Outcome per potential name: the case's account id, or the error message. */
async function outcome(createMissing: boolean) {
  const { engine, admin, accounts } = await createCaseEngine(ACCOUNTS)
  const options = createMissing
    ? { mapping: { related_to: { column: 'Organization Name', createMissing: true } } }
    : {}
  const result = await importCsv(engine, 'potentials', caseBytes('C06/input.csv'), options, admin)
  const caseId = new Map([...accounts].map(([id, engineId]) => [engineId, id]))
  const byName: Record<string, string> = {}
  for (const record of await potentials(engine))
    byName[record.potentialname] =
      caseId.get(record.related_to) ?? `new ${record._labels?.related_to}`
  const names = [
    'Ergonomic Chairs',
    'Standing Desks',
    'Cold Room Service',
    'Cold Room Parts',
    'Route Planning',
    'Trade Fair Stand',
    'Trade Fair Catering',
    'Paper Supply',
    'Toner Supply',
    'Acme Service Visit',
  ]
  for (const error of result.errors) byName[names[error.row - 2]] = `ERROR ${error.message}`

  return { engine, result, accounts, byName }
}

describe('C06 organization referenced by name', () => {
  it('mode A links exact names (trimmed, any case, accents kept) and refuses the rest with reasons', async () => {
    const { byName, result, accounts } = await outcome(false)

    expect(byName['Ergonomic Chairs']).toBe('a1')
    expect(byName['Standing Desks']).toBe('a1')
    expect(byName['Cold Room Service']).toBe('a2')
    expect(byName['Cold Room Parts']).toBe('a3')
    expect(byName['Toner Supply']).toBe('a1')
    expect(byName['Route Planning']).toBe(
      `ERROR Account Name: ambiguous: 2 accounts named 'Delta Logistics Ltd' (ids ${accounts.get('a4')}, ${accounts.get('a5')}); link it by id instead`,
    )
    expect(byName['Trade Fair Stand']).toBe(
      "ERROR Account Name: not found: no account named 'Zenith Events GmbH'",
    )
    expect(byName['Trade Fair Catering']).toBe(
      "ERROR Account Name: not found: no account named 'Zenith Events GmbH'",
    )
    expect(byName['Paper Supply']).toBe(
      `ERROR Account Name: not found: no account named 'O’Brien Office Supplies'; did you mean 'O'Brien Office Supplies' (id ${accounts.get('a6')})?`,
    )
    expect(byName['Acme Service Visit']).toBe(
      `ERROR Account Name: not found: no account named 'Acme &amp; Co.'; did you mean 'Acme & Co.' (id ${accounts.get('a1')})?`,
    )
    expect(result.counts).toMatchObject({ created: 5, refused: 5 })
    expect(result.errors.map((error) => error.column)).toEqual(Array(5).fill('Organization Name'))
  })

  it('mode B creates Zenith Events GmbH once, never resolves the ambiguous name, and holds back near misses', async () => {
    const { engine, byName, result } = await outcome(true)
    const zenith = await engine.records.list('accounts', {
      filters: [{ field: 'accountname', operator: 'eq', value: 'Zenith Events GmbH' }],
    })

    expect(zenith.total).toBe(1)
    expect(byName['Trade Fair Stand']).toBe('new Zenith Events GmbH')
    expect(byName['Trade Fair Catering']).toBe('new Zenith Events GmbH')
    expect(byName['Route Planning']).toMatch(/^ERROR .*ambiguous/)
    expect(byName['Paper Supply']).toMatch(/^ERROR .*did you mean/)
    expect(byName['Acme Service Visit']).toMatch(/^ERROR .*did you mean/)
    expect(result.counts).toMatchObject({ created: 7, refused: 3, relatedCreated: 1 })
    const names = (await engine.records.list('accounts', { limit: 100 })).items.map(
      (account) => account.accountname,
    )
    expect(names.filter((name) => /&amp;|O’Brien/.test(String(name)))).toEqual([])
  })

  it('a dry run of mode B reports the account it would create and writes nothing', async () => {
    const { engine, admin } = await createCaseEngine(ACCOUNTS)
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C06/input.csv'),
      {
        dryRun: true,
        mapping: { related_to: { column: 'Organization Name', createMissing: true } },
      },
      admin,
    )

    expect(result.counts).toMatchObject({ created: 7, refused: 3, relatedCreated: 1 })
    expect(
      result.notices.filter((notice) =>
        /creates account 'Zenith Events GmbH'/.test(notice.message),
      ),
    ).toHaveLength(1)
    expect((await engine.records.list('accounts', {})).total).toBe(ACCOUNTS.length)
  })
})

import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { Engine } from '../../../../engine/core/engine.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let result = ''
  for await (const chunk of chunks) result += chunk

  return result
}

/** Field values only: what must survive an export and re-import. */
async function values(engine: Engine, module = 'potentials') {
  const page = await engine.records.list(module, { limit: 500, sort: ['id'] })

  return page.items.map(
    ({
      id,
      version,
      created_at,
      updated_at,
      created_by,
      related_to,
      assigned_user_id,
      ...rest
    }) => ({
      ...rest,
      related_to: rest._labels?.related_to ?? null,
      assigned_user_id: rest._labels?.assigned_user_id ?? null,
    }),
  )
}

async function seed() {
  const context = await createTestEngine()
  const { engine, admin, user } = context
  const acme = await engine.records.create(
    'accounts',
    { accountname: '=Acme, "the" Company' },
    admin,
  )
  await engine.records.create(
    'potentials',
    potentialInput({
      potentialname: '=HYPERLINK("http://x")',
      related_to: acme.id,
      description: 'line one\nline "two"; three',
      nextstep: '-call',
      amount: 1234.56,
      currency_code: 'USD',
      probability: 12.5,
    }),
    admin,
  )
  await engine.records.create(
    'potentials',
    potentialInput({
      potentialname: "'quoted",
      leadsource: 'Web Site',
      assigned_user_id: user.id,
      amount: null,
      sales_stage: 'Closed Won',
    }),
    admin,
  )
  await engine.records.create(
    'potentials',
    potentialInput({
      potentialname: '@home\tTab',
      opportunity_type: 'New Business',
      engage_date: '2026-01-02',
      nextstep: '  padded  ',
    }),
    admin,
  )

  return context
}

describe('exportCsv', () => {
  it('writes labels as headers, titles for relations and users, and neutralises formulas', async () => {
    const { engine } = await seed()
    const csv = await text(
      exportCsv(engine, 'potentials', {
        fields: ['potentialname', 'related_to', 'amount', 'assigned_user_id', 'nextstep'],
      }),
    )
    const lines = csv.split('\r\n')

    expect(lines[0]).toBe('Potential Name,Account Name,Amount,Assigned To,Next Step')
    expect(lines[1]).toBe(
      `"'=HYPERLINK(""http://x"")","'=Acme, ""the"" Company",1234.56,Administrator,'-call`,
    )
    expect(lines[2]).toBe(`''quoted,,,Sam Carter,`)
  })

  it('writes the excel flavour with a byte order mark and ";"', async () => {
    const { engine } = await seed()
    const csv = await text(
      exportCsv(engine, 'potentials', { flavour: 'excel', fields: ['potentialname', 'amount'] }),
    )

    expect(csv.startsWith('\ufeffPotential Name;Amount\r\n')).toBe(true)
    // Where ";" separates cells, "," is the decimal mark, as Excel there reads numbers.
    expect(csv.split('\r\n').slice(1, -1).every((line) => /;(\d+(,\d+)?)?$/.test(line))).toBe(true)
    expect(csv).toMatch(/;\d+,\d+\r\n/)
  })

  it.each(['standard', 'excel'] as const)(
    're-imports its %s output to the same records',
    async (flavour) => {
      const { engine } = await seed()
      const csv = await text(exportCsv(engine, 'potentials', { flavour }))
      const target = await createTestEngine()
      await target.engine.records.create(
        'accounts',
        { accountname: '=Acme, "the" Company' },
        target.admin,
      )
      const result = await importCsv(
        target.engine,
        'potentials',
        new TextEncoder().encode(csv),
        flavour === 'excel' ? { decimalMark: ',' } : {},
        target.admin,
      )

      expect(result.errors).toEqual([])
      expect(result.columns.filter((column) => column.field === null && column.relation === undefined)).toEqual([])
      expect(await values(target.engine)).toEqual(await values(engine))
    },
  )

  it('pages through more records than one page holds, honouring filters', async () => {
    const { engine, admin } = await createTestEngine()
    const rows = Array.from(
      { length: 1203 },
      (_, index) => `Deal ${index},${index % 2 === 0 ? 'Prospecting' : 'Closed Won'},2026-01-01`,
    )
    await importCsv(
      engine,
      'potentials',
      new TextEncoder().encode(`Potential Name,Stage,Close Date\n${rows.join('\n')}\n`),
      {},
      admin,
    )
    const all = await text(exportCsv(engine, 'potentials', { fields: ['potentialname'] }))
    const won = await text(
      exportCsv(engine, 'potentials', {
        fields: ['potentialname'],
        query: { filters: [{ field: 'sales_stage', operator: 'eq', value: 'Closed Won' }] },
      }),
    )
    const sorted = await text(
      exportCsv(engine, 'potentials', {
        fields: ['potentialname'],
        query: { sort: ['-potentialname'], limit: 700 },
      }),
    )

    expect(all.trimEnd().split('\r\n')).toHaveLength(1204)
    expect(won.trimEnd().split('\r\n')).toHaveLength(602)
    expect(sorted.trimEnd().split('\r\n')).toHaveLength(701)
    expect(sorted.split('\r\n')[1]).toBe('Deal 999')
  })

  it('refuses unknown fields', async () => {
    const { engine } = await createTestEngine()

    await expect(text(exportCsv(engine, 'potentials', { fields: ['nope'] }))).rejects.toMatchObject(
      { code: 'QUERY_INVALID' },
    )
  })
})

import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { undoImport } from '../../../../engine/core/csv/undo-import.ts'
import type { ImportOptions, ImportProgress } from '../../../../engine/core/csv/import-types.ts'
import { linkTableName } from '../../../../engine/core/storage/module-table.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

async function setup() {
  const context = await createTestEngine()
  const { engine, admin } = context
  const acme = await engine.records.create('accounts', { accountname: 'Acme & Co.' }, admin)
  const gtx = await engine.records.create('products', { productname: 'GTX Pro' }, admin)
  const mg = await engine.records.create('products', { productname: 'MG Special' }, admin)
  const run = (text: string, options: ImportOptions = {}, module = 'potentials') =>
    importCsv(engine, module, bytes(text), options, admin)
  const list = async (module = 'potentials') =>
    (await engine.records.list(module, { limit: 500, sort: ['id'] })).items

  return { ...context, acme, gtx, mg, run, list }
}

describe('importCsv', () => {
  it('maps columns by header, builds values from templates, defaults and value maps', async () => {
    const { run, list, acme } = await setup()
    const csv =
      'id,agent,company,stage,close,value\nX1,Sam Carter,Acme & Co.,Won,,1000\nX2,sam.carter,,Engaging,2026-05-01,\n'
    const result = await run(csv, {
      mapping: {
        potentialname: { template: '[{company} – ]{stage|upper} ({id|lower})' },
        agent: { field: 'assigned_user_id' },
        company: { field: 'related_to' },
        stage: { field: 'sales_stage', valueMap: { won: 'Closed Won', engaging: 'Qualification' } },
        closingdate: { column: 'close', default: '2026-12-31' },
        amount: { column: 'value', multiply: '1.5' },
        currency_code: { default: 'USD' },
      },
    })

    expect(result.errors).toEqual([])
    expect(result.columns.map((column) => column.field)).toEqual([
      null,
      'assigned_user_id',
      'related_to',
      'sales_stage',
      'closingdate',
      'amount',
    ])
    const [first, second] = await list()
    expect(first).toMatchObject({
      potentialname: 'Acme & Co. – WON (x1)',
      related_to: acme.id,
      sales_stage: 'Closed Won',
      probability: 100,
      closingdate: '2026-12-31',
      amount: 1500,
      currency_code: 'USD',
    })
    expect(second).toMatchObject({
      potentialname: 'ENGAGING (x2)',
      related_to: null,
      sales_stage: 'Qualification',
      closingdate: '2026-05-01',
      amount: null,
    })
    expect(first.assigned_user_id).toBe(second.assigned_user_id)
  })

  it('matches users by full name or username and refuses a name two users share, naming both', async () => {
    const { engine, admin, run } = await setup()
    const one = await engine.records.create(
      'users',
      { username: 'alex.kim1', full_name: 'Alex Kim', status: 'Active' },
      admin,
    )
    const two = await engine.records.create(
      'users',
      { username: 'alex.kim2', full_name: 'Alex Kim', status: 'Active' },
      admin,
    )
    const result = await run(
      'Potential Name,Assigned To,Sales Stage,Close Date\nA,alex kim,Prospecting,2026-01-01\nB,ALEX.KIM2,Prospecting,2026-01-01\n',
    )

    expect(result.counts).toMatchObject({ created: 1, refused: 1 })
    expect(result.errors[0]).toMatchObject({
      row: 2,
      column: 'Assigned To',
      field: 'assigned_user_id',
      value: 'alex kim',
    })
    expect(result.errors[0].message).toContain(`ids ${one.id}, ${two.id}`)
  })

  it('links many-to-many records named in a column, through a value map', async () => {
    const { engine, run, gtx, mg } = await setup()
    const result = await run(
      'Potential Name,product,Stage,Close Date\nA,GTXPro,Prospecting,2026-01-01\nB,GTX Pro; MG Special,Prospecting,2026-01-01\nC,Nope,Prospecting,2026-01-01\n',
      {
        mapping: { products: { column: 'product', valueMap: { GTXPro: 'GTX Pro' } } },
      },
    )

    expect(result.counts).toMatchObject({ created: 2, refused: 1, links: 3 })
    expect(result.errors[0]).toMatchObject({
      row: 4,
      column: 'product',
      field: 'products',
      value: 'Nope',
    })
    const links = await engine.db.read((db) =>
      db
        .selectFrom(linkTableName('potentials', 'products'))
        .select(['source_id', 'target_id'])
        .orderBy('source_id')
        .orderBy('target_id')
        .execute(),
    )
    expect(links.map((link) => link.target_id)).toEqual([gtx.id, gtx.id, mg.id])
  })

  it('finds a many-to-many column by the relation label without a mapping', async () => {
    const { run } = await setup()
    const result = await run(
      'Potential Name,Products,Stage,Close Date\nA,MG Special,Prospecting,2026-01-01\n',
      { dryRun: true },
    )

    expect(result.columns[1]).toMatchObject({ header: 'Products', relation: 'products' })
    expect(result.counts.links).toBe(1)
  })

  it('refuses ragged rows, tolerates trailing empty cells and lists blank lines', async () => {
    const { run } = await setup()
    const result = await run(
      'Potential Name,Stage,Close Date\nA,Prospecting,2026-01-01,,\n,,\nB,Prospecting\nC,Prospecting,2026-01-01,extra\n\nD,Prospecting,2026-01-01\n',
    )

    expect(result.counts).toMatchObject({ rows: 4, created: 2, refused: 2, blank: 2 })
    expect(result.blankLines).toEqual([3, 6])
    expect(
      result.errors.map((error) => [error.row, error.message.match(/has (\d+) cells/)?.[1]]),
    ).toEqual([
      [4, '2'],
      [5, '4'],
    ])
  })

  it('throws CSV_INVALID for a mapping that names an unknown field or a missing column', async () => {
    const { run } = await setup()

    await expect(run('a\n1\n', { mapping: { nope: { column: 'a' } } })).rejects.toMatchObject({
      code: 'CSV_INVALID',
    })
    await expect(
      run('a\n1\n', { mapping: { potentialname: { column: 'b' } } }),
    ).rejects.toMatchObject({ code: 'CSV_INVALID' })
    await expect(
      run('a\n1\n', { mapping: { potentialname: { template: '{a|shout}' } } }),
    ).rejects.toMatchObject({ code: 'CSV_INVALID' })
  })

  it('writes in batches, reports progress, and finds duplicates across batches', async () => {
    const { run, list } = await setup()
    const lines = [
      'Potential Name,Stage,Close Date',
      ...['A', 'B', 'a ', 'C', 'b'].map((name) => `${name},Prospecting,2026-01-01`),
    ]
    const progress: ImportProgress[] = []
    const result = await run(`${lines.join('\n')}\n`, {
      batchSize: 2,
      duplicates: { match: ['potentialname'], action: 'skip' },
      onProgress: (item) => progress.push(item),
    })

    expect(result.counts).toMatchObject({ rows: 5, created: 3, skipped: 2 })
    expect(progress.map((item) => item.rows)).toEqual([2, 4, 5])
    expect((await list()).map((record) => record.potentialname)).toEqual(['A', 'B', 'C'])
    expect(result.notices.map((notice) => notice.message)).toEqual([
      'skipped: duplicate of row 2 of this file',
      'skipped: duplicate of row 3 of this file',
    ])
  })

  it('reads dates in the chosen order and refuses impossible ones', async () => {
    const { run, list } = await setup()
    const result = await run(
      'Potential Name,Stage,Close Date\nA,Prospecting,31.12.2026\nB,Prospecting,31.02.2026\n',
      { dateOrder: 'DMY' },
    )

    expect((await list())[0].closingdate).toBe('2026-12-31')
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'Close Date', value: '31.02.2026' }),
    ])
  })

  it('removes the formula escape an export adds, exactly once', async () => {
    const { run, list } = await setup()
    await run(
      `Potential Name,Stage,Close Date,Next Step\n'=SUM(A1),Prospecting,2026-01-01,''quoted\nplain,Prospecting,2026-01-01,'kept\n`,
    )

    expect((await list()).map((record) => [record.potentialname, record.nextstep])).toEqual([
      ['=SUM(A1)', "'quoted"],
      ['plain', "'kept"],
    ])
  })

  it('caps the listed errors but keeps the counts exact', async () => {
    const { run } = await setup()
    const rows = Array.from({ length: 30 }, (_, index) => `P${index},Nope,2026-01-01`)
    const result = await run(`Potential Name,Stage,Close Date\n${rows.join('\n')}\n`, {
      maxErrors: 10,
    })

    expect(result.counts.refused).toBe(30)
    expect(result.errors).toHaveLength(10)
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'truncated' }))
  })

  it('updates the parent of records in a second pass, resolving names within the module', async () => {
    const { run, list } = await setup()
    const csv = 'Account,Subsidiary Of\nChild Ltd,Parent Inc\nParent Inc,\n'
    await run(csv, { mapping: { 'Subsidiary Of': { field: null } } }, 'accounts')
    const second = await run(
      csv,
      {
        autoMatch: false,
        mapping: { accountname: { column: 'Account' }, parent_id: { column: 'Subsidiary Of' } },
        duplicates: { match: ['accountname'], action: 'merge' },
      },
      'accounts',
    )

    expect(second.counts).toMatchObject({ updated: 1, skipped: 1, refused: 0 })
    const accounts = await list('accounts')
    const parent = accounts.find((account) => account.accountname === 'Parent Inc')!
    expect(accounts.find((account) => account.accountname === 'Child Ltd')?.parent_id).toBe(
      parent.id,
    )
  })

  it('refuses a row whose unique value is taken, without failing the rest of the batch', async () => {
    const { run, list } = await setup()
    const result = await run(
      'User Name,Full Name\nsam.carter,Sam Again\nnew.one,New One\nnew.one,New Twin\n',
      {},
      'users',
    )

    expect(result.counts).toMatchObject({ created: 1, refused: 2 })
    expect(result.errors.map((error) => [error.row, error.column, error.message])).toEqual([
      [2, 'User Name', expect.stringMatching(/"sam.carter" is already used by another user/)],
      [4, 'User Name', 'User Name "new.one" is already used by row 3 of this file'],
    ])
    expect((await list('users')).map((user) => user.username)).toEqual([
      'admin',
      'sam.carter',
      'new.one',
    ])
  })

  it('links by id when the mapping says so, and reports a second column for one field', async () => {
    const { run, list, acme } = await setup()
    const result = await run(
      `Potential Name,Account Id,Stage,Close Date,Deal Name\nA,${acme.id},Prospecting,2026-01-01,x\nB,999,Prospecting,2026-01-01,y\n`,
      { mapping: { 'Account Id': { field: 'related_to', by: 'id' } } },
    )

    expect((await list())[0].related_to).toBe(acme.id)
    expect(result.errors).toEqual([
      expect.objectContaining({
        row: 3,
        field: 'related_to',
        message: expect.stringMatching(/no Account with id 999/),
      }),
    ])
    expect(result.columns[4]).toMatchObject({
      header: 'Deal Name',
      field: null,
      note: expect.stringMatching(/already comes from column "Potential Name"/),
    })
  })

  it('undoes an import that updated records: previous values come back', async () => {
    const { engine, admin, run } = await setup()
    const stored = await engine.records.create(
      'potentials',
      {
        potentialname: 'Fleet',
        sales_stage: 'Prospecting',
        closingdate: '2026-01-01',
        nextstep: 'Call',
      },
      admin,
    )
    const csv = 'Potential Name,Stage,Next Step\nFleet,Closed Won,Sign\nNew One,Prospecting,\n'
    const result = await run(csv, {
      jobId: 7,
      defaults: { closingdate: '2026-06-30' },
      duplicates: { match: ['potentialname'], action: 'merge' },
    })
    expect(result.counts).toMatchObject({ created: 1, updated: 1 })
    expect(await engine.records.get('potentials', stored.id)).toMatchObject({
      sales_stage: 'Closed Won',
      probability: 100,
      nextstep: 'Sign',
    })

    const undone = await undoImport(engine, 7, admin)

    expect(undone).toMatchObject({ removed: 1, restored: 1, skipped: [] })
    expect(await engine.records.get('potentials', stored.id)).toMatchObject({
      sales_stage: 'Prospecting',
      probability: 10,
      nextstep: 'Call',
      version: 3,
    })
    expect((await engine.records.list('potentials', {})).total).toBe(1)
  })
  it('undoes the links an import added to records it updated, and keeps the links they had before', async () => {
    const { engine, admin, run, gtx, mg } = await setup()
    const stored = await engine.records.create(
      'potentials',
      { potentialname: 'Fleet', sales_stage: 'Prospecting', closingdate: '2026-01-01' },
      admin,
    )
    await engine.relations.link('potentials', stored.id, 'potentials.products', gtx.id, admin)
    const csv = 'Potential Name,Stage,Products\nFleet,Qualification,GTX Pro; MG Special\n'
    const result = await run(csv, { jobId: 8, duplicates: { match: ['potentialname'], action: 'update' } })
    const linked = async () =>
      (await engine.db.read((db) => db.selectFrom(linkTableName('potentials', 'products')).select('target_id').where('source_id', '=', stored.id).orderBy('target_id').execute())).map((row) => Number(row.target_id))
    expect(result.counts).toMatchObject({ updated: 1, refused: 0 })
    expect(await linked()).toEqual([gtx.id, mg.id])

    const undone = await undoImport(engine, 8, admin)

    expect(undone).toMatchObject({ restored: 1, unlinked: 1, skipped: [] })
    expect(await linked()).toEqual([gtx.id])
    expect(await engine.records.get('potentials', stored.id)).toMatchObject({ sales_stage: 'Prospecting' })
  })
  it('a resumed import remembers the records its rows before the resume wrote: a later row for one of them is refused, not applied over it', async () => {
    const { engine, admin, run } = await setup()
    const options: ImportOptions = {
      jobId: 11,
      defaults: { closingdate: '2026-06-30' },
      duplicates: { match: ['potentialname'], action: 'update' },
    }
    const first = await run('Potential Name,Stage\nFleet,Prospecting\nOther,Prospecting\n', options)
    expect(first.counts).toMatchObject({ created: 2 })

    const resumed = await importCsv(
      engine,
      'potentials',
      bytes('Potential Name,Stage\nFleet,Prospecting\nOther,Prospecting\nfleet,Closed Won\n'),
      options,
      admin,
      { resume: { afterLine: 3, counts: first.counts } },
    )

    expect(resumed.counts).toMatchObject({ created: 2, updated: 0, refused: 1 })
    expect(resumed.errors[0]).toMatchObject({ row: 4 })
    expect(resumed.errors[0].message).toMatch(/before the import was resumed/)
    expect((await engine.records.list('potentials', { filters: [{ field: 'potentialname', operator: 'eq', value: 'Fleet' }] })).items[0]).toMatchObject({ sales_stage: 'Prospecting' })
  })
  it('undoes every record of a job whose records in two modules share ids, across undo batches', async () => {
    const { engine, admin, run, list } = await setup()
    // Acme is account 1: the job's accounts are 2..1101 and its potentials 1..1100, so ids repeat
    // across modules one apart, and a batch of 1,000 log entries ends between the two 501s.
    const rows = Array.from({ length: 1100 }, (_, index) => `Deal ${index},2026-01-01,Prospecting,Org ${index}`)
    const result = await run(`Potential Name,Expected Close Date,Sales Stage,Organization Name\n${rows.join('\n')}\n`, {
      jobId: 12,
      mapping: { related_to: { column: 'Organization Name', createMissing: true } },
    })
    expect(result.counts).toMatchObject({ created: 1100, relatedCreated: 1100, refused: 0 })

    const undone = await undoImport(engine, 12, admin)

    expect(undone).toMatchObject({ removed: 2200, skipped: [] })
    expect(await list('potentials')).toEqual([])
    expect((await list('accounts')).map((item) => item.accountname)).toEqual(['Acme & Co.'])
  })
})

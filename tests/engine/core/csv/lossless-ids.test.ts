import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

type Context = Awaited<ReturnType<typeof createTestEngine>>
type Engine = Context['engine']

async function lossless(engine: Engine): Promise<string> {
  let text = ''
  for await (const chunk of exportCsv(engine, 'potentials', { flavour: 'lossless' })) text += chunk

  return text
}

/** Twin accounts and contacts, the names a lossless export must not rely on (product names are unique). */
async function relatedTwins({ engine, admin }: Context) {
  const accounts = [], contacts = [], products = []
  for (let index = 0; index < 2; index++) {
    accounts.push((await engine.records.create('accounts', { accountname: 'Twin' }, admin)).id)
    contacts.push((await engine.records.create('contacts', { firstname: 'Jo', lastname: 'Smith' }, admin)).id)
    products.push((await engine.records.create('products', { productname: `Toner ${index}` }, admin)).id)
  }

  return { accounts, contacts, products }
}

async function withTwins() {
  const context = await createTestEngine()
  const { engine, admin } = context
  const twins = await relatedTwins(context)
  const first = await engine.records.create('potentials', potentialInput({ potentialname: 'First', related_to: twins.accounts[1], contact_id: twins.contacts[0] }), admin)
  const second = await engine.records.create('potentials', potentialInput({ potentialname: 'Second', related_to: twins.accounts[0] }), admin)
  await engine.relations.link('potentials', first.id, 'potentials.products', twins.products[1], admin)
  await engine.relations.link('potentials', second.id, 'potentials.products', twins.products[0], admin)
  await engine.relations.link('potentials', second.id, 'potentials.products', twins.products[1], admin)
  await engine.relations.link('potentials', first.id, 'potentials.contacts', twins.contacts[1], admin)

  return { ...context, twins, deals: [first.id, second.id] }
}

/** The potentials' references and every link row, as stored. */
async function snapshot(engine: Engine) {
  const potentials = (await engine.records.list('potentials', { sort: ['id'] })).items.map((record) =>
    [record.id, record.potentialname, record.related_to, record.contact_id, record.assigned_user_id])
  const links = await engine.db.read(async (db) => ({
    products: await db.selectFrom('_link_potentials_products').selectAll().orderBy('source_id').orderBy('target_id').execute(),
    contacts: await db.selectFrom('_link_potentials_contacts').selectAll().orderBy('source_id').orderBy('target_id').execute(),
  }))

  return { potentials, links }
}

const encode = (text: string) => new TextEncoder().encode(text)

describe('lossless export of related records by id', () => {
  it('writes relation, user and link cells as ids under "(id)" and "(ids)" headers; the other flavours keep names', async () => {
    const { engine, twins, deals } = await withTwins()
    const [header, first, second] = (await lossless(engine)).trim().split('\r\n').map((line) => line.split(','))
    const cell = (row: string[], name: string) => row[header.indexOf(name)]

    expect(header[0]).toBe('Record ID')
    expect(header).toEqual(expect.arrayContaining(['Account Name (id)', 'Contact Name (id)', 'Assigned To (id)', 'Products (ids)', 'Contacts (ids)']))
    expect([cell(first, 'Record ID'), cell(first, 'Account Name (id)'), cell(first, 'Contact Name (id)'), cell(first, 'Assigned To (id)')]).toEqual([String(deals[0]), String(twins.accounts[1]), String(twins.contacts[0]), '1'])
    expect(cell(first, 'Products (ids)')).toBe(String(twins.products[1]))
    expect(cell(second, 'Products (ids)')).toBe(`${twins.products[0]}; ${twins.products[1]}`)
    let standard = ''
    for await (const chunk of exportCsv(engine, 'potentials', {})) standard += chunk
    expect(standard.split('\r\n')[0]).toContain('Account Name,')
    expect(standard.split('\r\n')[1]).toContain(',Twin,')
  })

  it('re-imports into the same database as it is: every row skipped, no link added or lost, even with same-named records', async () => {
    const { engine, admin } = await withTwins()
    const before = await snapshot(engine)
    const result = await importCsv(engine, 'potentials', encode(await lossless(engine)), {}, admin)

    expect(result.errors).toEqual([])
    expect(result.counts).toMatchObject({ rows: 2, created: 0, updated: 0, skipped: 2, refused: 0 })
    expect(result.columns.find((column) => column.header === 'Products (ids)')).toMatchObject({ relation: 'products' })
    expect(result.columns.find((column) => column.header === 'Account Name (id)')).toMatchObject({ field: 'related_to' })
    expect(await snapshot(engine)).toEqual(before)
  })

  it('into an empty database refuses rows naming unknown ids (row, column, id), and links the same records once they exist', async () => {
    const source = await withTwins()
    const text = await lossless(source.engine)
    const empty = await createTestEngine()
    const refused = await importCsv(empty.engine, 'potentials', encode(text), {}, empty.admin)

    expect(refused.counts).toMatchObject({ created: 0, refused: 2 })
    expect(refused.errors).toContainEqual({ row: 3, column: 'Products (ids)', field: 'products', value: String(source.twins.products[0]), message: `not found: no product with id ${source.twins.products[0]}` })
    // Link ids are checked with the row's cells; field ids with the record, so alone here.
    let fieldsOnly = ''
    for await (const chunk of exportCsv(source.engine, 'potentials', { flavour: 'lossless', fields: ['potentialname', 'closingdate', 'sales_stage', 'related_to'] })) fieldsOnly += chunk
    const unknownAccount = await importCsv(empty.engine, 'potentials', encode(fieldsOnly), {}, empty.admin)
    expect(unknownAccount.errors).toContainEqual({ row: 2, column: 'Account Name (id)', field: 'related_to', value: String(source.twins.accounts[1]), message: `Account Name: no Account with id ${source.twins.accounts[1]}` })
    expect(await snapshot(empty.engine)).toMatchObject({ potentials: [], links: { products: [], contacts: [] } })

    // Created in the same order, the related records get the same ids: the rows import as new
    // records (no potential has their Record ID) linked to exactly the records the file names.
    const target = await createTestEngine()
    await relatedTwins(target)
    const result = await importCsv(target.engine, 'potentials', encode(text), {}, target.admin)
    const strip = ({ potentials, links }: Awaited<ReturnType<typeof snapshot>>) => ({
      potentials,
      links: Object.fromEntries(Object.entries(links).map(([name, rows]) => [name, rows.map(({ source_id, target_id }) => [source_id, target_id])])),
    })

    expect(result.counts).toMatchObject({ created: 2, refused: 0, links: 4 })
    expect(strip(await snapshot(target.engine))).toEqual(strip(await snapshot(source.engine)))
  })

  it('refuses a row linking a deleted or non-numeric id and writes none of its links; a mapping reads any header by id', async () => {
    const { engine, admin, twins, deals } = await withTwins()
    await engine.records.remove('products', twins.products[0], admin)
    const before = await snapshot(engine)
    const csv = `Record ID,Product Ids\n${deals[0]},${twins.products[1]}; ${twins.products[0]}\n${deals[1]},x7\n`
    const result = await importCsv(engine, 'potentials', encode(csv), { mapping: { 'Product Ids': { relation: 'products', by: 'id' } } }, admin)

    expect(result.counts).toMatchObject({ refused: 2, links: 0 })
    expect(result.errors).toEqual([
      { row: 2, column: 'Product Ids', field: 'products', value: String(twins.products[0]), message: `not found: no product with id ${twins.products[0]}` },
      { row: 3, column: 'Product Ids', field: 'products', value: 'x7', message: '"x7" is not a record id' },
    ])
    expect(await snapshot(engine)).toEqual(before)
  })
})

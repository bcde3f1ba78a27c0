import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

type Engine = Awaited<ReturnType<typeof createTestEngine>>['engine']

async function exported(engine: Engine, options: Parameters<typeof exportCsv>[2] = {}) {
  let text = ''
  for await (const chunk of exportCsv(engine, 'potentials', options)) text += chunk

  return text
}

async function productsOf(engine: Engine, id: number): Promise<string[]> {
  const related = await engine.relations.related('potentials', id, 'potentials.products', {})

  return related.items.map((item) => String(item.productname)).sort()
}

describe('export of many-to-many links', () => {
  it('writes a column per relation with the linked names, leaves out deleted ones, and a re-import into a new database links the same records', async () => {
    const { engine, admin } = await createTestEngine()
    const printer = await engine.records.create('products', { productname: 'Laser Printer' }, admin)
    const toner = await engine.records.create('products', { productname: 'Toner Pack' }, admin)
    const retired = await engine.records.create('products', { productname: 'Fax' }, admin)
    const fleet = await engine.records.create('potentials', potentialInput({ potentialname: 'Fleet' }), admin)
    await engine.records.create('potentials', potentialInput({ potentialname: 'Bare' }), admin)
    for (const product of [printer, toner, retired])
      await engine.relations.link('potentials', fleet.id, 'potentials.products', product.id, admin)
    await engine.records.remove('products', retired.id, admin)

    // Names are the standard flavour's; the lossless one writes ids (lossless-ids.test.ts).
    const text = await exported(engine)
    const [header, first, second] = text.trim().split('\r\n')

    expect(header.split(',').slice(-2)).toEqual(['Products', 'Contacts'])
    expect(first.split(',').slice(-2)).toEqual(['Laser Printer; Toner Pack', ''])
    expect(second.split(',').slice(-2)).toEqual(['', ''])

    const target = await createTestEngine()
    for (const name of ['Laser Printer', 'Toner Pack'])
      await target.engine.records.create('products', { productname: name }, target.admin)
    const result = await importCsv(target.engine, 'potentials', new TextEncoder().encode(text), {}, target.admin)
    const copy = (await target.engine.records.list('potentials', { sort: ['id'] })).items

    expect(result.counts).toMatchObject({ created: 2, refused: 0, links: 2 })
    expect(await productsOf(target.engine, copy[0].id)).toEqual(['Laser Printer', 'Toner Pack'])
    expect(await productsOf(target.engine, copy[1].id)).toEqual([])
  })

  it('exports only the relations asked for when fields are chosen, and names an unknown relation', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('potentials', potentialInput({ potentialname: 'Fleet' }), admin)

    expect((await exported(engine, { fields: ['potentialname'] })).split('\r\n')[0]).toBe('Potential Name')
    expect((await exported(engine, { fields: ['potentialname'], relations: ['products'] })).split('\r\n')[0]).toBe(
      'Potential Name,Products',
    )
    await expect(exported(engine, { fields: ['potentialname'], relations: ['invoices'] })).rejects.toThrow(
      /cannot export the relation "invoices"/,
    )
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import { createTestEngine, potentialInput, type TestEngine } from '../../../helpers/create-test-engine.ts'

let t: TestEngine

beforeEach(async () => {
  t = await createTestEngine()
})

describe('RelationService', () => {
  it('counts related records in the relation menu of an account', async () => {
    const acme = await t.engine.records.create('accounts', { accountname: 'Acme & Co.' }, t.admin)
    const other = await t.engine.records.create('accounts', { accountname: 'Other' }, t.admin)
    await t.engine.records.create('accounts', { accountname: 'Acme Subsidiary', parent_id: acme.id }, t.admin)
    for (let index = 0; index < 3; index++) await t.engine.records.create('potentials', potentialInput({ related_to: acme.id }), t.admin)
    await t.engine.records.create('potentials', potentialInput({ related_to: other.id }), t.admin)
    const menu = await t.engine.relations.menu('accounts', acme.id)

    expect(Object.fromEntries(menu.map((item) => [item.id, item.count]))).toEqual(expect.objectContaining({ 'accounts.parent_id': 1, 'contacts.account_id': 0, 'potentials.related_to': 3 }))
    expect(menu.find((item) => item.id === 'accounts.parent_id')?.label).toBe('Accounts (Member Of)')
  })

  it('shows the total, forecast and won amounts of an account\'s potentials in its relation menu', async () => {
    const acme = await t.engine.records.create('accounts', { accountname: 'Acme' }, t.admin)
    for (const [sales_stage, amount] of [['Prospecting', 1000], ['Qualification', 500], ['Closed Won', 300]] as const) {
      await t.engine.records.create('potentials', potentialInput({ related_to: acme.id, sales_stage, amount }), t.admin)
    }
    const menu = await t.engine.relations.menu('accounts', acme.id)

    expect(menu.find((item) => item.id === 'potentials.related_to')?.totals).toEqual({ currency: 'EUR', open: 1500, weighted: 200, won: 300 })
  })

  it('links and unlinks products to a potential many-to-many, seen from both sides', async () => {
    const deal = await t.engine.records.create('potentials', potentialInput(), t.admin)
    const product = await t.engine.records.create('products', { productname: 'GTX Pro', unit_price: 4821 }, t.admin)
    await t.engine.relations.link('potentials', deal.id, 'potentials.products', product.id, t.admin)
    await t.engine.relations.link('potentials', deal.id, 'potentials.products', product.id, t.admin)

    expect((await t.engine.relations.related('potentials', deal.id, 'potentials.products', {})).items.map((item) => item.productname)).toEqual(['GTX Pro'])
    expect((await t.engine.relations.menu('products', product.id)).find((item) => item.id === 'potentials.products')?.count).toBe(1)

    await t.engine.relations.unlink('products', product.id, 'potentials.products', deal.id, t.admin)
    expect((await t.engine.relations.related('potentials', deal.id, 'potentials.products', {})).total).toBe(0)
  })

  it('links a one-to-many relation by setting the child field through validation', async () => {
    const acme = await t.engine.records.create('accounts', { accountname: 'Acme' }, t.admin)
    const deal = await t.engine.records.create('potentials', potentialInput(), t.admin)
    await t.engine.relations.link('accounts', acme.id, 'potentials.related_to', deal.id, t.admin)

    expect((await t.engine.records.get('potentials', deal.id)).related_to).toBe(acme.id)
    await t.engine.relations.unlink('accounts', acme.id, 'potentials.related_to', deal.id, t.admin)
    expect((await t.engine.records.get('potentials', deal.id)).related_to).toBeNull()
  })

  it('creates a contact already linked to a potential many-to-many, in one transaction', async () => {
    const deal = await t.engine.records.create('potentials', potentialInput(), t.admin)
    const contact = await t.engine.relations.createRelated('potentials', deal.id, 'potentials.contacts', { firstname: 'Rita', lastname: 'Radar' }, t.admin)

    expect((await t.engine.relations.related('potentials', deal.id, 'potentials.contacts', {})).items.map((item) => item.id)).toEqual([contact.id])
    expect((await t.engine.relations.related('contacts', contact.id, 'potentials.contacts', {})).items.map((item) => item.id)).toEqual([deal.id])
  })

  it('creates a potential linked to an account by setting its link field', async () => {
    const acme = await t.engine.records.create('accounts', { accountname: 'Acme' }, t.admin)
    const deal = await t.engine.relations.createRelated('accounts', acme.id, 'potentials.related_to', potentialInput(), t.admin)

    expect(deal.related_to).toBe(acme.id)
  })

  it('leaves neither a record nor a link behind when the new record is refused', async () => {
    const deal = await t.engine.records.create('potentials', potentialInput(), t.admin)

    await expect(t.engine.relations.createRelated('potentials', deal.id, 'potentials.contacts', { firstname: 'No last name' }, t.admin)).rejects.toMatchObject({ code: 'RECORD_INVALID' })
    expect((await t.engine.records.list('contacts', {})).total).toBe(0)
    expect((await t.engine.relations.menu('potentials', deal.id)).find((item) => item.id === 'potentials.contacts')?.count).toBe(0)
  })

  it("does not let a salesperson add a contact to a deal they cannot see", async () => {
    const rep = await t.engine.records.create('users', { username: 'rita.rep', full_name: 'Rita Rep', status: 'Active', role: 'sales' }, t.admin)
    await t.engine.auth.setPassword(rep.id, 'rita-pass-123')
    const { user: ritaActor } = await t.engine.auth.login('rita.rep', 'rita-pass-123')
    const othersDeal = await t.engine.records.create('potentials', potentialInput({ assigned_user_id: t.admin.id }), t.admin)

    await expect(t.engine.relations.createRelated('potentials', othersDeal.id, 'potentials.contacts', { lastname: 'Sneaky' }, ritaActor)).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' })
    expect((await t.engine.records.list('contacts', {})).total).toBe(0)
  })

  it('tells apart a related module reached through a field and through a many-to-many relation', async () => {
    const contact = await t.engine.records.create('contacts', { lastname: 'Kim' }, t.admin)
    const labels = Object.fromEntries((await t.engine.relations.menu('contacts', contact.id)).map((item) => [item.id, item.label]))

    expect(labels['potentials.contact_id']).toBe('Potentials (Contact Name)')
    expect(labels['potentials.contacts']).toBe('Potentials')
    expect(new Set(Object.values(labels)).size).toBe(Object.values(labels).length)
  })

  it('refuses a relation id that the module does not have', async () => {
    const acme = await t.engine.records.create('accounts', { accountname: 'Acme' }, t.admin)

    await expect(t.engine.relations.related('accounts', acme.id, 'planets.moons', {})).rejects.toMatchObject({ code: 'RELATION_NOT_FOUND' })
  })
})

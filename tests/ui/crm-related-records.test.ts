import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-related-records', () => {
  let session: UiSession
  let accountId: number
  let looseId: number

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const account = await engine.records.create('accounts', { accountname: 'Blue Ocean Shipping' }, admin)
    accountId = account.id
    await engine.records.create(
      'potentials',
      {
        potentialname: 'Container cranes',
        amount: 10000,
        closingdate: '2027-03-31',
        sales_stage: 'Qualification',
        related_to: account.id,
      },
      admin,
    )
    const loose = await engine.records.create(
      'potentials',
      { potentialname: 'Loose deal', amount: 3000, closingdate: '2027-04-30', sales_stage: 'Prospecting' },
      admin,
    )
    looseId = loose.id
    await engine.records.create('products', { productname: 'Reach stacker', unit_price: 900 }, admin)
  })

  afterAll(async () => {
    await session?.close()
  })

  it("adds a potential from the account's related list with the account filled in", async () => {
    const { page, server } = session
    await session.open(`#/accounts/${accountId}`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    const menu = page.getByRole('navigation', { name: 'Related lists' })
    const potentials = menu.getByRole('button', { name: /^Potentials/ })
    expect(await textOf(potentials, /Potentials\s*1\s*related\s*open 10,000\.00 EUR\s*· weighted\s*2,000\.00 EUR/)).toMatch(
      /Potentials\s*1\s*related\s*open 10,000\.00 EUR\s*· weighted\s*2,000\.00 EUR/,
    )
    await potentials.click()
    const related = page.locator('crm-related-records')
    expect(await textOf(related.locator('.totals'), /Open 10,000\.00 EUR · weighted\s*2,000\.00 EUR · won\s*0\.00 EUR/)).toMatch(
      /Open 10,000\.00 EUR · weighted\s*2,000\.00 EUR · won\s*0\.00 EUR/,
    )
    await related.getByRole('link', { name: 'Container cranes' }).waitFor()
    await saveScreenshot(page, 'related-potentials')

    await related.getByRole('link', { name: 'Add Potential' }).click()
    await page.getByRole('heading', { name: 'New Potential', exact: true }).waitFor()
    expect(new URL(page.url()).hash).toBe(`#/potentials/new?related_to=${accountId}`)
    const account = page.getByRole('combobox', { name: /^Account Name/ })
    expect(await account.inputValue()).toBe('Blue Ocean Shipping')
    await saveScreenshot(page, 'add-potential-prefilled')
    await page.getByRole('textbox', { name: 'Potential Name', exact: true }).fill('Spare parts')
    await page.getByLabel('Expected Close Date').fill('2027-06-30')
    await page.getByRole('combobox', { name: 'Sales Stage', exact: true }).selectOption('Prospecting')
    await page.getByRole('button', { name: 'Save Potential' }).click()
    await page.getByRole('heading', { name: 'Spare parts', exact: true }).waitFor()
    const created = (await server.engine.records.list('potentials', { q: 'Spare parts' })).items[0]
    expect(created.related_to).toBe(accountId)

    await page.getByRole('link', { name: 'Blue Ocean Shipping' }).first().click()
    await page.getByRole('heading', { name: 'Blue Ocean Shipping', exact: true }).waitFor()
    expect(await textOf(menu.getByRole('button', { name: /^Potentials/ }), /Potentials\s*2/)).toMatch(/Potentials\s*2/)
  })

  it('links an existing potential, then unlinks it; the count and totals follow', async () => {
    const { page, server } = session
    const menu = page.getByRole('navigation', { name: 'Related lists' })
    await menu.getByRole('button', { name: /^Potentials/ }).click()
    const related = page.locator('crm-related-records')
    await related.getByRole('button', { name: 'Select existing Potentials' }).click()
    const form = related.getByRole('form', { name: 'Link a potential' })
    await form.getByRole('combobox', { name: 'Potential to link' }).fill('Loose')
    await form.getByRole('option', { name: 'Loose deal' }).click()
    await form.getByRole('button', { name: 'Link', exact: true }).click()
    await related.getByRole('link', { name: 'Loose deal' }).waitFor()
    expect(await textOf(menu.getByRole('button', { name: /^Potentials/ }), /Potentials\s*3/)).toMatch(/Potentials\s*3/)
    expect(await textOf(related.locator('.totals'), 'Open 13,000.00 EUR')).toContain('Open 13,000.00 EUR')
    expect((await server.engine.records.get('potentials', looseId)).related_to).toBe(accountId)
    await saveScreenshot(page, 'related-linked')

    await related.getByRole('button', { name: 'Unlink Loose deal' }).click()
    await related.getByRole('link', { name: 'Loose deal' }).waitFor({ state: 'detached' })
    expect(await textOf(menu.getByRole('button', { name: /^Potentials/ }), /Potentials\s*2/)).toMatch(/Potentials\s*2/)
    expect(await textOf(related.locator('.totals'), 'Open 10,000.00 EUR')).toContain('Open 10,000.00 EUR')
    expect((await server.engine.records.get('potentials', looseId)).related_to).toBeNull()
  })

  it('links and unlinks a record of a many-to-many relation', async () => {
    const { page, server } = session
    await session.open(`#/potentials/${looseId}`)
    const menu = page.getByRole('navigation', { name: 'Related lists' })
    await menu.getByRole('button', { name: /^Products/ }).click()
    const related = page.locator('crm-related-records')
    await related.getByText('No products are related to this record yet.').waitFor()
    // A new product would be created already linked: the link lives in its own table, not in a field.
    expect(await related.getByRole('link', { name: 'Add Product' }).getAttribute('href')).toBe(
      `#/products/new?_link=potentials%2F${looseId}%2Fpotentials.products`,
    )
    await related.getByRole('button', { name: 'Select existing Products' }).click()
    const form = related.getByRole('form', { name: 'Link a product' })
    await form.getByRole('combobox', { name: 'Product to link' }).fill('Reach')
    await form.getByRole('option', { name: 'Reach stacker' }).click()
    await form.getByRole('button', { name: 'Link', exact: true }).click()
    await related.getByRole('link', { name: 'Reach stacker' }).waitFor()
    const linked = await server.engine.relations.related('potentials', looseId, 'potentials.products', {})
    expect(linked.items.map((item) => item.productname)).toEqual(['Reach stacker'])

    await related.getByRole('button', { name: 'Unlink Reach stacker' }).click()
    await related.getByText('No products are related to this record yet.').waitFor()
    expect(await textOf(menu.getByRole('button', { name: /^Products/ }), /Products\s*0/)).toMatch(/Products\s*0/)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-line-items', () => {
  let session: UiSession
  let dealId: number
  let quoteId: number

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const deal = await engine.records.create(
      'potentials',
      { potentialname: 'Fleet refit', amount: 1000, closingdate: '2027-05-31', sales_stage: 'Qualification' },
      admin,
    )
    dealId = deal.id
    await engine.records.create('products', { productname: 'Pallet jack', unit_price: 450 }, admin)
    await engine.records.create('products', { productname: 'Hand scanner', unit_price: 120.5 }, admin)
    const quote = await engine.records.create(
      'quotes',
      { subject: 'Fleet refit offer', potential_id: deal.id },
      admin,
    )
    quoteId = quote.id
  })

  afterAll(async () => {
    await session?.close()
  })

  it('adds, changes and removes product lines; the total and the potential amount follow', async () => {
    const { page, server } = session
    await session.open(`#/quotes/${quoteId}`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    const lines = page.locator('crm-line-items')
    await lines.getByRole('heading', { name: 'Quote Lines' }).waitFor()
    await lines.getByText('No quote lines yet').waitFor()
    const total = lines.locator('td[data-total]')

    const addLine = async (product: string, quantity: string, discount?: string) => {
      await lines.getByRole('button', { name: 'Add quote line' }).click()
      const form = lines.getByRole('form', { name: 'New quote line' })
      await form.getByRole('combobox', { name: /^Product/ }).fill(product.split(' ')[0])
      await form.getByRole('option', { name: product }).click()
      // The list price comes from the product's unit price.
      await form.locator('.filled').filter({ hasText: `from ${product}` }).waitFor()
      await form.getByRole('spinbutton', { name: /^Quantity/ }).fill(quantity)
      if (discount) await form.getByRole('spinbutton', { name: /^Discount/ }).fill(discount)
      return form
    }

    let form = await addLine('Pallet jack', '2', '10')
    expect(await form.getByRole('spinbutton', { name: /^List Price/ }).inputValue()).toBe('450')
    await form.getByRole('button', { name: 'Save quote line' }).click()
    expect(await textOf(total, '810.00')).toContain('810.00')
    const rows = lines.getByRole('table').locator('tbody tr')
    // The total comes with the quote and the rows with their own request: wait for the row itself.
    expect(await textOf(rows.first(), 'Pallet jack')).toContain('810.00')

    form = await addLine('Hand scanner', '3')
    expect(await form.getByRole('spinbutton', { name: /^List Price/ }).inputValue()).toBe('120.5')
    await form.getByRole('button', { name: 'Save quote line' }).click()
    expect(await textOf(total, '1,171.50')).toContain('1,171.50')
    // The quote's own Total field shows the same sum.
    expect(await textOf(page.locator('crm-record-detail dd'), '1,171.50')).toContain('1,171.50')
    expect((await server.engine.records.get('potentials', dealId)).amount).toBe(1171.5)
    await saveScreenshot(page, 'quote-lines')

    await lines.getByRole('button', { name: 'Edit quote line 1' }).click()
    const change = lines.getByRole('form', { name: 'Change quote line 1' })
    await change.getByRole('spinbutton', { name: /^Quantity/ }).fill('4')
    await change.getByRole('button', { name: 'Save quote line' }).click()
    expect(await textOf(total, '1,981.50')).toContain('1,981.50')

    await lines.getByRole('button', { name: 'Remove quote line 2' }).click()
    expect(await textOf(total, '1,620.00')).toContain('1,620.00')
    await expect.poll(() => rows.count()).toBe(1)
    expect((await server.engine.records.get('potentials', dealId)).amount).toBe(1620)
  })

  it('shows the potential amount as coming from its quotes, read-only in the form; the server refuses typing over it', async () => {
    const { page, server, admin } = session
    const second = await server.engine.records.create(
      'quotes',
      { subject: 'Fleet refit option B', potential_id: dealId },
      admin,
    )
    const product = (await server.engine.records.list('products', { q: 'Hand scanner' })).items[0]
    await server.engine.records.create(
      'quote_lines',
      { quote_id: second.id, product_id: product.id, quantity: 1, list_price: 380 },
      admin,
    )

    await session.open(`#/potentials/${dealId}`)
    await page.getByRole('heading', { name: 'Fleet refit', exact: true }).waitFor()
    const amount = page.locator('crm-record-detail dd').filter({ hasText: '2,000.00' })
    expect(await textOf(amount, 'From 2 linked quotes')).toContain('From 2 linked quotes')

    await page.getByRole('link', { name: 'Edit', exact: true }).click()
    await page.getByRole('heading', { name: 'Edit Fleet refit', exact: true }).waitFor()
    const field = page.locator('crm-field-input[data-field="amount"]')
    const input = field.getByRole('textbox', { name: 'Amount' })
    expect(await input.getAttribute('readonly')).not.toBeNull()
    expect(await input.inputValue()).toBe('2,000.00')
    expect(await textOf(field.locator('#help'), 'From 2 linked quotes — unlink them to type it')).toBe(
      'From 2 linked quotes — unlink them to type it',
    )
    await saveScreenshot(page, 'form-rollup-read-only')

    const record = await server.engine.records.get('potentials', dealId)
    const response = await page.request.patch(`${server.url}/api/modules/potentials/records/${dealId}`, {
      data: { amount: 5 },
      headers: { 'If-Match': String(record.version), 'X-Requested-With': 'crm' },
    })
    expect(response.status()).toBe(422)
    const body = (await response.json()) as { error: { details: { issues: { field: string; code: string }[] } } }
    expect(body.error.details.issues).toEqual([
      expect.objectContaining({ field: 'amount', code: 'rollup' }),
    ])
  })

  it('fits the quote lines, the stage history and the timeline into a phone-wide screen', async () => {
    const { page } = session
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      const screens = [
        [`#/quotes/${quoteId}`, page.locator('crm-line-items td[data-total]'), 'phone-quote-lines'],
        [`#/potentials/${dealId}`, page.locator('crm-stage-history tbody tr').first(), 'phone-stage-history'],
      ] as const
      for (const [hash, ready, name] of screens) {
        await session.open(hash)
        await ready.waitFor()
        await page.locator('crm-record-timeline li.entry').first().waitFor()
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
        await saveScreenshot(page, name)
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 })
    }
  })
})

import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

/** The field whose input holds the focus (the `name` of its crm-field-input), through the shadow roots. */
async function focusedField(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement
    let field: string | undefined
    while (element) {
      if (element.tagName === 'CRM-FIELD-INPUT')
        field = (element as HTMLElement & { name: string }).name
      element = element.shadowRoot?.activeElement ?? null
    }

    return field
  })
}

describe('record validation in the browser', () => {
  let session: UiSession
  // Every write the page sends to a records API, as "METHOD path".
  const writes: string[] = []

  beforeAll(async () => {
    session = await startUiSession()
    session.page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (/^\/api\/modules\/[^/]+\/records/.test(path) && request.method() !== 'GET') {
        writes.push(`${request.method()} ${path}`)
      }
    })
    await session.open('#/potentials')
    await logIn(session.page, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await session?.close()
  })

  it('refuses a bad amount and an empty required name beside the fields without sending, then saves', async () => {
    const { page } = session
    await session.open('#/potentials/new')
    await page.getByRole('heading', { name: 'New Potential', exact: true }).waitFor()
    await page.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('12.345')
    await page.getByLabel('Expected Close Date').fill('2027-03-31')
    await page
      .getByRole('combobox', { name: 'Sales Stage', exact: true })
      .selectOption('Qualification')
    writes.length = 0
    await page.getByRole('button', { name: 'Save Potential' }).click()

    const name = page.locator('crm-field-input[data-field="potentialname"]')
    const amount = page.locator('crm-field-input[data-field="amount"]')
    expect(await textOf(name.locator('.error'), 'Potential Name is required')).toBe('Potential Name is required')
    expect(await textOf(amount.locator('.error'), 'Amount must have at most 2 decimals')).toBe(
      'Amount must have at most 2 decimals',
    )
    expect(await amount.getByRole('spinbutton').getAttribute('aria-invalid')).toBe('true')
    expect(await focusedField(page)).toBe('potentialname')
    expect(writes).toEqual([])
    await saveScreenshot(page, 'browser-validation-form')

    await page.getByRole('textbox', { name: 'Potential Name', exact: true }).fill('Harbour cranes')
    await page.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('12.34')
    await page.getByRole('button', { name: 'Save Potential' }).click()
    await page.getByRole('heading', { name: 'Harbour cranes', exact: true }).waitFor()
    expect(writes).toEqual(['POST /api/modules/potentials/records'])
  })

  it('refuses a wrong e-mail in an edit form without sending', async () => {
    const { page, server, admin } = session
    const account = await server.engine.records.create(
      'accounts',
      { accountname: 'Northwind' },
      admin,
    )
    await session.open(`#/accounts/${account.id}/edit`)
    await page.getByRole('heading', { name: 'Edit Northwind', exact: true }).waitFor()
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('sales@')
    writes.length = 0
    await page.getByRole('button', { name: 'Save Account' }).click()

    const email = page.locator('crm-field-input[data-field="email"]')
    expect(await textOf(email.locator('.error'), 'Email must be a valid e-mail address')).toBe(
      'Email must be a valid e-mail address',
    )
    expect(await focusedField(page)).toBe('email')
    expect(writes).toEqual([])
  })

  it('checks only the quick-create fields: a bad amount is refused, then the server fills the rest', async () => {
    const { page, server } = session
    await session.open('#/potentials')
    await page.getByRole('button', { name: 'Quick create' }).click()
    const dialog = page.getByRole('dialog', { name: 'Quick create: Potential' })
    await dialog.getByRole('textbox', { name: 'Potential Name', exact: true }).fill('Silo sensors')
    await dialog.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('1.999')
    await dialog.getByLabel('Expected Close Date').fill('2027-06-30')
    await dialog
      .getByRole('combobox', { name: 'Sales Stage', exact: true })
      .selectOption('Prospecting')
    writes.length = 0
    await dialog.getByRole('button', { name: 'Save Potential' }).click()

    const amount = dialog.locator('crm-field-input[data-field="amount"]')
    expect(await textOf(amount.locator('.error'), 'Amount must have at most 2 decimals')).toBe(
      'Amount must have at most 2 decimals',
    )
    await expect.poll(() => dialog.locator('.error').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => dialog.getByRole('alert').count(), { timeout: 10_000 }).toBe(0)
    expect(await focusedField(page)).toBe('amount')
    expect(writes).toEqual([])
    await saveScreenshot(page, 'browser-validation-quick-create')

    await dialog.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('1.99')
    await dialog.getByRole('button', { name: 'Save Potential' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(writes).toEqual(['POST /api/modules/potentials/records'])
    const stored = (await server.engine.records.list('potentials', {})).items.filter(
      (deal) => deal.potentialname === 'Silo sensors',
    )
    expect(stored.map((deal) => [deal.amount, deal.assigned_user_id])).toEqual([
      [1.99, session.admin.id],
    ])
  })

  it('refuses a bad value in an inline edit beside the input without sending', async () => {
    const { page, server, admin } = session
    const contact = await server.engine.records.create(
      'contacts',
      { lastname: 'Okafor', email: 'ada@okafor.example' },
      admin,
    )
    await session.open(`#/contacts/${contact.id}`)
    const detail = page.locator('crm-record-detail')
    await detail.getByRole('button', { name: /^Edit Email/ }).click()
    const editor = detail.getByRole('form', { name: 'Edit Email' })
    await editor.getByRole('textbox', { name: 'Email' }).fill('ada@')
    writes.length = 0
    await editor.getByRole('button', { name: 'Save Email' }).click()

    expect(await textOf(editor.locator('.error'), 'Email must be a valid e-mail address')).toBe(
      'Email must be a valid e-mail address',
    )
    expect(await editor.getByRole('textbox', { name: 'Email' }).getAttribute('aria-invalid')).toBe(
      'true',
    )
    expect(await focusedField(page)).toBe('email')
    expect(writes).toEqual([])
  })

  it('refuses a bad value in a mass edit beside its field without sending', async () => {
    const { page, server, admin } = session
    for (const name of ['Mass A', 'Mass B'])
      await server.engine.records.create('potentials', { potentialname: name, closingdate: '2027-01-31', sales_stage: 'Prospecting' }, admin)
    await session.open('#/potentials?sort=potentialname&q=Mass')
    await page.getByRole('checkbox', { name: 'Select Mass A', exact: true }).check()
    await page.getByRole('checkbox', { name: 'Select Mass B', exact: true }).check()
    await page.getByRole('button', { name: 'Edit selected' }).click()
    const form = page.getByRole('form', { name: 'Edit selected' })
    // Opening the form puts the focus on its first field.
    await page.waitForFunction(() => {
      let element: Element | null = document.activeElement
      while (element && element.tagName !== 'CRM-FIELD-INPUT') element = element.shadowRoot?.activeElement ?? null
      return element !== null
    })
    expect(await focusedField(page)).toBeTruthy()
    await form.getByRole('spinbutton', { name: 'Probability (%)', exact: true }).fill('150')
    writes.length = 0
    await form.getByRole('button', { name: 'Apply to 2 selected' }).click()

    const probability = form.locator('crm-field-input[data-field="probability"]')
    expect(await textOf(probability.locator('.error'), 'Probability (%) must be at most 100')).toBe('Probability (%) must be at most 100')
    expect(await focusedField(page)).toBe('probability')
    expect(writes).toEqual([])
    await saveScreenshot(page, 'browser-validation-mass-edit')

    await form.getByRole('spinbutton', { name: 'Probability (%)', exact: true }).fill('45')
    await form.getByRole('button', { name: 'Apply to 2 selected' }).click()
    expect(await textOf(page.locator('crm-record-list .outcome'), '2 updated, 0 failed')).toContain('2 updated, 0 failed')
    expect(writes).toHaveLength(1)
  })

  it('leaves the check to the server when the validator cannot load, and shows its 422 beside the field', async () => {
    const { page } = session
    await page.route('**/validator.js?*', (route) => route.abort())
    try {
      await session.open('#/potentials/new')
      await page.getByRole('heading', { name: 'New Potential', exact: true }).waitFor()
      await page.getByRole('textbox', { name: 'Potential Name', exact: true }).fill('Dock lights')
      await page.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('3.141')
      await page.getByLabel('Expected Close Date').fill('2027-04-30')
      await page
        .getByRole('combobox', { name: 'Sales Stage', exact: true })
        .selectOption('Qualification')
      writes.length = 0
      await page.getByRole('button', { name: 'Save Potential' }).click()

      const amount = page.locator('crm-field-input[data-field="amount"]')
      expect(await textOf(amount.locator('.error'), 'Amount must have at most 2 decimals')).toBe(
        'Amount must have at most 2 decimals',
      )
      expect(await focusedField(page)).toBe('amount')
      expect(writes).toEqual(['POST /api/modules/potentials/records'])
    } finally {
      await page.unroute('**/validator.js?*')
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-quick-create', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    await session.server.engine.records.create('accounts', { accountname: 'Lakeside Dairy' }, session.admin)
  })

  afterAll(async () => {
    await session?.close()
  })

  it('creates a potential from the list with only the quick-create fields', async () => {
    const { page, server } = session
    await session.open('#/potentials')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByText('There are no potentials yet').waitFor()
    await page.getByRole('button', { name: 'Quick create' }).click()
    const dialog = page.getByRole('dialog', { name: 'Quick create: Potential' })
    const inputs = dialog.locator('crm-field-input')
    await inputs.first().waitFor()
    expect(await inputs.evaluateAll((elements) => elements.map((element) => element.dataset.field))).toEqual([
      'potentialname',
      'amount',
      'related_to',
      'closingdate',
      'sales_stage',
    ])

    await dialog.getByRole('button', { name: 'Save Potential' }).click()
    expect(await textOf(dialog.locator('crm-field-input[data-field="potentialname"] .error'), 'Potential Name is required')).toContain(
      'Potential Name is required',
    )
    await saveScreenshot(page, 'quick-create-issues')

    await dialog.getByRole('textbox', { name: 'Potential Name', exact: true }).fill('Milk tanks')
    await dialog.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('8800')
    await dialog.getByRole('combobox', { name: /^Account Name/ }).fill('Lake')
    await dialog.getByRole('option', { name: 'Lakeside Dairy' }).click()
    await dialog.getByLabel('Expected Close Date').fill('2027-02-28')
    await dialog.getByRole('combobox', { name: 'Sales Stage', exact: true }).selectOption('Needs Analysis')
    await saveScreenshot(page, 'quick-create-filled')
    await dialog.getByRole('button', { name: 'Save Potential' }).click()

    await dialog.waitFor({ state: 'hidden' })
    const row = page.getByRole('row', { name: /Milk tanks/ })
    await row.waitFor()
    expect(await row.textContent()).toContain('Lakeside Dairy')
    await page.locator('crm-quick-create').getByRole('link', { name: 'Milk tanks' }).waitFor()
    await saveScreenshot(page, 'quick-create-done')

    const stored = (await server.engine.records.list('potentials', {})).items
    expect(stored.map((deal) => [deal.potentialname, deal.amount, deal.probability, deal.assigned_user_id])).toEqual([
      ['Milk tanks', 8800, 25, session.admin.id],
    ])
  })
})

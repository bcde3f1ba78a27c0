import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-record-form', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    await session.server.engine.records.create(
      'accounts',
      { accountname: 'Acme Corporation' },
      session.admin,
    )
  })

  afterAll(async () => {
    await session?.close()
  })

  it('shows the issue beside the field, then creates a potential that the list shows', async () => {
    const { page } = session
    await session.open('#/potentials')
    await saveScreenshot(page, 'login')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByText('There are no potentials yet').waitFor()
    await saveScreenshot(page, 'list-empty')

    await page.getByRole('link', { name: 'New Potential' }).click()
    await page.getByRole('heading', { name: 'New Potential', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Save Potential' }).click()
    const nameField = page.locator('crm-field-input[data-field="potentialname"]')
    expect(await textOf(nameField.locator('.error'), 'Potential Name is required')).toContain(
      'Potential Name is required',
    )
    expect(
      await nameField.getByRole('textbox', { name: 'Potential Name' }).getAttribute('aria-invalid'),
    ).toBe('true')
    await saveScreenshot(page, 'form-issues')

    await page
      .getByRole('textbox', { name: 'Potential Name', exact: true })
      .fill('Fleet renewal 2027')
    await page.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('12500.5')
    await page.getByLabel('Expected Close Date').fill('2027-03-31')
    await page
      .getByRole('combobox', { name: 'Sales Stage', exact: true })
      .selectOption('Qualification')
    const account = page.getByRole('combobox', { name: /^Account Name/ })
    await account.fill('Acme')
    await page.getByRole('option', { name: 'Acme Corporation' }).click()
    expect(await page.getByRole('combobox', { name: /^Assigned To/ }).inputValue()).toBe(
      'Administrator',
    )
    await saveScreenshot(page, 'form-filled')
    await page.getByRole('button', { name: 'Save Potential' }).click()

    await page.getByRole('heading', { name: 'Fleet renewal 2027', exact: true }).waitFor()
    const detail = page.locator('crm-record-detail')
    expect(await textOf(detail.locator('dd'), 'Acme Corporation')).toBe('Acme Corporation')
    expect(await textOf(detail.locator('dd'), '12,500.50')).toBe('12,500.50')
    await saveScreenshot(page, 'detail-created')

    await page
      .getByRole('navigation', { name: 'Modules' })
      .getByRole('link', { name: 'Potentials' })
      .click()
    const row = page.getByRole('row', { name: /Fleet renewal 2027/ })
    await row.waitFor()
    expect(await row.textContent()).toContain('Acme Corporation')
    expect(await row.textContent()).toContain('Qualification')
    expect(await textOf(page.locator('crm-record-list output'), '1–1 of 1')).toContain('1–1 of 1')
    await saveScreenshot(page, 'list')

    const stored = await session.server.engine.records.list('potentials', {})
    expect(
      stored.items.map((record) => [record.potentialname, record.amount, record.probability]),
    ).toEqual([['Fleet renewal 2027', 12500.5, 20]])
  })

  it('tells the person the record changed and shows the newer values when the save is stale', async () => {
    const { page, server, admin } = session
    const deal = await server.engine.records.create(
      'potentials',
      { potentialname: 'Office chairs', closingdate: '2027-01-15', sales_stage: 'Prospecting' },
      admin,
    )
    await session.logInAsAdmin()
    await session.open(`#/potentials/${deal.id}/edit`)
    await page.getByRole('heading', { name: 'Edit Office chairs', exact: true }).waitFor()
    await server.engine.records.update('potentials', deal.id, { nextstep: 'Call the buyer' }, admin)

    await page.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('800')
    await page.getByRole('button', { name: 'Save Potential' }).click()
    const stale = page.locator('crm-record-form section.stale')
    expect(await textOf(stale, 'Someone else changed this potential')).toContain('now version 2')
    expect(await stale.getByRole('row', { name: /Next Step/ }).textContent()).toContain(
      'Call the buyer',
    )
    await saveScreenshot(page, 'form-stale')

    await page.getByRole('button', { name: 'Save Potential' }).click()
    await page.getByRole('heading', { name: 'Office chairs', exact: true }).waitFor()
    const saved = await server.engine.records.get('potentials', deal.id)
    expect([saved.amount, saved.nextstep, saved.version]).toEqual([800, 'Call the buyer', 3])
  })

  it('previews the probability a sales stage sets unless the person typed one', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials/new')
    await page.getByRole('heading', { name: 'New Potential', exact: true }).waitFor()
    const stage = page.getByRole('combobox', { name: 'Sales Stage', exact: true })
    const probability = page.getByRole('spinbutton', { name: 'Probability (%)', exact: true })

    await stage.selectOption('Value Proposition')
    expect(await probability.inputValue()).toBe('30')
    await stage.selectOption('Closed Won')
    expect(await probability.inputValue()).toBe('100')
    await probability.fill('45')
    await stage.selectOption('Negotiation or Review')
    expect(await probability.inputValue()).toBe('45')
    await probability.fill('')
    await stage.selectOption('Perception Analysis')
    expect(await probability.inputValue()).toBe('50')
    await saveScreenshot(page, 'form-stage-probability')
  })

  it('scrolls the invalid field into view clear of the sticky Save bar after a refused save', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await page.setViewportSize({ width: 1280, height: 520 })
    try {
      await session.open('#/potentials/new')
      await page.getByRole('heading', { name: 'New Potential', exact: true }).waitFor()
      await page.getByRole('textbox', { name: 'Potential Name', exact: true }).fill('Scroll check')
      await page.getByLabel('Expected Close Date').fill('2027-05-01')
      await page
        .getByRole('combobox', { name: 'Sales Stage', exact: true })
        .selectOption('Prospecting')
      await page.getByRole('spinbutton', { name: 'Probability (%)', exact: true }).fill('150')
      // The field sits just behind the sticky bar: "visible" to the browser, hidden to the person.
      await page.evaluate(() => {
        const form = document.querySelector('crm-app')?.shadowRoot?.querySelector('crm-record-form')
        const host = form?.shadowRoot?.querySelector('crm-field-input[data-field="probability"]')
        const top = host!.getBoundingClientRect().top + window.scrollY
        window.scrollTo(0, top - window.innerHeight + 40)
      })
      await page.getByRole('button', { name: 'Save Potential' }).click()

      const field = page.locator('crm-field-input[data-field="probability"]')
      await field.locator('.error').waitFor()
      const focused = await page.evaluate(() => {
        const host = document.querySelector('crm-app')?.shadowRoot?.querySelector('crm-record-form')
        const input = host?.shadowRoot?.activeElement
        const box = input?.shadowRoot?.activeElement?.getBoundingClientRect()
        const bar = host?.shadowRoot?.querySelector('.actions')?.getBoundingClientRect()

        return {
          field: input?.getAttribute('data-field'),
          top: box?.top,
          bottom: box?.bottom,
          barTop: bar?.top,
        }
      })
      expect(focused.field).toBe('probability')
      expect(focused.top).toBeGreaterThanOrEqual(0)
      expect(focused.bottom).toBeLessThan(focused.barTop! - 16)
      await saveScreenshot(page, 'form-invalid-in-view')
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 })
    }
  })
})

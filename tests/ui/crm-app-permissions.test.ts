import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

// What a user without admin rights sees: role `read_only` hides Potentials' amount and may not write.
describe('crm-app for a read-only user', () => {
  let session: UiSession
  let dealId: number

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const reader = await engine.records.create(
      'users',
      { username: 'rita.reader', full_name: 'Rita Reader', status: 'Active', role: 'read_only' },
      admin,
    )
    await engine.auth.setPassword(reader.id, 'rita-pass-123')
    const deal = await engine.records.create(
      'potentials',
      {
        potentialname: 'Secret margin deal',
        amount: 987654,
        closingdate: '2027-04-30',
        sales_stage: 'Negotiation or Review',
      },
      admin,
    )
    dealId = deal.id
  })

  afterAll(async () => {
    await session?.close()
  })

  it('shows neither the Layout Editor nor the hidden amount in list, detail and form', async () => {
    const { page } = session
    await session.open('#/potentials')
    await logIn(page, 'rita.reader', 'rita-pass-123')
    const header = page.locator('crm-app header')
    await header.getByText('Rita Reader').waitFor()
    await expect.poll(() => header.getByRole('link', { name: 'Layout editor' }).count(), { timeout: 10_000 }).toBe(0)

    // List: no Amount column, no value of it, no way to create.
    const table = page.locator('crm-record-list crm-record-table')
    await table.getByRole('link', { name: 'Secret margin deal' }).waitFor()
    const headers = await table.getByRole('columnheader').allTextContents()
    expect(headers.map((text) => text.trim())).not.toContain('Amount')
    expect(headers.join(' ')).toContain('Potential Name')
    await expect.poll(() => table.getByText('987,654.00').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => page.getByRole('link', { name: 'New Potential' }).count(), { timeout: 10_000 }).toBe(0)
    await saveScreenshot(page, 'read-only-list')

    // Detail: no Amount, no Edit, no Delete.
    await session.open(`#/potentials/${dealId}`)
    await page.getByRole('heading', { name: 'Secret margin deal', exact: true }).waitFor()
    const labels = await page.locator('crm-record-detail dt').allTextContents()
    expect(labels).toContain('Sales Stage')
    expect(labels).not.toContain('Amount')
    await expect.poll(() => page.locator('crm-record-detail').getByText('987,654').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => page.getByRole('link', { name: 'Edit', exact: true }).count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => page.getByRole('button', { name: 'Delete' }).count(), { timeout: 10_000 }).toBe(0)
    await saveScreenshot(page, 'read-only-detail')

    // Forms: the role may neither create nor edit, and no Amount input is offered.
    for (const hash of ['#/potentials/new', `#/potentials/${dealId}/edit`]) {
      await session.open(hash)
      const alert = page.locator('crm-record-form [role="alert"]')
      expect(await textOf(alert, 'Your role may not')).toMatch(/may not (create|edit) Potentials/)
      await expect.poll(() => page.getByRole('spinbutton', { name: 'Amount' }).count(), { timeout: 10_000 }).toBe(0)
      await expect.poll(() => page.getByRole('button', { name: 'Save Potential' }).count(), { timeout: 10_000 }).toBe(0)
    }
    await saveScreenshot(page, 'read-only-form')

    // The Layout Editor route itself refuses, and its code is never loaded.
    await session.open('#/admin/layout/potentials')
    await page.getByText('Only administrators can change layouts').waitFor()
    await expect.poll(() => page.locator('crm-layout-editor').count(), { timeout: 10_000 }).toBe(0)
    expect(await page.evaluate(() => customElements.get('crm-layout-editor') === undefined)).toBe(
      true,
    )

    const served = await (
      await page.request.get(`${session.server.url}/api/modules/potentials`)
    ).json()
    expect(Object.keys(served.definition.record.properties)).not.toContain('amount')
    expect(served.permission).toMatchObject({ view: true, create: false, edit: false })
  })
})

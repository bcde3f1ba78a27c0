import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-record-detail', () => {
  let session: UiSession
  let accountId: number

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const account = await engine.records.create(
      'accounts',
      { accountname: 'Northwind Traders', industry: 'Retail' },
      admin,
    )
    accountId = account.id
    for (const potentialname of ['Warehouse scanners', 'Delivery vans']) {
      const values = {
        potentialname,
        closingdate: '2027-02-01',
        sales_stage: 'Prospecting',
        related_to: account.id,
      }
      await engine.records.create('potentials', values, admin)
    }
    await engine.records.create(
      'contacts',
      { firstname: 'Ada', lastname: 'Lovelace', account_id: account.id },
      admin,
    )
  })

  afterAll(async () => {
    await session?.close()
  })

  it('shows the blocks and the relation menu with counts, and lists the related records', async () => {
    const { page } = session
    await session.open(`#/accounts/${accountId}`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('heading', { name: 'Northwind Traders', exact: true }).waitFor()
    await page.getByRole('heading', { name: 'Account Information', exact: true }).waitFor()

    const menu = page.getByRole('navigation', { name: 'Related lists' })
    expect(await textOf(menu.getByRole('button'), /Potentials\s*2/)).toMatch(/Potentials\s*2/)
    expect(await textOf(menu.getByRole('button'), /Contacts\s*1/)).toMatch(/Contacts\s*1/)
    await saveScreenshot(page, 'detail-relations')

    await menu.getByRole('button', { name: /Potentials/ }).click()
    const related = page.locator('crm-record-detail crm-record-table')
    await related.getByRole('link', { name: 'Warehouse scanners' }).waitFor()
    await expect.poll(() => related.getByRole('row').count(), { timeout: 10_000 }).toBe(3)
    await saveScreenshot(page, 'detail-related-list')

    await related.getByRole('link', { name: 'Delivery vans' }).click()
    await page.getByRole('heading', { name: 'Delivery vans', exact: true }).waitFor()
    expect(await textOf(page.locator('crm-record-detail dd'), 'Northwind Traders')).toBe(
      'Northwind Traders',
    )
  })

  it('pages through a related list longer than one page', async () => {
    const { page, server, admin } = session
    const account = await server.engine.records.create(
      'accounts',
      { accountname: 'Big Family Ltd' },
      admin,
    )
    for (let number = 1; number <= 103; number++) {
      const lastname = `Member ${String(number).padStart(3, '0')}`
      await server.engine.records.create('contacts', { lastname, account_id: account.id }, admin)
    }
    await session.logInAsAdmin()
    await session.open(`#/accounts/${account.id}`)
    const menu = page.getByRole('navigation', { name: 'Related lists' })
    await menu.getByRole('button', { name: /Contacts/ }).click()
    const pager = page.locator('crm-record-detail .pager output')
    expect(await textOf(pager, '1–50 of 103')).toBe('1–50 of 103')

    await page.getByRole('button', { name: 'Next page of Contacts' }).click()
    expect(await textOf(pager, '51–100 of 103')).toBe('51–100 of 103')
    await page.getByRole('button', { name: 'Next page of Contacts' }).click()
    expect(await textOf(pager, '101–103 of 103')).toBe('101–103 of 103')
    const related = page.locator('crm-record-detail crm-record-table')
    await expect.poll(() => related.getByRole('row').count(), { timeout: 10_000 }).toBe(4)
    expect(await page.getByRole('button', { name: 'Next page of Contacts' }).isDisabled()).toBe(
      true,
    )
    await saveScreenshot(page, 'detail-related-paging')

    await page.getByRole('button', { name: 'Previous page of Contacts' }).click()
    expect(await textOf(pager, '51–100 of 103')).toBe('51–100 of 103')
  })
})

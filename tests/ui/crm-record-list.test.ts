import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-record-list', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    for (let index = 0; index < 29; index++) {
      const values = {
        potentialname: `Deal ${String(index).padStart(2, '0')}`,
        amount: ((index * 7) % 29) * 100 + 50,
        closingdate: '2027-05-01',
        sales_stage: 'Prospecting',
      }
      await engine.records.create('potentials', values, session.admin)
    }
    const markup = {
      potentialname: '<img src=x onerror=alert(1)> Zeppelin',
      amount: 99999,
      closingdate: '2027-05-01',
      sales_stage: 'Closed Won',
    }
    await engine.records.create('potentials', markup, session.admin)
  })

  afterAll(async () => {
    await session?.close()
  })

  it('pages, sorts by a column header and searches', async () => {
    const { page } = session
    await session.open('#/potentials')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–25 of 30')).toBe('1–25 of 30')

    await page.getByRole('button', { name: 'Next page' }).click()
    expect(await textOf(status, '26–30 of 30')).toBe('26–30 of 30')
    await page.getByRole('button', { name: 'Previous page' }).click()
    await textOf(status, '1–25')

    const rows = page.locator('crm-record-table tbody tr')
    await page.getByRole('button', { name: /^Amount/ }).click()
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Amount' }).waitFor()
    expect(await textOf(rows.first(), '50.00')).toContain('Deal 00')
    await page.getByRole('button', { name: /^Amount/ }).click()
    await page.locator('th[aria-sort="descending"]', { hasText: 'Amount' }).waitFor()
    expect(await textOf(rows.first(), '99,999.00')).toContain(
      '<img src=x onerror=alert(1)> Zeppelin',
    )
    await expect.poll(() => page.locator('crm-record-table img').count(), { timeout: 10_000 }).toBe(0)
    await saveScreenshot(page, 'list-sorted')

    await page.getByRole('searchbox', { name: 'Search Potentials' }).fill('Zeppelin')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    expect(await textOf(status, '1–1 of 1')).toBe('1–1 of 1')
    await page.getByRole('searchbox', { name: 'Search Potentials' }).fill('no such deal')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    expect(await textOf(page.locator('crm-record-list p.panel'), 'No potentials match')).toContain(
      'clear the search',
    )
    await saveScreenshot(page, 'list-search-empty')
  })

  it('shows 50 rows per page when chosen, and keeps the choice in the address', async () => {
    const { page } = session
    await session.open('#/potentials')
    const status = page.locator('crm-record-list .pager output')
    await textOf(status, '1–25 of 30')
    await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('50')
    expect(await textOf(status, '1–30 of 30')).toBe('1–30 of 30')
    await expect.poll(() => page.locator('crm-record-table tbody tr').count(), { timeout: 10_000 }).toBe(30)
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true)
    expect(new URL(page.url()).hash).toContain('limit=50')
    await page.reload()
    expect(await textOf(status, '1–30 of 30')).toBe('1–30 of 30')
  })

  it('keeps the search, sort and page in the address, so a reload shows the same page', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials')
    const status = page.locator('crm-record-list .pager output')
    await page.getByRole('searchbox', { name: 'Search Potentials' }).fill('Deal')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    expect(await textOf(status, '1–25 of 29')).toBe('1–25 of 29')
    await page.getByRole('button', { name: /^Amount/ }).click()
    await page.getByRole('button', { name: /^Amount/ }).click()
    await page.locator('th[aria-sort="descending"]', { hasText: 'Amount' }).waitFor()
    await page.getByRole('button', { name: 'Next page' }).click()
    expect(await textOf(status, '26–29 of 29')).toBe('26–29 of 29')
    await page.waitForFunction(() => location.hash.includes('offset=25'))
    expect(await page.evaluate(() => location.hash)).toBe(
      '#/potentials?q=Deal&sort=-amount&offset=25',
    )

    await page.reload()
    expect(await textOf(status, '26–29 of 29')).toBe('26–29 of 29')
    expect(await page.getByRole('searchbox', { name: 'Search Potentials' }).inputValue()).toBe(
      'Deal',
    )
    await page.locator('th[aria-sort="descending"]', { hasText: 'Amount' }).waitFor()
    await saveScreenshot(page, 'list-state-after-reload')

    // The module's link in the navigation goes back to the first page of everything.
    await page
      .getByRole('navigation', { name: 'Modules' })
      .getByRole('link', { name: 'Potentials' })
      .click()
    expect(await textOf(status, '1–25 of 30')).toBe('1–25 of 30')
  })

  it('fits a wide list into 1280 px with truncated cells and shows counts with separators', async () => {
    const { page, server, admin } = session
    const account = await server.engine.records.create(
      'accounts',
      { accountname: 'The Very Long Named International Holding Company of Everything Limited' },
      admin,
    )
    const longName = 'Replacement of every printer, scanner and copier in all regional offices'
    const values = {
      potentialname: longName,
      amount: 123456789,
      closingdate: '2027-05-01',
      sales_stage: 'Proposal or Price Quote',
      related_to: account.id,
    }
    await server.engine.records.create('potentials', values, admin)
    for (let number = 1; number <= 1030; number++) {
      await server.engine.records.create('campaigns', { campaignname: `Campaign ${number}` }, admin)
    }
    await session.logInAsAdmin()
    await session.open(`#/potentials?q=${encodeURIComponent('Replacement')}`)
    const table = page.locator('crm-record-list crm-record-table')
    const cell = table.getByRole('cell', { name: longName, exact: true })
    await cell.waitFor()
    expect(await cell.getAttribute('title')).toBe(longName)
    const region = table.getByRole('region', { name: 'Potentials' })
    const sizes = await region.evaluate((element) => [element.scrollWidth, element.clientWidth])
    expect(sizes[0]).toBeLessThanOrEqual(sizes[1])
    for (const header of await table.getByRole('columnheader').all()) {
      const box = await header.boundingBox()
      expect(box!.x + box!.width).toBeLessThanOrEqual(1280)
    }
    await saveScreenshot(page, 'list-fits-1280')

    await session.open('#/campaigns')
    expect(await textOf(page.locator('crm-record-list .pager output'), '1–25 of 1,030')).toBe(
      '1–25 of 1,030',
    )
  })
})

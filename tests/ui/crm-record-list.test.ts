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
    expect(await textOf(status, 'of 30')).toBe('1–25 of 30')

    await page.getByRole('button', { name: 'Next page' }).click()
    expect(await textOf(status, '26–30')).toBe('26–30 of 30')
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
    expect(await page.locator('crm-record-table img').count()).toBe(0)
    await saveScreenshot(page, 'list-sorted')

    await page.getByRole('searchbox', { name: 'Search Potentials' }).fill('Zeppelin')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    expect(await textOf(status, 'of 1')).toBe('1–1 of 1')
    await page.getByRole('searchbox', { name: 'Search Potentials' }).fill('no such deal')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    expect(await textOf(page.locator('crm-record-list p.panel'), 'No potentials match')).toContain(
      'clear the search',
    )
    await saveScreenshot(page, 'list-search-empty')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

function isoDay(date: Date): string {
  const pad = (number: number) => String(number).padStart(2, '0')

  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

describe('crm-record-list filter builder', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const acme = await engine.records.create('accounts', { accountname: 'Acme Rockets' }, admin)
    const globex = await engine.records.create('accounts', { accountname: 'Globex' }, admin)
    const now = new Date()
    const quarterStart = now.getMonth() - (now.getMonth() % 3)
    const thisQuarter = isoDay(new Date(now.getFullYear(), quarterStart + 1, 15))
    const nextQuarter = isoDay(new Date(now.getFullYear(), quarterStart + 4, 15))
    const deals: [string, number, string, number][] = [
      ['Acme now A', acme.id, thisQuarter, 1000],
      ['Acme now B', acme.id, thisQuarter, 5000],
      ['Acme later', acme.id, nextQuarter, 2000],
      ['Globex now', globex.id, thisQuarter, 3000],
    ]
    for (const [name, account, closingdate, amount] of deals) {
      const values = { potentialname: name, related_to: account, closingdate, amount, sales_stage: 'Prospecting' }
      await engine.records.create('potentials', values, admin)
    }
  })

  afterAll(async () => {
    await session?.close()
  })

  it('finds the deals of one account closing this quarter, and keeps the filters on reload', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=potentialname')
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–4 of 4')).toBe('1–4 of 4')
    const filters = page.getByRole('region', { name: 'Filters' })

    await filters.getByLabel('Filter by').selectOption({ label: 'Account Name' })
    await filters.getByRole('combobox', { name: 'Account Name is' }).fill('Acme')
    await page.getByRole('option', { name: 'Acme Rockets' }).click()
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    expect(await textOf(status, '1–3 of 3')).toBe('1–3 of 3')

    await filters.getByLabel('Filter by').selectOption({ label: 'Expected Close Date' })
    await filters.getByLabel('Expected Close Date range').selectOption({ label: 'This quarter' })
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    const rows = page.locator('crm-record-table tbody tr')
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('Acme now A'),
      expect.stringContaining('Acme now B'),
    ])
    await filters.getByText('Expected Close Date in this quarter').waitFor()
    await saveScreenshot(page, 'list-filtered')

    await page.reload()
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    await filters.getByText('Expected Close Date in this quarter').waitFor()

    // An amount range narrows further; removing a filter widens again.
    await filters.getByLabel('Filter by').selectOption({ label: 'Amount' })
    await filters.getByLabel('Amount at least').fill('2000')
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    expect(await textOf(status, '1–1 of 1')).toBe('1–1 of 1')
    await filters.getByRole('button', { name: /^Remove filter Expected Close Date/ }).click()
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('Acme later'),
      expect.stringContaining('Acme now B'),
    ])

    // Picklist in: no deal is in these stages.
    await filters.getByLabel('Filter by').selectOption({ label: 'Sales Stage' })
    await filters.getByRole('checkbox', { name: 'Closed Won' }).check()
    await filters.getByRole('checkbox', { name: 'Closed Lost' }).check()
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    await textOf(page.locator('crm-record-list p.panel'), 'match these filters')
  })
})

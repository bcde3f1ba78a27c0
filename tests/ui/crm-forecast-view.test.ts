import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

const SALES_PASSWORD = 'sales-pass-123'

describe('crm-forecast-view', () => {
  let session: UiSession
  const violations: string[] = []
  let sellerId: number

  beforeAll(async () => {
    session = await startUiSession()
    session.page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text())
    })
    const { engine } = session.server
    const seller = await engine.records.create(
      'users',
      { username: 'sally', full_name: 'Sally Seller', role: 'sales', status: 'Active' },
      session.admin,
    )
    sellerId = seller.id
    await engine.auth.setPassword(seller.id, SALES_PASSWORD)
    const deals: [string, number, string, string, string?, number?][] = [
      ['December old', 999, '2026-12-15', 'Prospecting'],
      ['January A', 1000, '2027-01-10', 'Prospecting'],
      ['January B', 2000, '2027-01-20', 'Negotiation or Review', 'EUR', seller.id],
      ['February USD', 500, '2027-02-03', 'Qualification', 'USD'],
      ['February won', 3000, '2027-02-14', 'Closed Won'],
      ['March lost', 800, '2027-03-01', 'Closed Lost'],
      ['March C', 1200, '2027-03-09', 'Value Proposition'],
    ]
    for (const [name, amount, closingdate, stage, currency, owner] of deals) {
      await engine.records.create(
        'potentials',
        {
          potentialname: name,
          amount,
          closingdate,
          sales_stage: stage,
          currency_code: currency ?? 'EUR',
          assigned_user_id: owner ?? session.admin.id,
        },
        session.admin,
      )
    }
    await session.logInAsAdmin()
  })

  afterAll(async () => {
    await session?.close()
  })

  const view = () => session.page.locator('crm-forecast-view')
  const row = (key: string) => view().locator(`table.forecast tbody tr[data-key="${key}"]`)
  const cell = (key: string, column: string) => row(key).locator(`td[data-column="${column}"]`)

  it('shows open, weighted and won amounts by month with a chart, totals and a CSV export', async () => {
    const { page } = session
    await session.open('#/potentials')
    await page
      .getByRole('navigation', { name: 'Views of Potentials' })
      .getByRole('link', { name: 'Forecast' })
      .click()
    await page.getByRole('heading', { name: 'Potentials forecast', level: 1 }).waitFor()
    await row('2026-12').waitFor()
    await expect.poll(() => view().locator('crm-forecast-chart svg g.mark').count(), { timeout: 10_000 }).toBe(4)

    await page.getByLabel('From month').fill('2027-01')
    await page.getByLabel('To month').fill('2027-03')
    await view().locator('table.forecast tbody tr[data-key="2026-12"]').waitFor({ state: 'detached' })
    await expect.poll(() => view().locator('table.forecast tbody tr').count(), { timeout: 10_000 }).toBe(3)
    // January: 1000 at 10 % and 2000 at 80 %.
    expect(await cell('2027-01', 'open').textContent()).toBe('2')
    expect(await cell('2027-01', 'amount').textContent()).toBe('3,000.00')
    expect(await cell('2027-01', 'weighted').textContent()).toBe('1,700.00')
    // February: 500 USD at 1.10 and 20 %, and one won deal.
    expect(await cell('2027-02', 'amount').textContent()).toBe('454.55')
    expect(await cell('2027-02', 'weighted').textContent()).toBe('90.91')
    expect(await cell('2027-02', 'wonCount').textContent()).toBe('1')
    expect(await cell('2027-02', 'won').textContent()).toBe('3,000.00')
    // March: the lost deal is not in the forecast.
    expect(await cell('2027-03', 'open').textContent()).toBe('1')
    expect(await cell('2027-03', 'weighted').textContent()).toBe('360.00')
    const footer = view().locator('table.forecast tfoot')
    expect(await footer.locator('td[data-column="amount"]').textContent()).toBe('4,654.55')
    expect(await footer.locator('td[data-column="weighted"]').textContent()).toBe('2,150.91')
    expect(await view().locator('[data-total="won"]').textContent()).toBe('3,000.00 EUR')
    expect(await view().locator('table.forecast thead').textContent()).toContain('Amount (EUR)')

    const marks = view().locator('crm-forecast-chart svg g.mark')
    await expect.poll(() => marks.count(), { timeout: 10_000 }).toBe(3)
    expect(await marks.evaluateAll((groups) => groups.map((group) => group.getAttribute('data-key')))).toEqual(
      ['2027-01', '2027-02', '2027-03'],
    )
    await expect.poll(() => marks.nth(1).locator('rect').count(), { timeout: 10_000 }).toBe(3)
    await saveScreenshot(page, 'forecast-by-month')

    const downloading = page.waitForEvent('download')
    await view().getByRole('link', { name: 'Export CSV' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe('potentials-forecast.csv')
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/)
    expect(csv[0]).toBe(
      'Expected Close Month,Open,Amount (EUR),Weighted (EUR),Won,Won Amount (EUR),Target (EUR)',
    )
    expect(csv.slice(1)).toEqual([
      '2027-01,2,3000.00,1700.00,0,0.00,',
      '2027-02,1,454.55,90.91,1,3000.00,',
      '2027-03,1,1200.00,360.00,0,0.00,',
    ])
  })

  it('groups by stage and by owner', async () => {
    const { page } = session
    await session.open('#/potentials/forecast')
    await row('2026-12').waitFor()
    await page.getByLabel('Group by').selectOption('stage')
    await row('Negotiation or Review').waitFor()
    expect(await cell('Negotiation or Review', 'weighted').textContent()).toBe('1,600.00')
    expect(await view().locator('crm-forecast-chart svg g.mark').count()).toBe(
      await view().locator('table.forecast tbody tr').count(),
    )
    await page.getByLabel('Group by').selectOption('owner')
    await row(String(sellerId)).waitFor()
    expect(await row(String(sellerId)).locator('th').textContent()).toBe('Sally Seller')
    expect(await cell(String(sellerId), 'amount').textContent()).toBe('2,000.00')
    await saveScreenshot(page, 'forecast-by-owner')
    expect(violations).toEqual([])
  })

  it('lets an admin set a budget that shows as the target, and change exchange rates', async () => {
    const { page } = session
    await session.open('#/potentials/forecast')
    const budgets = page.locator('crm-forecast-budgets')
    await budgets.getByText('No targets yet').waitFor()
    await budgets.getByRole('combobox', { name: 'Owner' }).fill('Sally')
    await budgets.getByRole('option', { name: 'Sally Seller' }).click()
    await budgets.getByLabel('Month').fill('2027-01')
    await budgets.getByLabel('Target (EUR)').fill('5000')
    await budgets.getByRole('button', { name: 'Add target' }).click()
    expect(await textOf(budgets.locator('.notice'), 'is saved')).toContain('Sally Seller')
    const target = budgets.getByRole('spinbutton', { name: /Target of Sally Seller for/ })
    expect(await target.inputValue()).toBe('5000')

    await page.getByLabel('Group by').selectOption('owner,month')
    const key = `${sellerId}|2027-01`
    await cell(key, 'target').waitFor()
    expect(await textOf(cell(key, 'target'), '5,000.00')).toContain('5,000.00')
    expect(await view().locator('table.forecast thead').textContent()).toContain('Target (EUR)')
    expect(await view().locator('[data-total="target"]').textContent()).toBe('5,000.00 EUR')
    await view().locator('crm-forecast-chart svg line.target').first().waitFor({ state: 'attached' })
    const stored = await session.server.engine.db.read((db) =>
      db.selectFrom('_budgets').selectAll().execute(),
    )
    expect(stored).toHaveLength(1)

    await target.fill('6000.50')
    await budgets.getByRole('button', { name: /Save Target of Sally Seller/ }).click()
    expect(await textOf(cell(key, 'target'), '6,000.50')).toContain('6,000.50')
    await saveScreenshot(page, 'forecast-budget-target')

    const rates = page.locator('crm-exchange-rates')
    await rates.getByLabel('Rate of USD').fill('1.25')
    await rates.getByRole('button', { name: 'Save exchange rates' }).click()
    await textOf(rates.locator('.notice'), 'Exchange rates saved')
    await page.getByLabel('Group by').selectOption('month')
    expect(await textOf(cell('2027-02', 'amount'), '400.00')).toBe('400.00')
    await saveScreenshot(page, 'forecast-exchange-rates')

    await budgets.getByRole('button', { name: /Remove Target of Sally Seller/ }).click()
    await budgets.getByText('No targets yet').waitFor()
  })

  it('shows no budgets or exchange rates to a salesperson', async () => {
    const { page } = session
    const login = await page.request.post(`${session.server.url}/api/session`, {
      data: { username: 'sally', password: SALES_PASSWORD },
    })
    expect(login.ok()).toBe(true)
    await session.open('#/potentials/forecast')
    await view().locator('table.forecast tbody tr').first().waitFor()
    await expect.poll(() => page.locator('crm-forecast-budgets').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => page.locator('crm-exchange-rates').count(), { timeout: 10_000 }).toBe(0)
  })
})

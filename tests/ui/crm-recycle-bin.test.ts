import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

const SALES_PASSWORD = 'sales-pass-123'

describe('crm-recycle-bin', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    for (let index = 1; index <= 27; index++) {
      const record = await engine.records.create(
        'potentials',
        {
          potentialname: `Gone ${String(index).padStart(2, '0')}`,
          amount: index * 10,
          closingdate: '2027-05-01',
          sales_stage: 'Prospecting',
        },
        session.admin,
      )
      await engine.records.remove('potentials', record.id, session.admin)
    }
    await engine.records.create(
      'potentials',
      { potentialname: 'Still here', amount: 5, closingdate: '2027-05-01', sales_stage: 'Prospecting' },
      session.admin,
    )
    const seller = await engine.records.create(
      'users',
      { username: 'sam', full_name: 'Sam Seller', role: 'sales', status: 'Active' },
      session.admin,
    )
    await engine.auth.setPassword(seller.id, SALES_PASSWORD)
  })

  afterAll(async () => {
    await session?.close()
  })

  it('lists deleted records page by page and restores one', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials')
    const views = page.getByRole('navigation', { name: 'Views of Potentials' })
    await views.getByRole('link', { name: 'Recycle bin' }).click()
    await page.getByRole('heading', { name: 'Recycle bin: Potentials', level: 1 }).waitFor()
    expect(await views.getByRole('link', { name: 'Recycle bin' }).getAttribute('aria-current')).toBe('page')

    const status = page.locator('crm-recycle-bin .pager output')
    expect(await textOf(status, '1–25 of 27')).toBe('1–25 of 27')
    const rows = page.locator('crm-recycle-bin tbody tr')
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(25)
    await expect.poll(() => page.locator('crm-recycle-bin tbody', { hasText: 'Still here' }).count(), { timeout: 10_000 }).toBe(0)
    await saveScreenshot(page, 'recycle-bin')
    await page.getByRole('button', { name: 'Next page' }).click()
    expect(await textOf(status, '26–27 of 27')).toBe('26–27 of 27')
    await page.getByRole('button', { name: 'Previous page' }).click()
    await textOf(status, '1–25')

    const name = (await rows.first().locator('th').textContent())!.trim()
    const id = Number(await rows.first().getAttribute('data-id'))
    await rows.first().getByRole('button', { name: `Restore ${name}` }).click()
    const notice = page.locator('crm-recycle-bin .notice')
    expect(await textOf(notice, `“${name}” is restored.`)).toContain(`“${name}” is restored.`)
    expect(await textOf(status, '1–25 of 26')).toBe('1–25 of 26')
    await expect.poll(() => page.locator(`crm-recycle-bin tbody tr[data-id="${id}"]`).count(), { timeout: 10_000 }).toBe(0)
    const restored = await session.server.engine.records.get('potentials', id, session.admin)
    expect(restored.potentialname).toBe(name)
    await saveScreenshot(page, 'recycle-bin-restored')

    await notice.getByRole('link', { name: `Open ${name}` }).click()
    await page.getByRole('heading', { name, exact: true }).waitFor()
  })

  it('links the board, forecast and bin only where they apply', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/accounts')
    const accountViews = page.getByRole('navigation', { name: 'Views of Accounts' })
    await accountViews.getByRole('link', { name: 'Recycle bin' }).waitFor()
    expect(await accountViews.getByRole('link').allTextContents()).toEqual(['List', 'Recycle bin'])
    await session.open('#/accounts/board')
    await page.getByText('Accounts have no pipeline board').waitFor()

    // A salesperson may not delete: the board and forecast, but no recycle bin.
    const login = await page.request.post(`${session.server.url}/api/session`, {
      data: { username: 'sam', password: SALES_PASSWORD },
    })
    expect(login.ok()).toBe(true)
    await session.open('#/potentials')
    const views = page.getByRole('navigation', { name: 'Views of Potentials' })
    await views.getByRole('link', { name: 'Forecast' }).waitFor()
    expect(await views.getByRole('link').allTextContents()).toEqual(['List', 'Board', 'Forecast'])
    await session.open('#/potentials/bin')
    await page.getByText('Your role may not delete or restore potentials').waitFor()
    await saveScreenshot(page, 'recycle-bin-refused')
  })
})

import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

describe('crm-record-list column chooser and export', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const deals = [
      ['Alpha', 500, 'Prospecting', 'Cold Call'],
      ['Beta', 7000, 'Prospecting', 'Web Site'],
      ['Gamma', 8000, 'Closed Won', 'Web Site'],
    ] as const
    for (const [name, amount, stage, source] of deals) {
      const values = { potentialname: name, amount, closingdate: '2027-05-01', sales_stage: stage, leadsource: source }
      await engine.records.create('potentials', values, session.admin)
    }
  })

  afterAll(async () => {
    await session?.close()
  })

  it('chooses and orders columns, keeps them in the address, and exports what the list shows', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=potentialname&filter[sales_stage]=Prospecting')
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')

    await page.getByText('Columns', { exact: true }).click()
    await page.getByRole('list', { name: 'Hidden columns' }).getByRole('checkbox', { name: 'Lead Source' }).check()
    await page.getByRole('button', { name: 'Move Lead Source up' }).click()
    const headers = page.locator('crm-record-table thead th')
    await page.locator('crm-record-table thead th', { hasText: 'Lead Source' }).waitFor()
    await page.getByRole('list', { name: 'Visible columns' }).getByRole('checkbox', { name: 'Potential No' }).uncheck()
    await page.waitForFunction(() => location.hash.includes('columns='))
    const expected = async () => {
      const texts = (await headers.allTextContents()).map((text) => text.trim().replace(/\s+/g, ' '))
      return texts.filter((text) => text !== '' && !text.startsWith('Select'))
    }
    await page.locator('crm-record-table thead th', { hasText: 'Potential No' }).waitFor({ state: 'detached' })
    const before = await expected()
    expect(before.indexOf('Lead Source')).toBeLessThan(before.indexOf('Assigned To'))
    await saveScreenshot(page, 'list-columns')

    await page.reload()
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    await page.locator('crm-record-table thead th', { hasText: 'Lead Source' }).waitFor()
    expect(await expected()).toEqual(before)

    const link = page.getByRole('link', { name: 'Export CSV' })
    const href = (await link.getAttribute('href'))!
    expect(href).toContain('fields=potentialname')
    expect(href).toContain('leadsource')
    expect(href).not.toContain('potential_no')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const csv = await readFile((await download.path())!, 'utf8')
    const lines = csv.trim().split(/\r?\n/)
    expect(lines).toHaveLength(3)
    expect(csv).toContain('Alpha')
    expect(csv).toContain('Beta')
    expect(csv).not.toContain('Gamma')
    expect(csv).toContain('Cold Call')
    expect(await page.getByRole('link', { name: 'Export for Excel' }).getAttribute('href')).toContain(
      'flavour=excel',
    )
  })
})

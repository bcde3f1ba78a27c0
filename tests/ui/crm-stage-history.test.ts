import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-stage-history', () => {
  let session: UiSession
  let dealId: number

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const sam = await engine.records.create(
      'users',
      { username: 'sam.carter', full_name: 'Sam Carter', status: 'Active', role: 'sales' },
      session.admin,
    )
    await engine.auth.setPassword(sam.id, 'sam-pass-12345')
    const { user: samUser } = await engine.auth.login('sam.carter', 'sam-pass-12345')
    const deal = await engine.records.create(
      'potentials',
      {
        potentialname: 'Cold storage',
        amount: 5000,
        closingdate: '2027-06-30',
        sales_stage: 'Prospecting',
        assigned_user_id: sam.id,
      },
      session.admin,
    )
    dealId = deal.id
    // Sam moves the stage; an amount change without a stage change is not part of the stage history.
    await engine.records.update('potentials', deal.id, { sales_stage: 'Qualification' }, samUser)
    await engine.records.update('potentials', deal.id, { amount: 7500 }, session.admin)
  })

  afterAll(async () => {
    await session?.close()
  })

  it('lists each stage change with when, who, from → to and the amount and probability then', async () => {
    const { page } = session
    await session.open(`#/potentials/${dealId}/edit`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('heading', { name: 'Edit Cold storage', exact: true }).waitFor()
    await page
      .getByRole('combobox', { name: 'Sales Stage', exact: true })
      .selectOption('Proposal or Price Quote')
    await page.getByRole('button', { name: 'Save Potential' }).click()
    await page.getByRole('heading', { name: 'Cold storage', exact: true }).waitFor()

    const history = page.locator('crm-stage-history')
    await history.getByRole('heading', { name: 'Sales Stage history' }).waitFor()
    const rows = history.getByRole('table').locator('tbody tr')
    await textOf(rows, 'Proposal or Price Quote')
    expect(await history.getByRole('columnheader').allTextContents()).toEqual([
      'When',
      'Who',
      'Sales Stage: from → to',
      'Amount',
      'Probability (%)',
    ])
    const cells = async (index: number) =>
      (await rows.nth(index).getByRole('cell').allTextContents()).map((text) => text.trim())
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3)
    const newest = await cells(0)
    expect(newest.slice(1)).toEqual([
      'Administrator',
      'Qualification→Proposal or Price Quote',
      '7,500.00',
      '65.00 %',
    ])
    expect(newest[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    expect((await cells(1)).slice(1)).toEqual([
      'Sam Carter',
      'Prospecting→Qualification',
      '5,000.00',
      '20.00 %',
    ])
    expect((await cells(2)).slice(1)).toEqual([
      'Administrator',
      '—→Prospecting',
      '5,000.00',
      '10.00 %',
    ])
    await saveScreenshot(page, 'stage-history')
  })
})

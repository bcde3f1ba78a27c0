import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectHistory } from '../../engine/core/behaviours/record-history.ts'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'
import { dragAcross } from '../helpers/drag-across.ts'

/** `YYYY-MM-DD` of a local calendar day, as the browser's date presets count them. */
function isoDay(year: number, month: number, date: number): string {
  const value = new Date(year, month, date)
  const pad = (number: number) => String(number).padStart(2, '0')

  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`
}

/**
 * Issue #5's "done when", walked the way a salesperson would, only through
 * the screens: find one account's deals closing this quarter, move one on the
 * board, add a contact to it from its relation menu, mass-reassign five deals.
 * The data is seeded through the engine with close dates relative to today,
 * including the first and last day of the quarter and the days just outside.
 */
describe('daily work in the web client', () => {
  let session: UiSession
  let sallyId: number
  const ids = new Map<string, number>()
  const expectedThisQuarter: string[] = []

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const sally = await engine.records.create(
      'users',
      { username: 'sally', full_name: 'Sally Seller', role: 'sales', status: 'Active' },
      admin,
    )
    sallyId = sally.id
    const acme = await engine.records.create('accounts', { accountname: 'Acme Rockets' }, admin)
    const globex = await engine.records.create('accounts', { accountname: 'Globex' }, admin)
    const today = new Date()
    const year = today.getFullYear()
    const first = today.getMonth() - (today.getMonth() % 3)
    // The first and last day of this quarter, and the days just outside it.
    const deals: [string, number, string][] = [
      ['Acme fuel pumps', acme.id, isoDay(year, first, 1)],
      ['Acme launch pads', acme.id, isoDay(year, first + 1, 10)],
      ['Acme nose cones', acme.id, isoDay(year, first + 1, 20)],
      ['Acme radar', acme.id, isoDay(year, first + 2, 5)],
      ['Acme telemetry', acme.id, isoDay(year, first + 2, 15)],
      ['Acme tail fins', acme.id, isoDay(year, first + 3, 0)],
      ['Acme last quarter', acme.id, isoDay(year, first, 0)],
      ['Acme next quarter', acme.id, isoDay(year, first + 3, 1)],
      ['Globex boosters', globex.id, isoDay(year, first + 1, 10)],
    ]
    for (const [name, account, closingdate] of deals) {
      const values = {
        potentialname: name,
        related_to: account,
        closingdate,
        amount: 1000,
        sales_stage: 'Prospecting',
      }
      ids.set(name, (await engine.records.create('potentials', values, admin)).id)
    }
    // What the list must show, from the stored records: Acme's, closing between the quarter's ends.
    const [start, end] = [isoDay(year, first, 1), isoDay(year, first + 3, 0)]
    const stored = await engine.records.list('potentials', { limit: 100 }, admin)
    for (const deal of stored.items) {
      const date = String(deal.closingdate)
      if (deal.related_to === acme.id && date >= start && date <= end)
        expectedThisQuarter.push(String(deal.potentialname))
    }
    expect(expectedThisQuarter).toHaveLength(6)
  })

  afterAll(async () => {
    await session?.close()
  })

  const stored = (name: string) =>
    session.server.engine.records.get('potentials', ids.get(name)!, session.admin)

  it('finds the deals of one account closing this quarter', async () => {
    const { page } = session
    await session.open('#/')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page
      .getByRole('navigation', { name: 'Modules' })
      .getByRole('link', { name: 'Potentials' })
      .click()
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–9 of 9')).toBe('1–9 of 9')

    const filters = page.getByRole('region', { name: 'Filters' })
    await filters.getByLabel('Filter by').selectOption({ label: 'Account Name' })
    await filters.getByRole('combobox', { name: 'Account Name is' }).pressSequentially('Acme')
    await page.getByRole('option', { name: 'Acme Rockets' }).click()
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    await filters.getByText('Account Name is Acme Rockets').waitFor()
    expect(await textOf(status, '1–8 of 8')).toBe('1–8 of 8')

    await filters.getByLabel('Filter by').selectOption({ label: 'Expected Close Date' })
    await filters.getByLabel('Expected Close Date range').selectOption({ label: 'This quarter' })
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    await filters.getByText('Expected Close Date in this quarter').waitFor()
    expect(await textOf(status, '1–6 of 6')).toBe('1–6 of 6')
    const names = await page
      .locator('crm-record-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('a')?.textContent?.trim()))
    expect(names.sort()).toEqual([...expectedThisQuarter].sort())
    await saveScreenshot(page, 'walkthrough-1-this-quarter')
  })

  it('changes the stage of one deal on the board', async () => {
    const { page, server } = session
    await page
      .getByRole('navigation', { name: 'Views of Potentials' })
      .getByRole('link', { name: 'Board' })
      .click()
    const card = page.locator(`crm-pipeline-board li.card[data-id="${ids.get('Acme radar')}"]`)
    const qualification = page.locator(
      'crm-pipeline-board section.column[data-stage="Qualification"]',
    )
    await card.waitFor()
    await dragAcross(page, card, qualification)
    await page
      .locator('crm-pipeline-board [role="status"] .notice', {
        hasText: 'Moved “Acme radar” to Qualification',
      })
      .waitFor()
    await qualification.locator(`li.card[data-id="${ids.get('Acme radar')}"]`).waitFor()
    await saveScreenshot(page, 'walkthrough-2-board-moved')

    expect((await stored('Acme radar')).sales_stage).toBe('Qualification')
    // Only the dragged card moved; the others stay where they were.
    for (const name of ids.keys())
      if (name !== 'Acme radar') expect((await stored(name)).sales_stage).toBe('Prospecting')
    const history = await server.engine.db.read((db) =>
      selectHistory(db, 'potentials', { recordId: ids.get('Acme radar'), field: 'sales_stage' }),
    )
    expect(history.items[0].changes.sales_stage).toEqual(['Prospecting', 'Qualification'])
  })

  it('adds a new contact to that deal from its relation menu', async () => {
    const { page, server, admin } = session
    await page
      .locator(`crm-pipeline-board li.card[data-id="${ids.get('Acme radar')}"]`)
      .getByRole('link', { name: 'Acme radar' })
      .click()
    await page.getByRole('heading', { name: 'Acme radar', exact: true, level: 1 }).waitFor()
    const history = page.locator('crm-stage-history')
    await textOf(history.getByRole('table').locator('tbody tr'), 'Qualification')

    const menu = page.getByRole('navigation', { name: 'Related lists' })
    await menu.getByRole('button', { name: /^Contacts/ }).click()
    const related = page.locator('crm-related-records')
    await related.getByText('No contacts are related to this record yet.').waitFor()
    await related.getByRole('link', { name: 'Add Contact' }).click()
    await page.getByRole('heading', { name: 'New Contact', exact: true }).waitFor()
    await page.getByText('linked to Potential “Acme radar”').waitFor()
    // The new contact starts with what it shares with the deal: its account.
    const account = page.getByRole('combobox', { name: /^Account Name/ })
    expect(await account.inputValue()).toBe('Acme Rockets')
    await saveScreenshot(page, 'walkthrough-3-add-contact-prefilled')
    await page.getByRole('textbox', { name: 'First Name', exact: true }).fill('Rita')
    await page.getByRole('textbox', { name: 'Last Name', exact: true }).fill('Radar')
    await page.getByRole('button', { name: 'Save Contact' }).click()
    await page.getByRole('heading', { name: 'Rita Radar', exact: true }).waitFor()
    // The contact's own relation menu lists the deal it was added to.
    const contactMenu = page.getByRole('navigation', { name: 'Related lists' })
    await contactMenu.getByRole('button', { name: /^Potentials\s*1/ }).click()
    await page.locator('crm-related-records').getByRole('link', { name: 'Acme radar' }).waitFor()
    await saveScreenshot(page, 'walkthrough-3-contact-saved')

    const linked = await server.engine.relations.related(
      'potentials',
      ids.get('Acme radar')!,
      'potentials.contacts',
      {},
      admin,
    )
    expect(linked.items.map((item) => item.lastname)).toEqual(['Radar'])
    const deal = await server.engine.records.get('potentials', ids.get('Acme radar')!, admin)
    expect(linked.items[0].account_id).toBe(deal.related_to)
  })

  it('mass-reassigns five deals to another salesperson', async () => {
    const { page } = session
    await page
      .getByRole('navigation', { name: 'Modules' })
      .getByRole('link', { name: 'Potentials' })
      .click()
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–9 of 9')).toBe('1–9 of 9')
    const chosen = expectedThisQuarter.slice(0, 5)
    for (const name of chosen)
      await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check()
    await textOf(page.locator('crm-record-list .selection output'), '5 selected')
    await page.getByRole('button', { name: 'Edit selected' }).click()
    const form = page.getByRole('form', { name: 'Edit selected' })
    await form.getByRole('combobox', { name: /^Assigned To/ }).pressSequentially('Sally')
    await page.getByRole('option', { name: 'Sally Seller' }).click()
    await page.getByRole('button', { name: 'Apply to 5 selected' }).click()
    expect(await textOf(page.locator('crm-record-list .outcome'), '5 updated, 0 failed')).toContain(
      '5 updated, 0 failed',
    )
    await saveScreenshot(page, 'walkthrough-4-mass-reassigned')

    for (const name of chosen) expect((await stored(name)).assigned_user_id).toBe(sallyId)
    const others = [...ids.keys()].filter((name) => !chosen.includes(name))
    for (const name of others) expect((await stored(name)).assigned_user_id).not.toBe(sallyId)
  })
})

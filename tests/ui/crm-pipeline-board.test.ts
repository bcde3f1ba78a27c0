import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'
import { dragAcross } from '../helpers/drag-across.ts'

describe('crm-pipeline-board', () => {
  let session: UiSession
  const violations: string[] = []
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    session = await startUiSession()
    session.page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text())
    })
    const { engine } = session.server
    const account = await engine.records.create(
      'accounts',
      { accountname: 'Acme Logistics' },
      session.admin,
    )
    const create = async (name: string, values: Record<string, unknown>) => {
      const record = await engine.records.create(
        'potentials',
        { potentialname: name, ...values },
        session.admin,
      )
      ids[name] = record.id
    }
    // 23 in Prospecting: more than one page of cards, so the header must not be a page sum.
    await create('Alpha deal', {
      amount: 1000,
      closingdate: '2027-01-10',
      sales_stage: 'Prospecting',
      related_to: account.id,
    })
    for (let index = 1; index <= 22; index++) {
      await create(`Bulk ${String(index).padStart(2, '0')}`, {
        amount: 100,
        closingdate: `2027-04-${String(index).padStart(2, '0')}`,
        sales_stage: 'Prospecting',
      })
    }
    await create('Beta deal', { amount: 4000, closingdate: '2027-03-05', sales_stage: 'Qualification' })
    await create('Stale deal', {
      amount: 2000,
      closingdate: '2027-02-01',
      sales_stage: 'Negotiation or Review',
    })
    await create('Won deal', { amount: 3000, closingdate: '2027-01-20', sales_stage: 'Closed Won' })
    await create('Lost deal', { amount: 700, closingdate: '2027-01-25', sales_stage: 'Closed Lost' })
    await session.logInAsAdmin()
  })

  afterAll(async () => {
    await session?.close()
  })

  const column = (stage: string) =>
    session.page.locator(`crm-pipeline-board section.column[data-stage="${stage}"]`)
  const card = (name: string) => session.page.locator(`crm-pipeline-board li.card[data-id="${ids[name]}"]`)
  const stored = (name: string) => session.server.engine.records.get('potentials', ids[name], session.admin)

  it('shows one column per stage with true counts and sums, and loads more cards', async () => {
    const { page } = session
    await session.open('#/potentials/board')
    await page.getByRole('heading', { name: 'Potentials board', level: 1 }).waitFor()
    const stages = await page
      .locator('crm-pipeline-board section.column h2 > span:first-child')
      .allTextContents()
    expect(stages).toEqual([
      'Prospecting',
      'Qualification',
      'Needs Analysis',
      'Value Proposition',
      'Id. Decision Makers',
      'Perception Analysis',
      'Proposal or Price Quote',
      'Negotiation or Review',
      'Closed Won',
      'Closed Lost',
    ])

    const prospecting = column('Prospecting')
    expect(await textOf(prospecting.locator('.count'), '23')).toBe('23')
    expect(await textOf(prospecting.locator('[data-sum="amount"]'), '3,200.00 EUR')).toBe('3,200.00 EUR')
    expect(await prospecting.locator('[data-sum="weighted"]').textContent()).toBe('320.00 EUR')
    await prospecting.getByRole('button', { name: 'Load more (3 more)' }).waitFor()
    await expect.poll(() => prospecting.locator('li.card').count(), { timeout: 10_000 }).toBe(20)
    const first = prospecting.locator('li.card').first()
    expect(await textOf(first, 'Alpha deal')).toContain('Acme Logistics')
    expect(await first.textContent()).toContain('1,000.00 EUR')
    expect(await first.textContent()).toContain('2027-01-10')

    expect(await textOf(column('Negotiation or Review').locator('[data-sum="weighted"]'), '1,600.00 EUR')).toBe(
      '1,600.00 EUR',
    )
    expect(await textOf(column('Closed Won').locator('.count'), '1')).toBe('1')
    expect(await column('Closed Won').locator('[data-sum="amount"]').textContent()).toBe('3,000.00 EUR')
    expect(await textOf(column('Closed Lost').locator('.count'), '1')).toBe('1')
    expect(await column('Closed Lost').textContent()).toContain('Not in the forecast')
    expect(await textOf(column('Value Proposition').locator('.count'), '0')).toBe('0')
    await saveScreenshot(page, 'board')

    await prospecting.getByRole('button', { name: 'Load more (3 more)' }).click()
    await prospecting.locator('li.card', { hasText: 'Bulk 22' }).waitFor()
    await expect.poll(() => prospecting.locator('li.card').count(), { timeout: 10_000 }).toBe(23)
    await expect.poll(() => prospecting.getByRole('button', { name: /Load more/ }).count(), { timeout: 10_000 }).toBe(0)
  })

  it('moves a dragged card to another stage, where the server sets its probability', async () => {
    const { page } = session
    await session.open('#/potentials/board')
    await card('Alpha deal').waitFor()
    await dragAcross(page, card('Alpha deal'), column('Qualification'))

    await column('Qualification').locator(`li.card[data-id="${ids['Alpha deal']}"]`).waitFor()
    await page.locator('crm-pipeline-board [role="status"] .notice', { hasText: 'Moved “Alpha deal” to Qualification' }).waitFor()
    const record = await stored('Alpha deal')
    expect(record.sales_stage).toBe('Qualification')
    expect(record.probability).toBe(20)
    expect(await textOf(column('Qualification').locator('[data-sum="amount"]'), '5,000.00 EUR')).toBe('5,000.00 EUR')
    expect(await textOf(column('Qualification').locator('[data-sum="weighted"]'), '1,000.00 EUR')).toBe(
      '1,000.00 EUR',
    )
    expect(await textOf(column('Qualification').locator('.count'), '2')).toBe('2')
    expect(await textOf(column('Prospecting').locator('.count'), '22')).toBe('22')
    await expect.poll(() => column('Prospecting').locator(`li.card[data-id="${ids['Alpha deal']}"]`).count(), { timeout: 10_000 }).toBe(0)
  })

  it('moves a card from the keyboard with its “Move to…” menu and keeps the focus on it', async () => {
    const { page } = session
    await session.open('#/potentials/board')
    const move = card('Beta deal').getByRole('button', { name: 'Move to…' })
    await move.focus()
    await page.keyboard.press('Enter')
    const menu = card('Beta deal').getByRole('menu')
    await menu.getByRole('menuitem', { name: 'Prospecting' }).and(page.locator(':focus')).waitFor()
    await page.keyboard.press('ArrowDown')
    await menu.getByRole('menuitem', { name: 'Needs Analysis' }).and(page.locator(':focus')).waitFor()
    await saveScreenshot(page, 'board-move-menu')
    await page.keyboard.press('Enter')

    await column('Needs Analysis').locator(`li.card[data-id="${ids['Beta deal']}"] button.move:focus`).waitFor()
    const record = await stored('Beta deal')
    expect(record.sales_stage).toBe('Needs Analysis')
    expect(record.probability).toBe(25)
    expect(await textOf(column('Needs Analysis').locator('[data-sum="weighted"]'), '1,000.00 EUR')).toBe(
      '1,000.00 EUR',
    )

    await move.focus()
    await page.keyboard.press('Enter')
    await menu.waitFor()
    await page.keyboard.press('Escape')
    await card('Beta deal').locator('button.move[aria-expanded="false"]:focus').waitFor()
    await expect.poll(() => menu.count(), { timeout: 10_000 }).toBe(0)
  })

  it('puts a card back with a message when someone else changed the record meanwhile', async () => {
    const { page } = session
    await session.open('#/potentials/board')
    await card('Stale deal').waitFor()
    await session.server.engine.records.update(
      'potentials',
      ids['Stale deal'],
      { amount: 2500 },
      session.admin,
    )

    await column('Closed Won').scrollIntoViewIfNeeded()
    await card('Stale deal').dragTo(column('Closed Won'))
    const alert = page.locator('crm-pipeline-board .alert[role="alert"]')
    expect(await textOf(alert, 'was not moved')).toContain('someone else changed it')
    const back = column('Negotiation or Review').locator(`li.card[data-id="${ids['Stale deal']}"]`)
    expect(await textOf(back, '2,500.00 EUR')).toContain('2,500.00 EUR')
    await expect.poll(() => column('Closed Won').locator(`li.card[data-id="${ids['Stale deal']}"]`).count(), { timeout: 10_000 }).toBe(0)
    expect(await textOf(column('Negotiation or Review').locator('[data-sum="amount"]'), '2,500.00 EUR')).toBe(
      '2,500.00 EUR',
    )
    expect((await stored('Stale deal')).sales_stage).toBe('Negotiation or Review')
    await saveScreenshot(page, 'board-stale-move')
    expect(violations).toEqual([])
  })

  it('puts a card back with the server’s reasons when the record cannot take the stage (422)', async () => {
    const { page } = session
    const { engine } = session.server
    const record = await engine.records.create(
      'potentials',
      { potentialname: 'Undated deal', amount: 300, closingdate: '2027-01-02', sales_stage: 'Value Proposition' },
      session.admin,
    )
    ids['Undated deal'] = record.id
    // Like a record stored before the close date became mandatory: any edit must now supply it.
    await engine.db.write((trx) =>
      trx.updateTable('potentials').set({ closingdate: null }).where('id', '=', record.id).execute(),
    )
    await session.open('#/potentials/board')
    await card('Undated deal').waitFor()
    // Both columns in sight before the drag: the board scrolls sideways.
    await column('Id. Decision Makers').scrollIntoViewIfNeeded()
    await card('Undated deal').dragTo(column('Id. Decision Makers'))

    const alert = page.locator('crm-pipeline-board .alert[role="alert"]')
    expect(await textOf(alert, 'cannot move')).toContain('Expected Close Date is required')
    await column('Value Proposition').locator(`li.card[data-id="${record.id}"]`).waitFor()
    await expect.poll(() => column('Id. Decision Makers').locator(`li.card[data-id="${record.id}"]`).count(), { timeout: 10_000 }).toBe(0)
    expect((await stored('Undated deal')).sales_stage).toBe('Value Proposition')
  })

  it('fits the board, the forecast and the recycle bin into a phone-wide screen', async () => {
    const { page } = session
    await page.setViewportSize({ width: 390, height: 844 })
    const screens = [
      ['#/potentials/board', page.locator('crm-pipeline-board li.card').first(), 'phone-board'],
      ['#/potentials/forecast', page.locator('crm-forecast-chart svg'), 'phone-forecast'],
      ['#/potentials/bin', page.getByText('The recycle bin is empty'), 'phone-recycle-bin'],
    ] as const
    for (const [hash, ready, name] of screens) {
      await session.open(hash)
      await ready.waitFor()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      await saveScreenshot(page, name)
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-inline-edit', () => {
  let session: UiSession
  let dealId: number

  beforeAll(async () => {
    session = await startUiSession()
    const account = await session.server.engine.records.create(
      'accounts',
      { accountname: 'Granite Works' },
      session.admin,
    )
    const deal = await session.server.engine.records.create(
      'potentials',
      {
        potentialname: 'Quarry trucks',
        amount: 40000,
        closingdate: '2027-08-31',
        sales_stage: 'Prospecting',
        related_to: account.id,
      },
      session.admin,
    )
    dealId = deal.id
  })

  afterAll(async () => {
    await session?.close()
  })

  it('edits one field in place with the keyboard; a refused value shows beside it', async () => {
    const { page, server } = session
    await session.open(`#/potentials/${dealId}`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    const detail = page.locator('crm-record-detail')
    // Opened by keyboard, the editor has the cursor in its input: typing goes straight in.
    await detail.getByRole('button', { name: /^Edit Next Step/ }).focus()
    await page.keyboard.press('Enter')
    await detail.getByRole('form', { name: 'Edit Next Step' }).waitFor()
    await page.keyboard.type('Call buyer Monday')
    await page.keyboard.press('Enter')
    await detail.getByRole('button', { name: 'Edit Next Step: Call buyer Monday' }).waitFor()
    expect((await server.engine.records.get('potentials', dealId)).nextstep).toBe('Call buyer Monday')

    const amount = detail.getByRole('button', { name: 'Edit Amount: 40,000.00' })
    await amount.focus()
    await page.keyboard.press('Enter')
    const editor = detail.getByRole('form', { name: 'Edit Amount' })
    const input = editor.getByRole('spinbutton', { name: 'Amount' })
    await input.fill('-5')
    await page.keyboard.press('Enter')
    expect(await textOf(editor.locator('.error'), /Amount.*(0|minimum)/)).toMatch(/Amount.*(0|minimum)/)
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    await saveScreenshot(page, 'inline-edit-422')

    await input.fill('42500')
    await editor.getByRole('button', { name: 'Save Amount' }).click()
    await detail.getByRole('button', { name: 'Edit Amount: 42,500.00' }).waitFor()
    await expect.poll(() => editor.count(), { timeout: 10_000 }).toBe(0)
    expect((await server.engine.records.get('potentials', dealId)).amount).toBe(42500)

    // A picklist in place; the server's stage rule sets the probability, which the page shows.
    await detail.getByRole('button', { name: 'Edit Sales Stage: Prospecting' }).click()
    const stage = detail.getByRole('form', { name: 'Edit Sales Stage' })
    await stage.getByRole('combobox', { name: 'Sales Stage' }).selectOption('Closed Won')
    await stage.getByRole('button', { name: 'Save Sales Stage' }).click()
    await detail.getByRole('button', { name: 'Edit Sales Stage: Closed Won' }).waitFor()
    await detail.getByRole('button', { name: 'Edit Probability (%): 100.00 %' }).waitFor()
    // The timeline and the stage history follow the change.
    await page.locator('crm-stage-history').getByRole('cell', { name: /Closed Won/ }).waitFor()

    // Escape leaves a related record's field unchanged; its value stays a link.
    await detail.getByRole('button', { name: 'Edit Account Name' }).click()
    await detail.getByRole('form', { name: 'Edit Account Name' }).waitFor()
    await page.keyboard.press('Escape')
    await detail.getByRole('link', { name: 'Granite Works' }).waitFor()
    // The next test starts from an empty Next Step.
    await server.engine.records.update('potentials', dealId, { nextstep: null }, session.admin)
  })

  it('says the record changed meanwhile on a 412 and shows the newer value; saving again overwrites it', async () => {
    const { page, server, admin } = session
    await session.open(`#/potentials/${dealId}`)
    const detail = page.locator('crm-record-detail')
    await detail.getByRole('button', { name: 'Edit Next Step: empty' }).click()
    const editor = detail.getByRole('form', { name: 'Edit Next Step' })
    await server.engine.records.update('potentials', dealId, { nextstep: 'Send the contract' }, admin)
    await editor.getByRole('textbox', { name: 'Next Step' }).fill('Call the CFO')
    await editor.getByRole('button', { name: 'Save Next Step' }).click()
    const stale = await textOf(editor.getByRole('alert'), 'changed')
    expect(stale).toContain('Someone else changed this record meanwhile')
    expect(stale).toContain('Next Step is now “Send the contract”')
    await saveScreenshot(page, 'inline-edit-412')

    await editor.getByRole('button', { name: 'Save Next Step' }).click()
    await detail.getByRole('button', { name: 'Edit Next Step: Call the CFO' }).waitFor()
    expect((await server.engine.records.get('potentials', dealId)).nextstep).toBe('Call the CFO')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

describe('crm-record-list selection, mass edit and mass delete', () => {
  let session: UiSession
  let sellerId: number
  const ids: number[] = []

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const seller = await engine.records.create(
      'users',
      { username: 'sally', full_name: 'Sally Seller', role: 'sales', status: 'Active' },
      session.admin,
    )
    sellerId = seller.id
    for (let index = 1; index <= 8; index++) {
      const values = {
        potentialname: `Fleet ${index}`,
        amount: index * 1000,
        closingdate: '2027-05-01',
        sales_stage: 'Prospecting',
      }
      ids.push((await engine.records.create('potentials', values, session.admin)).id)
    }
  })

  afterAll(async () => {
    await session?.close()
  })

  it('mass-reassigns five potentials', async () => {
    const { page, server, admin } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=potentialname')
    for (let index = 1; index <= 5; index++)
      await page.getByRole('checkbox', { name: `Select Fleet ${index}`, exact: true }).check()
    expect(await textOf(page.locator('crm-record-list .selection output'), '5 selected')).toBe(
      '5 selected',
    )
    await page.getByRole('button', { name: 'Edit selected' }).click()
    const owner = page.getByRole('form', { name: 'Edit selected' }).getByRole('combobox', {
      name: /^Assigned To/,
    })
    await owner.fill('Sally')
    await page.getByRole('option', { name: 'Sally Seller' }).click()
    await page.getByRole('button', { name: 'Apply to 5 selected' }).click()
    expect(await textOf(page.locator('crm-record-list .outcome'), '5 updated, 0 failed')).toContain(
      '5 updated, 0 failed',
    )
    await saveScreenshot(page, 'list-mass-edit')
    for (const id of ids.slice(0, 5)) {
      const record = await server.engine.records.get('potentials', id, admin)
      expect(record.assigned_user_id).toBe(sellerId)
    }
    const untouched = await server.engine.records.get('potentials', ids[5], admin)
    expect(untouched.assigned_user_id).not.toBe(sellerId)
  })

  it('shows each failure of a mass edit where some records fail', async () => {
    const { page, server, admin } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=potentialname')
    await page.getByRole('checkbox', { name: 'Select Fleet 6', exact: true }).check()
    await page.getByRole('checkbox', { name: 'Select Fleet 7', exact: true }).check()
    await page.getByRole('checkbox', { name: 'Select Fleet 8', exact: true }).check()
    // Someone else deletes one of the selected deals meanwhile.
    await server.engine.records.remove('potentials', ids[7], admin)
    await page.getByRole('button', { name: 'Edit selected' }).click()
    await page
      .getByRole('form', { name: 'Edit selected' })
      .getByRole('combobox', { name: 'Sales Stage', exact: true })
      .selectOption('Qualification')
    await page.getByRole('button', { name: 'Apply to 3 selected' }).click()
    const outcome = page.locator('crm-record-list .outcome')
    expect(await textOf(outcome, '2 updated, 1 failed')).toContain('2 updated, 1 failed')
    expect(await outcome.getByRole('listitem').textContent()).toContain('Fleet 8')
    expect(await page.getByRole('alert').first().textContent()).not.toBe('')
    await saveScreenshot(page, 'list-mass-edit-failures')
    expect((await server.engine.records.get('potentials', ids[6], admin)).sales_stage).toBe(
      'Qualification',
    )
  })

  it('deletes the selected records after a confirmation', async () => {
    const { page, server, admin } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=potentialname')
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–7 of 7')).toBe('1–7 of 7')
    await page.getByRole('checkbox', { name: 'Select Fleet 1', exact: true }).check()
    await page.getByRole('checkbox', { name: 'Select Fleet 2', exact: true }).check()
    await page.getByRole('button', { name: 'Delete selected' }).click()
    await page.getByRole('alertdialog', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete 2' }).click()
    expect(await textOf(page.locator('crm-record-list .outcome'), '2 deleted, 0 failed')).toContain(
      '2 deleted, 0 failed',
    )
    expect(await textOf(status, '1–5 of 5')).toBe('1–5 of 5')
    await expect(server.engine.records.get('potentials', ids[0], admin)).rejects.toThrow()
    // Select page checks every row of the page.
    await page.getByRole('checkbox', { name: 'Select page' }).check()
    expect(await textOf(page.locator('crm-record-list .selection output'), '5 selected')).toBe(
      '5 selected',
    )
  })
})

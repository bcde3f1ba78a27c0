import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

/**
 * Filters that outlive the screen they were made on: "owner is me" in a view
 * shared with others, and a relation filter's chip after a reload or when a
 * saved view brings it back with only the record's id.
 */
describe('crm-list-filters in saved views and reloads', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const mia = await engine.records.create(
      'users',
      { username: 'mia', full_name: 'Mia Manager', role: 'sales_manager', status: 'Active' },
      admin,
    )
    await engine.auth.setPassword(mia.id, 'mia-pass-12345')
    const sally = await engine.records.create(
      'users',
      {
        username: 'sally',
        full_name: 'Sally Seller',
        role: 'sales',
        status: 'Active',
        manager_id: mia.id,
      },
      admin,
    )
    const acme = await engine.records.create('accounts', { accountname: 'Acme Rockets' }, admin)
    const globex = await engine.records.create('accounts', { accountname: 'Globex' }, admin)
    const deals: [string, number, number][] = [
      ['Admin deal', admin.id, acme.id],
      ['Mia deal', mia.id, globex.id],
      ['Sally deal', sally.id, acme.id],
    ]
    for (const [name, owner, account] of deals) {
      const values = {
        potentialname: name,
        assigned_user_id: owner,
        related_to: account,
        closingdate: '2027-05-01',
        sales_stage: 'Prospecting',
      }
      await engine.records.create('potentials', values, admin)
    }
  })

  afterAll(async () => {
    await session?.close()
  })

  const rowNames = () =>
    session.page
      .locator('crm-record-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('a')?.textContent?.trim()))

  it('keeps "owner is me" as me, so a shared "My deals" shows each reader their own deals', async () => {
    const { page, server } = session
    await session.open('#/potentials?sort=potentialname')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–3 of 3')).toBe('1–3 of 3')
    const filters = page.getByRole('region', { name: 'Filters' })
    await filters.getByLabel('Filter by').selectOption({ label: 'Assigned To' })
    await filters.getByRole('button', { name: 'Assigned To is me' }).click()
    await filters.getByText('Assigned To is me').waitFor()
    expect(await textOf(status, '1–1 of 1')).toBe('1–1 of 1')
    expect(await rowNames()).toEqual(['Admin deal'])
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain('filter[assigned_user_id]=me')

    await page.getByRole('button', { name: 'Save view' }).click()
    const form = page.getByRole('form', { name: 'Save view' })
    await form.getByLabel('View name').fill('My deals')
    await form.getByLabel('Shared with everyone').check()
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('button', { name: 'Delete view “My deals”' }).waitFor()
    const stored = await server.engine.db.read((db) =>
      db
        .selectFrom('_saved_views')
        .select('query')
        .where('name', '=', 'My deals')
        .executeTakeFirstOrThrow(),
    )
    expect(JSON.parse(String(stored.query)).filters).toEqual([
      { field: 'assigned_user_id', operator: 'eq', value: 'me' },
    ])

    // Mia manages Sally and sees both their deals; the shared view shows her only hers.
    await page.getByRole('button', { name: 'Log out' }).click()
    await logIn(page, 'mia', 'mia-pass-12345')
    await session.open('#/potentials?sort=potentialname')
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    await page
      .getByRole('combobox', { name: 'View', exact: true })
      .selectOption({ label: 'My deals (shared)' })
    await filters.getByText('Assigned To is me').waitFor()
    expect(await textOf(status, '1–1 of 1')).toBe('1–1 of 1')
    expect(await rowNames()).toEqual(['Mia deal'])
    await saveScreenshot(page, 'list-shared-view-owner-is-me')
  })

  it('names the record of a relation filter after a reload and in a saved view', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=potentialname')
    const status = page.locator('crm-record-list .pager output')
    const filters = page.getByRole('region', { name: 'Filters' })
    await filters.getByLabel('Filter by').selectOption({ label: 'Account Name' })
    await filters.getByRole('combobox', { name: 'Account Name is' }).pressSequentially('Acme')
    await page.getByRole('option', { name: 'Acme Rockets' }).click()
    await filters.getByRole('button', { name: 'Apply filter' }).click()
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    const chip = filters.getByRole('list', { name: 'Active filters' }).getByRole('listitem')

    await page.reload()
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    expect(await textOf(chip, 'Account Name is Acme Rockets')).toContain('Account Name is Acme Rockets')
    await saveScreenshot(page, 'list-relation-chip-after-reload')

    await page.getByRole('button', { name: 'Save view' }).click()
    const form = page.getByRole('form', { name: 'Save view' })
    await form.getByLabel('View name').fill('Acme deals')
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('button', { name: 'Delete view “Acme deals”' }).waitFor()
    // A fresh page knows the account only by the id the view stored.
    await session.open('#/potentials?sort=potentialname')
    expect(await textOf(status, '1–3 of 3')).toBe('1–3 of 3')
    await page
      .getByRole('combobox', { name: 'View', exact: true })
      .selectOption({ label: 'Acme deals' })
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    expect(await textOf(chip, 'Account Name is Acme Rockets')).toContain('Account Name is Acme Rockets')
    expect(await chip.textContent()).not.toContain('#')
  })
})

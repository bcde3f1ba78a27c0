import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

describe('crm-record-list saved views', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    for (const [name, amount] of [['Small', 100], ['Medium', 2000], ['Large', 9000]] as const) {
      const values = { potentialname: name, amount, closingdate: '2027-05-01', sales_stage: 'Prospecting' }
      await engine.records.create('potentials', values, session.admin)
    }
    // A view saved before a field was removed from the module.
    const query = { filters: [{ field: 'ghost_rating', operator: 'eq', value: 'hot' }], sort: ['-amount'] }
    await engine.db.write((trx) =>
      trx
        .insertInto('_saved_views')
        .values({
          module: 'potentials',
          user_id: session.admin.id,
          name: 'Old hot deals',
          shared: 0,
          query: JSON.stringify(query),
          created_at: new Date().toISOString(),
        } as never)
        .execute(),
    )
  })

  afterAll(async () => {
    await session?.close()
  })

  it('saves, picks and deletes a view, and says which fields a view lost', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await session.open('#/potentials?sort=-amount&filter[amount][gte]=1000')
    const status = page.locator('crm-record-list .pager output')
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    await page.getByRole('button', { name: 'Save view' }).click()
    const form = page.getByRole('form', { name: 'Save view' })
    await form.getByLabel('View name').fill('Big deals')
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('button', { name: 'Delete view “Big deals”' }).waitFor()

    const picker = page.getByRole('combobox', { name: 'View', exact: true })
    await picker.selectOption({ label: 'All records' })
    expect(await textOf(status, '1–3 of 3')).toBe('1–3 of 3')
    await picker.selectOption({ label: 'Big deals' })
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')
    await page.locator('th[aria-sort="descending"]', { hasText: 'Amount' }).waitFor()
    await saveScreenshot(page, 'list-saved-view')
    // A reload keeps the view picked, not only its filters.
    expect(new URL(page.url()).hash).toMatch(/view=\d+/)
    await page.reload()
    await page.getByRole('button', { name: 'Delete view “Big deals”' }).waitFor()
    expect(await picker.locator('option:checked').textContent()).toContain('Big deals')
    expect(await textOf(status, '1–2 of 2')).toBe('1–2 of 2')

    await picker.selectOption({ label: 'Old hot deals' })
    expect(await textOf(page.getByRole('alert'), 'removed')).toContain('ghost_rating')
    expect(await textOf(status, '1–3 of 3')).toBe('1–3 of 3')

    await picker.selectOption({ label: 'Big deals' })
    await page.getByRole('button', { name: 'Delete view “Big deals”' }).click()
    await page.getByRole('button', { name: 'Save view' }).waitFor()
    expect(await picker.locator('option').allTextContents()).toEqual([
      expect.stringContaining('All records'),
      expect.stringContaining('Old hot deals'),
    ])
  })
})

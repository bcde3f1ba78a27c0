import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

describe('crm-user-admin', () => {
  let session: UiSession
  let samId: number

  beforeAll(async () => {
    session = await startUiSession()
    const sam = await session.server.engine.records.create(
      'users',
      { username: 'sam.carter', full_name: 'Sam Carter', status: 'Active', role: 'sales' },
      session.admin,
    )
    samId = sam.id
    await session.server.engine.auth.setPassword(samId, 'first-pass-123')
  })

  afterAll(async () => {
    await session?.close()
  })

  it('sets a role and a password and deactivates a user', async () => {
    const { page, server } = session
    await session.logInAsAdmin()
    await session.open('#/potentials')
    await page.locator('crm-app header').getByRole('link', { name: 'Users and roles' }).click()
    await page.getByRole('heading', { name: 'Users and roles', exact: true }).waitFor()
    const row = page.getByRole('row', { name: /sam\.carter/ })
    expect(await textOf(row, 'Sam Carter')).toContain('Active')
    expect(await row.getByRole('combobox', { name: 'Role of sam.carter' }).inputValue()).toBe(
      'sales',
    )
    await saveScreenshot(page, 'user-admin')

    await row
      .getByRole('combobox', { name: 'Role of sam.carter' })
      .selectOption({ label: 'Read Only' })
    await textOf(page.locator('crm-user-admin .notice'), 'Read Only')
    expect((await server.engine.records.get('users', samId)).role).toBe('read_only')

    await row.getByRole('button', { name: 'Set password of sam.carter…' }).click()
    await page.getByLabel('New password for sam.carter').fill('second-pass-456')
    await page.getByRole('button', { name: 'Save password' }).click()
    await textOf(page.locator('crm-user-admin .notice'), 'password of sam.carter')
    await expect(server.engine.auth.login('sam.carter', 'second-pass-456')).resolves.toBeTruthy()
    await expect(server.engine.auth.login('sam.carter', 'first-pass-123')).rejects.toThrow()

    await row.getByRole('button', { name: 'Deactivate sam.carter' }).click()
    await textOf(page.locator('crm-user-admin .notice'), 'deactivated')
    expect(await textOf(row, 'Inactive')).toContain('Inactive')
    expect((await server.engine.records.get('users', samId)).status).toBe('Inactive')
    await expect(server.engine.auth.login('sam.carter', 'second-pass-456')).rejects.toThrow()
    expect(
      await page
        .getByRole('row', { name: /admin/ })
        .getByRole('button', { name: /^Deactivate/ })
        .isDisabled(),
    ).toBe(true)
    await saveScreenshot(page, 'user-admin-done')
  })
})

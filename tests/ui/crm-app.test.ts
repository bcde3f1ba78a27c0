import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-app', () => {
  let session: UiSession
  let accountId: number

  beforeAll(async () => {
    session = await startUiSession()
    const account = await session.server.engine.records.create(
      'accounts',
      { accountname: 'Contoso Pharmaceuticals' },
      session.admin,
    )
    accountId = account.id
  })

  afterAll(async () => {
    await session?.close()
  })

  it('refuses a wrong password with a message, then navigates between modules and logs out', async () => {
    const { page } = session
    await session.open('')
    await page.getByLabel('User name').fill('admin')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Log in' }).click()
    expect(await textOf(page.locator('crm-login [role="alert"]'), 'wrong')).toContain(
      'Check both and try again',
    )
    await saveScreenshot(page, 'login-refused')

    await logIn(page, 'admin', ADMIN_PASSWORD)
    const navigation = page.getByRole('navigation', { name: 'Modules' })
    await navigation.getByRole('link', { name: 'Accounts' }).click()
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor()
    expect(
      await navigation.getByRole('link', { name: 'Accounts' }).getAttribute('aria-current'),
    ).toBe('page')
    await page.getByRole('link', { name: 'Contoso Pharmaceuticals' }).click()
    await page.getByRole('heading', { name: 'Contoso Pharmaceuticals', exact: true }).waitFor()
    await navigation.getByRole('link', { name: 'Contacts' }).click()
    await page.getByText('There are no contacts yet').waitFor()

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByText('You are logged out.').waitFor()
    const session401 = await page.request.get(`${session.server.url}/api/session`)
    expect(session401.status()).toBe(401)
  })

  it('fits list, detail and form into a phone-wide screen without sideways scrolling of the page', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await page.setViewportSize({ width: 390, height: 844 })
    const screens = [
      ['#/accounts', page.getByRole('heading', { name: 'Accounts', level: 1 }), 'phone-list'],
      [
        `#/accounts/${accountId}`,
        page.getByRole('heading', { name: 'Contoso Pharmaceuticals', exact: true }),
        'phone-detail',
      ],
      [
        `#/accounts/${accountId}/edit`,
        page.getByRole('heading', { name: 'Edit Contoso Pharmaceuticals', exact: true }),
        'phone-form',
      ],
    ] as const
    for (const [hash, heading, name] of screens) {
      await session.open(hash)
      await heading.waitFor()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      )
      await saveScreenshot(page, name)
    }
  })
})

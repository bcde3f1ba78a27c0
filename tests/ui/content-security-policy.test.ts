import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUiSession, type UiSession } from '../helpers/browser.ts'

let session: UiSession

beforeAll(async () => {
  session = await startUiSession()
})

afterAll(async () => {
  await session?.close()
})

describe('Content-Security-Policy', () => {
  it('is sent with the client and the built client runs under it without a single violation', async () => {
    const violations: string[] = []
    session.page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text())
    })
    await session.page.exposeFunction('reportViolation', (text: string) => violations.push(text))
    await session.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        ;(window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`)
      })
    })
    const response = await session.page.goto(`${session.server.url}/`)
    await session.logInAsAdmin()
    await session.open('#/potentials')
    await session.page.getByRole('heading', { name: 'Potentials', exact: true }).waitFor()
    // The form checks the record with a validator module it imports at run time, which CSP must allow.
    const validator = session.page.waitForResponse((candidate) => candidate.url().includes('/validator.js?'))
    await session.open('#/potentials/new')
    await session.page.getByLabel('Potential Name').waitFor()
    await session.page.getByRole('button', { name: 'Save Potential' }).click()
    await session.page.locator('crm-field-input[data-field="potentialname"] .error').waitFor()

    expect((await validator).status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'")
    expect(response?.headers()['x-frame-options']).toBe('DENY')
    expect(violations).toEqual([])
  })
})

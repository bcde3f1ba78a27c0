import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/create-test-app.ts'

describe('GET /api/modules/:module/validator.js', () => {
  let testApp: TestApp
  let readerCookie: string

  beforeAll(async () => {
    testApp = await createTestApp()
    const { engine, admin } = testApp
    const reader = await engine.records.create('users', { username: 'reader', full_name: 'Rex Reader', status: 'Active', role: 'read_only' }, admin)
    await engine.auth.setPassword(reader.id, 'reader-pass-123')
    readerCookie = await testApp.login('reader', 'reader-pass-123')
  })

  async function validatorUrl(cookie?: string): Promise<string> {
    const headers: Record<string, string> = cookie ? { cookie } : {}
    const live = (await (await testApp.call('GET', '/api/modules/potentials', undefined, headers)).json()) as { validator: string; version: number }

    return live.validator
  }

  it('answers the definition version’s validator as a JavaScript module the browser may keep', async () => {
    const url = await validatorUrl()
    const response = await testApp.call('GET', url)
    const source = await response.text()

    expect(url).toMatch(/^\/api\/modules\/potentials\/validator\.js\?version=1&key=[\w-]{16}$/)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    expect(source).toContain('export default function (require) {')
    expect(source).toContain('"amount"')
  })

  it('leaves out the fields the role hides, under a URL of its own', async () => {
    const url = await validatorUrl(readerCookie)
    const response = await testApp.call('GET', url, undefined, { cookie: readerCookie })
    const source = await response.text()

    expect(response.status).toBe(200)
    expect(url).not.toBe(await validatorUrl())
    expect(source).not.toContain('"amount"')
    expect(source).not.toContain('forecast_amount')
    expect(source).toContain('"potentialname"')
  })

  it('refuses another version or role view with 409, and anyone not logged in with 401', async () => {
    const url = await validatorUrl()
    const stale = await testApp.call('GET', url.replace('version=1', 'version=2'))
    const otherView = await testApp.call('GET', await validatorUrl(readerCookie))
    const anonymous = await testApp.app.request(url)

    expect(stale.status).toBe(409)
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('DEFINITION_STALE')
    expect(otherView.status).toBe(409)
    expect(anonymous.status).toBe(401)
  })

  it('moves to a new URL when the definition changes', async () => {
    const before = await validatorUrl()
    const change = await testApp.call('PUT', '/api/modules/potentials', {
      baseVersion: 1,
      operations: [{ op: 'addField', label: 'Region', kind: 'text' }],
    })
    const after = await validatorUrl()
    const source = await (await testApp.call('GET', after)).text()

    expect(change.status).toBe(200)
    expect(after).toContain('version=2')
    expect(after).not.toBe(before)
    expect(source).toContain('cf_region')
    expect((await testApp.call('GET', before)).status).toBe(409)
  })
})

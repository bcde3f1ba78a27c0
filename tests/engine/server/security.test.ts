import { describe, expect, it } from 'vitest'
import { LOGIN_LIMITS } from '../../../engine/core/users/auth-service.ts'
import { createTestApp } from '../../helpers/create-test-app.ts'
import { potentialInput } from '../../helpers/create-test-engine.ts'

const json = { 'content-type': 'application/json' }

describe('sessions', () => {
  it('sets an HttpOnly, SameSite session cookie with an expiry, and logs out', async () => {
    const { app } = await createTestApp()
    const login = await app.request('/api/session', { method: 'POST', headers: json, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })
    const cookie = login.headers.get('set-cookie') ?? ''
    const session = /crm_session=[^;]+/.exec(cookie)![0]

    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Expires=/)
    expect((await app.request('/api/session', { headers: { cookie: session } })).status).toBe(200)
    expect((await app.request('/api/session', { method: 'DELETE', headers: { cookie: session, 'x-requested-with': 'crm' } })).status).toBe(204)
    expect((await app.request('/api/modules', { headers: { cookie: session } })).status).toBe(401)
  })

  it('refuses an expired session', async () => {
    const { app, engine, call } = await createTestApp()
    await engine.db.write((trx) => trx.updateTable('_sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute())

    expect((await call('GET', '/api/modules')).status).toBe(401)
    expect((await app.request('/api/health')).status).toBe(200)
  })

  it('ends sessions when the password changes or the user is deactivated', async () => {
    const { engine, admin, login, app } = await createTestApp()
    const sam = (await engine.records.list('users', { filters: [{ field: 'username', operator: 'eq', value: 'sam.carter' }] })).items[0]
    const first = await login('sam.carter', 'sam-pass-123')
    await engine.auth.setPassword(sam.id, 'a-new-password')
    const second = await login('sam.carter', 'a-new-password')
    await engine.records.update('users', sam.id, { status: 'Inactive' }, admin)

    expect((await app.request('/api/modules', { headers: { cookie: first } })).status).toBe(401)
    expect((await app.request('/api/modules', { headers: { cookie: second } })).status).toBe(401)
  })
})

describe('CSRF', () => {
  it('refuses cookie-authorised state changes without the X-Requested-With header, on every method', async () => {
    const { call } = await createTestApp()
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput())).json()
    const statuses = [
      (await call('POST', '/api/modules/potentials/records', potentialInput(), { 'x-requested-with': 'XMLHttpRequest' })).status,
      (await call('PATCH', `/api/modules/potentials/records/${created.id}`, { amount: 1 }, { 'x-requested-with': '' })).status,
      (await call('DELETE', `/api/modules/potentials/records/${created.id}`, undefined, { 'x-requested-with': '' })).status,
      (await call('PUT', '/api/modules/potentials', { baseVersion: 1, operations: [] }, { 'x-requested-with': '' })).status,
    ]

    expect(statuses).toEqual([403, 403, 403, 403])
  })
})

describe('login rate limit', () => {
  it('answers 429 after too many failures for one username, even with the right password, and never says which half was wrong', async () => {
    const { app } = await createTestApp()
    const attempt = (password: string) => app.request('/api/session', { method: 'POST', headers: json, body: JSON.stringify({ username: 'sam.carter', password }) })
    const failures: number[] = []
    for (let index = 0; index < LOGIN_LIMITS.perUser; index++) failures.push((await attempt('wrong')).status)
    const limited = await attempt('sam-pass-123')

    expect(failures.every((status) => status === 401)).toBe(true)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe(String(LOGIN_LIMITS.windowMinutes * 60))
    expect((await app.request('/api/session', { method: 'POST', headers: json, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })).status).toBe(200)
  })
})

describe('API tokens', () => {
  it('authorises with a bearer token shown once and stored hashed, until revoked', async () => {
    const { app, engine, call } = await createTestApp()
    const created = await (await call('POST', '/api/tokens', { name: 'integration' })).json()
    const stored = await engine.db.read((db) => db.selectFrom('_api_tokens').selectAll().execute())
    const asToken = (init: RequestInit = {}) => app.request('/api/modules/potentials/records', { ...init, headers: { authorization: `Bearer ${created.token}`, ...json } })

    expect(created.token).toMatch(/^crm_/)
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(4))
    expect((await asToken()).status).toBe(200)
    expect((await asToken({ method: 'POST', body: JSON.stringify(potentialInput()) })).status).toBe(201)
    expect((await call('GET', '/api/tokens')).status).toBe(200)
    expect((await call('DELETE', `/api/tokens/${created.id}`)).status).toBe(204)
    expect((await asToken()).status).toBe(401)
  })
})

describe('hostile input', () => {
  it('treats SQL fragments in filters, sorts and search as data or refuses them, and the table survives', async () => {
    const { call } = await createTestApp()
    await call('POST', '/api/modules/potentials/records', potentialInput({ potentialname: "O'Brien; DROP TABLE potentials; --" }))
    const probes = [
      "/api/modules/potentials/records?q=' OR 1=1 --",
      "/api/modules/potentials/records?q=%25' UNION SELECT password_hash FROM _credentials --",
      '/api/modules/potentials/records?filter[potentialname]=x%27%20OR%20%271%27=%271',
      '/api/modules/potentials/records?filter[potentialname][contains]=%25',
      '/api/modules/potentials/records?sort=amount;DROP TABLE potentials',
      '/api/modules/potentials/records?sort=(select 1)',
      '/api/modules/potentials/records?filter[amount][gte]=1 OR 1=1',
      '/api/modules/potentials/records?filter[deleted_at][empty]=false',
      '/api/modules/_credentials/records',
      '/api/modules/potentials%3B--/records',
    ]
    const statuses = []
    for (const probe of probes) {
      const response = await call('GET', probe)
      const body = await response.text()
      statuses.push(response.status)
      expect(body).not.toMatch(/scrypt\$|SQLITE|syntax error|\bat .+\.ts:\d+/)
    }
    const survivors = await (await call('GET', '/api/modules/potentials/records?q=DROP')).json()

    expect(statuses).toEqual([200, 200, 200, 200, 400, 400, 400, 400, 404, 404])
    expect(survivors.items.map((item: { potentialname: string }) => item.potentialname)).toEqual(["O'Brien; DROP TABLE potentials; --"])
  })

  it('stores script in labels and values as plain text', async () => {
    const { call } = await createTestApp()
    const script = '<img src=x onerror=alert(1)><script>alert(2)</script>'
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput({ potentialname: script }))).json()
    const changed = await call('PUT', '/api/modules/potentials', { baseVersion: 1, operations: [{ op: 'addField', label: script, kind: 'text' }] })
    const definition = (await (await call('GET', '/api/modules/potentials')).json()).definition

    expect(created.potentialname).toBe(script)
    expect(changed.status).toBe(200)
    expect(Object.keys(definition.record.properties).find((name) => name.startsWith('cf_img'))).toMatch(/^cf_[a-z0-9_]+$/)
  })

  it('answers malformed JSON, wrong body types and malformed multipart with 4xx', async () => {
    const { call } = await createTestApp()
    const responses = [
      await call('POST', '/api/modules/potentials/records', '[1,2,3]'),
      await call('POST', '/api/modules/potentials/records', 'null'),
      await call('POST', '/api/modules/potentials/records', '{"a":'),
      await call('PUT', '/api/modules/potentials', '{"baseVersion":"1","definition":7}'),
      await call('POST', '/api/modules/potentials/import', '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nbroken', { 'content-type': 'multipart/form-data; boundary=y' }),
      await call('POST', '/api/modules/potentials/import', 'not multipart', { 'content-type': 'text/plain' }),
      await call('GET', '/api/modules/potentials/records/1e3'),
      await call('GET', '/api/modules/potentials/records?limit=-1'),
    ]

    expect(responses.map((response) => response.status)).toEqual([400, 400, 400, 422, 400, 400, 400, 400])
  })

  it('sends security headers with a Content-Security-Policy and no framing or sniffing', async () => {
    const { app } = await createTestApp()
    const response = await app.request('/api/health')

    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})

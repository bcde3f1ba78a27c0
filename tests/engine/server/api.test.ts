import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../helpers/create-test-app.ts'
import { potentialInput } from '../../helpers/create-test-engine.ts'

describe('HTTP API', () => {
  it('answers health without a session and refuses other routes without one', async () => {
    const { app } = await createTestApp()
    const health = await app.request('/api/health')
    const modules = await app.request('/api/modules')

    expect([health.status, await health.json()]).toEqual([200, { ok: true }])
    expect(modules.status).toBe(401)
    expect(await modules.json()).toMatchObject({ error: { code: 'AUTH_REQUIRED' } })
  })

  it('refuses a wrong password without saying which half was wrong', async () => {
    const { app } = await createTestApp()
    const wrongPassword = await app.request('/api/session', { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'nope' }) })
    const wrongUser = await app.request('/api/session', { method: 'POST', body: JSON.stringify({ username: 'nobody', password: 'nope' }) })

    expect([wrongPassword.status, wrongUser.status]).toEqual([401, 401])
    expect((await wrongPassword.json()).error.message).toBe((await wrongUser.json()).error.message)
  })

  it('refuses a state-changing request without the CSRF header', async () => {
    const { call } = await createTestApp()
    const response = await call('POST', '/api/modules/potentials/records', potentialInput(), { 'x-requested-with': '' })

    expect(response.status).toBe(403)
  })

  it('lists modules and serves a live definition with its version', async () => {
    const { call } = await createTestApp()
    const modules = await (await call('GET', '/api/modules')).json()
    const potentials = await (await call('GET', '/api/modules/potentials')).json()

    expect(modules.items.map((item: { name: string }) => item.name)).toEqual(expect.arrayContaining(['accounts', 'campaigns', 'contacts', 'potentials', 'products', 'users']))
    expect(potentials).toMatchObject({ name: 'potentials', version: 1, definition: { name: 'potentials' } })
  })

  it('refuses an invalid potential with 422 and one issue per field, and creates a valid one for the caller', async () => {
    const { call, user } = await createTestApp('user')
    const refused = await call('POST', '/api/modules/potentials/records', { probability: 150, sales_stage: 'Unknown' })
    const created = await call('POST', '/api/modules/potentials/records', potentialInput())
    const body = await refused.json()

    expect(refused.status).toBe(422)
    expect(body.error.code).toBe('RECORD_INVALID')
    expect(body.error.details.issues.map((issue: { field: string }) => issue.field).sort()).toEqual(['closingdate', 'potentialname', 'probability', 'sales_stage'])
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
    expect(created.status).toBe(201)
    expect((await created.json()).assigned_user_id).toBe(user.id)
  })

  it('updates with If-Match and answers 412 with the stored record when stale', async () => {
    const { call } = await createTestApp()
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput())).json()
    const updated = await call('PATCH', `/api/modules/potentials/records/${created.id}`, { amount: 10 }, { 'if-match': '"1"' })
    const stale = await call('PATCH', `/api/modules/potentials/records/${created.id}`, { amount: 20 }, { 'if-match': '1' })

    expect(updated.status).toBe(200)
    expect(stale.status).toBe(412)
    expect((await stale.json()).error.details.current).toMatchObject({ amount: 10, version: 2 })
  })

  it('lists with filter, sort and paging, and answers 400 for a filter on a non-field', async () => {
    const { call } = await createTestApp()
    for (const amount of [5, 50, 500]) await call('POST', '/api/modules/potentials/records', potentialInput({ amount }))
    const list = await (await call('GET', '/api/modules/potentials/records?filter[amount][gte]=50&sort=-amount&limit=1')).json()
    const bad = await call('GET', "/api/modules/potentials/records?filter[amount')--]=1")
    const badField = await call('GET', '/api/modules/potentials/records?sort=secret')

    expect([list.total, list.items.map((item: { amount: number }) => item.amount)]).toEqual([2, [500]])
    expect([bad.status, badField.status]).toEqual([400, 400])
  })

  it('filters a user field by "me", the reader', async () => {
    const { call, user } = await createTestApp('user')
    await call('POST', '/api/modules/potentials/records', potentialInput({ potentialname: 'Mine' }))
    const mine = await (await call('GET', '/api/modules/potentials/records?filter[assigned_user_id]=me')).json()

    expect(mine.items.map((item: { assigned_user_id: number }) => item.assigned_user_id)).toEqual([user.id])
  })

  it('deletes to the recycle bin and answers 404 for a missing record or module', async () => {
    const { call } = await createTestApp()
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput())).json()

    expect((await call('DELETE', `/api/modules/potentials/records/${created.id}`)).status).toBe(204)
    expect((await call('GET', `/api/modules/potentials/records/${created.id}`)).status).toBe(404)
    expect((await call('GET', '/api/modules/planets/records')).status).toBe(404)
  })

  it('serves the relation menu with counts, related lists, link and unlink', async () => {
    const { call } = await createTestApp()
    const account = await (await call('POST', '/api/modules/accounts/records', { accountname: 'Acme' })).json()
    const deal = await (await call('POST', '/api/modules/potentials/records', potentialInput({ related_to: account.id }))).json()
    const contact = await (await call('POST', '/api/modules/contacts/records', { lastname: 'Kim' })).json()
    const linked = await call('PUT', `/api/modules/potentials/records/${deal.id}/related/potentials.contacts/${contact.id}`)
    const menu = await (await call('GET', `/api/modules/accounts/records/${account.id}/relations`)).json()
    const related = await (await call('GET', `/api/modules/contacts/records/${contact.id}/related/potentials.contacts`)).json()
    const unlinked = await call('DELETE', `/api/modules/potentials/records/${deal.id}/related/potentials.contacts/${contact.id}`)

    expect(linked.status).toBe(204)
    expect(menu.items.find((item: { id: string }) => item.id === 'potentials.related_to').count).toBe(1)
    expect(related.items.map((item: { id: number }) => item.id)).toEqual([deal.id])
    expect(unlinked.status).toBe(204)
  })

  it('creates a record linked to another through POST on the related list, or says why not', async () => {
    const { call } = await createTestApp()
    const deal = await (await call('POST', '/api/modules/potentials/records', potentialInput())).json()
    const path = `/api/modules/potentials/records/${deal.id}/related/potentials.contacts`
    const created = await call('POST', path, { firstname: 'Rita', lastname: 'Radar' })
    const refused = await call('POST', path, { firstname: 'Rita' })
    const related = await (await call('GET', path)).json()

    expect(created.status).toBe(201)
    expect((await created.json()).lastname).toBe('Radar')
    expect(refused.status).toBe(422)
    expect((await refused.json()).error.details.issues.map((issue: { field: string }) => issue.field)).toEqual(['lastname'])
    expect(related.items.map((item: { lastname: string }) => item.lastname)).toEqual(['Radar'])
  })

  it('adds a field through PUT without a restart: listed, validated and exported, old values kept', async () => {
    const { call } = await createTestApp()
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput({ amount: 77.7 }))).json()
    const { definition, version } = await (await call('GET', '/api/modules/potentials')).json()
    definition.record.properties.cf_region = { type: 'string', 'x-kind': 'picklist', title: 'Region', enum: ['North', 'South'], 'x-list': true }
    definition.layout.blocks[0].fields.push('cf_region')

    const plan = await (await call('POST', '/api/modules/potentials/plan', { baseVersion: version, definition })).json()
    const applied = await call('PUT', '/api/modules/potentials', { baseVersion: version, definition })
    const stale = await call('PUT', '/api/modules/potentials', { baseVersion: version, definition })
    const invalid = await call('PATCH', `/api/modules/potentials/records/${created.id}`, { cf_region: 'East' })
    const valid = await (await call('PATCH', `/api/modules/potentials/records/${created.id}`, { cf_region: 'North' })).json()
    const exported = await (await call('GET', '/api/modules/potentials/export?fields=potentialname,amount,cf_region')).text()
    const types = await (await call('GET', '/api/modules/potentials/types.ts')).text()

    expect(plan.steps).toEqual([expect.objectContaining({ kind: 'add-field', field: 'cf_region' })])
    expect([applied.status, stale.status, invalid.status]).toEqual([200, 409, 422])
    expect(valid).toMatchObject({ amount: 77.7, cf_region: 'North' })
    expect(exported.split(/\r?\n/)[0]).toBe('Potential Name,Amount,Region')
    expect(exported).toContain('77.70,North')
    expect(types).toContain('cf_region')
  })

  it('exports the lossless and excel flavours through the API, and names an unknown flavour', async () => {
    const { call } = await createTestApp()
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput({ potentialname: '=Fleet', amount: 77.7 }))).json()
    const lossless = await call('GET', '/api/modules/potentials/export?flavour=lossless&fields=potentialname,amount')
    const excel = await (await call('GET', '/api/modules/potentials/export?flavour=excel&fields=potentialname,amount')).text()
    const unknown = await call('GET', '/api/modules/potentials/export?flavour=xlsx')

    expect(lossless.headers.get('content-disposition')).toContain('potentials-lossless.csv')
    expect((await lossless.text()).split('\r\n').slice(0, 2)).toEqual(['Record ID,Potential Name,Amount', `${created.id},=Fleet,77.70`])
    expect(excel.split('\r\n')[1]).toBe(`'=Fleet;77,70`)
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error.message).toContain('flavour "xlsx" is unknown')
  })

  it('lets only admins change definitions', async () => {
    const { call } = await createTestApp('user')
    const { definition, version } = await (await call('GET', '/api/modules/potentials')).json()

    expect((await call('PUT', '/api/modules/potentials', { baseVersion: version, definition })).status).toBe(403)
  })

  it('answers malformed JSON with 400 and an oversized body with 413, never 500', async () => {
    const { call } = await createTestApp()
    const malformed = await call('POST', '/api/modules/potentials/records', '{"potentialname": ')
    const oversized = await call('POST', '/api/modules/potentials/records', JSON.stringify({ description: 'x'.repeat(3 * 1024 * 1024) }))

    expect([malformed.status, (await malformed.json()).error.code]).toEqual([400, 'BAD_REQUEST'])
    expect(oversized.status).toBe(413)
  })
})

import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../helpers/create-test-app.ts'

describe('saved views', () => {
  it('saves views per user, shares them on request, and refuses names that are not fields', async () => {
    const { call, login, app } = await createTestApp()
    const query = { q: 'fleet', filters: [{ field: 'sales_stage', operator: 'eq', value: 'Prospecting' }], sort: ['-amount'], columns: ['potentialname', 'amount'] }
    const mine = await (await call('POST', '/api/modules/potentials/views', { name: 'My open deals', query })).json()
    const shared = await (await call('POST', '/api/modules/potentials/views', { name: 'Team board', shared: true, query: {} })).json()
    const bad = await call('POST', '/api/modules/potentials/views', { name: 'Bad', query: { sort: ['password_hash'] } })
    const sam = await login('sam.carter', 'sam-pass-123')
    const samViews = await (await app.request('/api/modules/potentials/views', { headers: { cookie: sam } })).json()
    const samDelete = await app.request(`/api/modules/potentials/views/${mine.id}`, { method: 'DELETE', headers: { cookie: sam, 'x-requested-with': 'crm' } })

    expect(mine).toMatchObject({ name: 'My open deals', shared: false, query, broken: [] })
    expect(bad.status).toBe(422)
    expect(samViews.items.map((view: { id: number }) => view.id)).toEqual([shared.id])
    expect(samDelete.status).toBe(404)
    expect((await call('DELETE', `/api/modules/potentials/views/${mine.id}`)).status).toBe(204)
  })

  it('marks a view that names an archived field instead of failing', async () => {
    const { call } = await createTestApp()
    await call('PUT', '/api/modules/potentials', { baseVersion: 1, operations: [{ op: 'addField', name: 'cf_competitor', label: 'Competitor', kind: 'text' }] })
    await call('POST', '/api/modules/potentials/views', { name: 'Against RivalSoft', query: { filters: [{ field: 'cf_competitor', operator: 'eq', value: 'RivalSoft' }] } })
    await call('PUT', '/api/modules/potentials', { baseVersion: 2, operations: [{ op: 'archiveField', field: 'cf_competitor' }] })
    const views = await (await call('GET', '/api/modules/potentials/views')).json()

    expect(views.items[0].broken).toEqual(['cf_competitor'])
  })
})

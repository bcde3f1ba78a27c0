import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../helpers/create-test-app.ts'
import { potentialInput } from '../../helpers/create-test-engine.ts'

describe('definition routes', () => {
  it('applies Layout Editor operations, lists versions, diffs and restores them', async () => {
    const { call } = await createTestApp()
    const created = await (await call('POST', '/api/modules/potentials/records', potentialInput())).json()
    const operations = [{ op: 'addField', label: 'Competitor', kind: 'text', properties: { 'x-list': true } }]

    const planned = await (await call('POST', '/api/modules/potentials/plan', { baseVersion: 1, operations })).json()
    const applied = await (await call('PUT', '/api/modules/potentials', { baseVersion: 1, operations })).json()
    await call('PATCH', `/api/modules/potentials/records/${created.id}`, { cf_competitor: 'RivalSoft' })
    const relabel = await call('PUT', '/api/modules/potentials', { baseVersion: 2, operations: [{ op: 'updateField', field: 'cf_competitor', properties: { title: 'Main competitor' } }] })
    const versions = await (await call('GET', '/api/modules/potentials/versions')).json()
    const diff = await (await call('GET', '/api/modules/potentials/versions/diff?from=2&to=3')).json()
    const exported = await (await call('GET', '/api/modules/potentials/versions/1')).json()
    const restorePlan = await (await call('POST', '/api/modules/potentials/versions/1/restore?dryRun=1', { baseVersion: 3 })).json()
    const restored = await (await call('POST', '/api/modules/potentials/versions/1/restore', { baseVersion: 3 })).json()
    const record = await (await call('GET', `/api/modules/potentials/records/${created.id}`)).json()

    expect(planned.steps).toEqual([expect.objectContaining({ kind: 'add-field', field: 'cf_competitor' })])
    expect([applied.version, relabel.status]).toEqual([2, 200])
    expect(versions.items.map((item: { version: number }) => item.version)).toEqual([1, 2, 3])
    expect(diff.changes).toEqual([{ path: '/record/properties/cf_competitor/title', change: 'changed', before: 'Competitor', after: 'Main competitor' }])
    expect(exported.definition.record.properties.cf_competitor).toBeUndefined()
    expect(restorePlan.issues).toEqual([])
    expect(restored.version).toBe(4)
    expect(restored.definition.record.properties.cf_competitor['x-archived']).toBe(true)
    expect(record).not.toHaveProperty('cf_competitor')
  })

  it('answers 404 for a version that does not exist, and plans nothing for restoring the live one', async () => {
    const { call } = await createTestApp()
    const missing = await call('GET', '/api/modules/potentials/versions/diff?from=1&to=9')
    const same = await (await call('POST', '/api/modules/potentials/versions/1/restore?dryRun=1', { baseVersion: 1 })).json()

    expect([missing.status, (await missing.json()).error.code]).toEqual([404, 'VERSION_NOT_FOUND'])
    expect(same.steps).toEqual([{ kind: 'metadata', description: 'nothing to change' }])
  })

  it('answers 422 with the plan preview when a kind change would lose values', async () => {
    const { call } = await createTestApp()
    await call('PUT', '/api/modules/potentials', { baseVersion: 1, operations: [{ op: 'addField', name: 'cf_budget', label: 'Budget', kind: 'text' }] })
    await call('POST', '/api/modules/potentials/records', potentialInput({ cf_budget: 'approx 5k' }))
    const refused = await call('PUT', '/api/modules/potentials', { baseVersion: 2, operations: [{ op: 'changeKind', field: 'cf_budget', kind: 'currency' }] })
    const body = await refused.json()

    expect(refused.status).toBe(422)
    expect(body.error.code).toBe('SCHEMA_CHANGE_UNSAFE')
    expect(body.error.details.preview.cf_budget.failing).toEqual([expect.objectContaining({ value: 'approx 5k' })])
  })

  it('imports a module definition as a new module on this instance', async () => {
    const { call } = await createTestApp()
    const definition = {
      name: 'vendors',
      label: { singular: 'Vendor', plural: 'Vendors' },
      recordTitle: 'vendorname',
      record: { type: 'object', required: ['vendorname'], properties: { vendorname: { type: 'string', 'x-kind': 'text', title: 'Vendor Name', 'x-list': true } } },
      layout: { blocks: [{ id: 'main', label: 'Vendor', fields: ['vendorname'] }] },
    }
    const created = await call('PUT', '/api/modules/vendors', { baseVersion: 0, definition })
    const record = await call('POST', '/api/modules/vendors/records', { vendorname: 'Paper Ltd' })

    expect([created.status, record.status]).toEqual([200, 201])
    expect((await (await call('GET', '/api/modules')).json()).items.map((item: { name: string }) => item.name)).toContain('vendors')
  })

  it('serves an OpenAPI 3.1 document that follows the live definitions', async () => {
    const { call } = await createTestApp()
    await call('PUT', '/api/modules/potentials', { baseVersion: 1, operations: [{ op: 'addField', label: 'Region', kind: 'text' }, { op: 'updateField', field: 'amount', properties: { title: 'Deal Value' } }] })
    const document = await (await call('GET', '/api/openapi.json')).json()

    expect(document.openapi).toBe('3.1.0')
    expect(document.components.schemas.PotentialInput.properties.cf_region).toMatchObject({ title: 'Region' })
    expect(document.components.schemas.PotentialRecord.properties.amount.title).toBe('Deal Value')
    expect(document.paths['/api/modules/potentials/records/{id}'].patch).toBeDefined()
  })
})

import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../helpers/create-test-app.ts'

const dialog = {
  createPotential: true,
  potential: { sales_stage: 'Qualification', closingdate: '2026-09-30' },
}

describe('leadRoutes', () => {
  it('previews and converts a lead over HTTP, then refuses a second conversion and edits by non-admins', async () => {
    const t = await createTestApp('user')
    const admin = await t.login('admin', 'admin-pass-123')
    const created = await t.call('POST', '/api/modules/leads/records', {
      lastname: 'Ferreira',
      email: 'it@example.org',
      company: 'Brand New Ltd',
      leadsource: 'Web Site',
    })
    const lead = (await created.json()) as { id: number }
    const preview = await t.call(
      'POST',
      `/api/modules/leads/records/${lead.id}/convert/preview`,
      dialog,
    )
    const plan = (await preview.json()) as {
      ok: boolean
      targets: { name: string; action: string }[]
      rule: string
    }
    const converted = await t.call('POST', `/api/modules/leads/records/${lead.id}/convert`, dialog)
    const result = (await converted.json()) as {
      lead: Record<string, unknown>
      records: Record<string, { id: number; action: string }>
    }

    expect(created.status).toBe(201)
    expect([preview.status, plan.ok, plan.targets.map((target) => target.action)]).toEqual([
      200,
      true,
      ['create', 'create', 'create'],
    ])
    expect(converted.status).toBe(200)
    expect(result.lead).toMatchObject({
      converted_account_id: result.records.account.id,
      converted_potential_id: result.records.potential.id,
    })
    expect(
      (await t
        .call('GET', `/api/modules/potentials/records/${result.records.potential.id}`)
        .then((response) => response.json())) as object,
    ).toMatchObject({ probability: 20, related_to: result.records.account.id })

    const again = await t.call('POST', `/api/modules/leads/records/${lead.id}/convert`, dialog)
    const edit = await t.call('PATCH', `/api/modules/leads/records/${lead.id}`, {
      description: 'changed',
    })
    const byAdmin = await t.call(
      'PATCH',
      `/api/modules/leads/records/${lead.id}`,
      { description: 'changed' },
      { cookie: admin },
    )

    expect([
      again.status,
      ((await again.json()) as { error: { code: string } }).error.code,
    ]).toEqual([422, 'CONVERSION_REFUSED'])
    expect([
      edit.status,
      ((await edit.json()) as { error: { message: string } }).error.message,
    ]).toEqual([403, expect.stringContaining('read-only')])
    expect(byAdmin.status).toBe(200)
  })

  it('answers 422 with the issues when a value has no option, 404 for a lead the user cannot see, 400 for a malformed request', async () => {
    const t = await createTestApp('user')
    const admin = await t.login('admin', 'admin-pass-123')
    const mine = (await (
      await t.call('POST', '/api/modules/leads/records', {
        lastname: 'Ito',
        company: 'Third Example KK',
      })
    ).json()) as { id: number }
    const theirs = (await (
      await t.call(
        'POST',
        '/api/modules/leads/records',
        { lastname: 'Other', company: 'Elsewhere' },
        { cookie: admin },
      )
    ).json()) as { id: number }
    const refused = await t.call('POST', `/api/modules/leads/records/${mine.id}/convert`, {
      ...dialog,
      potential: { ...dialog.potential, sales_stage: 'Nearly There' },
    })
    const body = (await refused.json()) as {
      error: { code: string; details: { issues: { field: string }[] } }
    }

    expect([
      refused.status,
      body.error.code,
      body.error.details.issues.map((issue) => issue.field),
    ]).toEqual([422, 'CONVERSION_REFUSED', ['sales_stage']])
    expect(
      (await t
        .call('GET', '/api/modules/accounts/records?filter[accountname]=Third Example KK')
        .then((response) => response.json())) as object,
    ).toMatchObject({ total: 0 })
    expect(
      (await t.call('POST', `/api/modules/leads/records/${theirs.id}/convert/preview`, {})).status,
    ).toBe(404)
    expect(
      (await t.call('POST', `/api/modules/leads/records/${mine.id}/convert`, { createDeal: true }))
        .status,
    ).toBe(400)
    expect(
      (await t.call('POST', '/api/modules/potentials/records/1/convert/preview', {})).status,
    ).toBe(422)
  })

  it('lists the conversion, timeline, comment and document routes in the OpenAPI document', async () => {
    const t = await createTestApp()
    const paths = (
      (await (await t.call('GET', '/api/openapi.json')).json()) as {
        paths: Record<string, unknown>
      }
    ).paths

    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/modules/leads/records/{id}/convert',
        '/api/modules/leads/records/{id}/convert/preview',
        '/api/modules/potentials/records/{id}/timeline',
        '/api/modules/potentials/records/{id}/documents',
        '/api/modules/documents/records/{id}/file',
      ]),
    )
    expect(paths['/api/modules/potentials/records/{id}/convert']).toBeUndefined()
  })
})

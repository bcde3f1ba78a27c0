import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../helpers/create-test-app.ts'

const CSV = 'Deal,Stage,Close,Extra Info\nFleet,Prospecting,2026-12-31,call back\n'

function upload(text: string, fields: Record<string, string>): FormData {
  const form = new FormData()
  form.set('file', new Blob([text]), 'old-crm.csv')
  for (const [name, value] of Object.entries(fields)) form.set(name, value)

  return form
}

describe('/api/modules/:module/import-mappings', () => {
  it('follows picklist values renamed, merged and deleted in the Layout Editor into the value maps and defaults', async () => {
    const app = await createTestApp()
    const options = {
      mapping: { Deal: { field: 'potentialname' }, Stage: { field: 'sales_stage', valueMap: { won: 'Closed Won', lost: 'Closed Lost' } } },
      valueMap: { leadsource: { web: 'Web Site', fair: 'Trade Show', phone: 'Cold Call' } },
      defaults: { leadsource: 'Cold Call' },
    }
    await app.call('PUT', '/api/modules/potentials/import-mappings/Legacy', { options })
    await app.engine.updateDefinition(
      'potentials',
      {
        baseVersion: app.engine.runtime('potentials').version,
        operations: [
          { op: 'renamePicklistValue', field: 'sales_stage', from: 'Closed Won', to: 'Won' },
          { op: 'mergePicklistValues', field: 'leadsource', from: ['Trade Show'], into: 'Web Site' },
          { op: 'deletePicklistValue', field: 'leadsource', value: 'Cold Call', replacement: null },
        ],
      },
      app.admin,
    )
    const followed = (await (await app.call('GET', '/api/modules/potentials/import-mappings/Legacy')).json()).options

    expect(followed.mapping.Stage.valueMap).toEqual({ won: 'Won', lost: 'Closed Lost' })
    expect(followed.valueMap.leadsource).toEqual({ web: 'Web Site', fair: 'Web Site', phone: null })
    expect(followed.defaults ?? {}).not.toHaveProperty('leadsource')
  })

  it('saves a mapping by name, imports with it, follows a field rename, lists and deletes it', async () => {
    const app = await createTestApp()
    await app.engine.updateDefinition(
      'potentials',
      {
        baseVersion: app.engine.runtime('potentials').version,
        operations: [{ op: 'addField', name: 'cf_info', label: 'Info', kind: 'text' }],
      },
      app.admin,
    )
    const options = {
      mapping: {
        Deal: { field: 'potentialname' },
        Stage: { field: 'sales_stage' },
        Close: { field: 'closingdate' },
        cf_info: { column: 'Extra Info' },
      },
      defaults: { cf_info: 'none' },
      dateOrder: 'YMD',
      dryRun: true,
    }
    const saved = await app.call('PUT', '/api/modules/potentials/import-mappings/Old%20CRM', {
      options,
    })

    expect(saved.status).toBe(200)
    expect((await saved.json()).options).not.toHaveProperty('dryRun')
    const checked = await (
      await app.call(
        'POST',
        '/api/modules/potentials/import?dryRun=1',
        upload(CSV, { mappingName: 'Old CRM' }),
      )
    ).json()
    expect(checked.result.preview[0].values).toMatchObject({
      potentialname: { value: 'Fleet' },
      cf_info: { value: 'call back' },
    })

    await app.engine.updateDefinition(
      'potentials',
      {
        baseVersion: app.engine.runtime('potentials').version,
        operations: [{ op: 'renameField', field: 'cf_info', newName: 'cf_notes' }],
      },
      app.admin,
    )
    const renamed = await (
      await app.call('GET', '/api/modules/potentials/import-mappings/Old%20CRM')
    ).json()
    expect(renamed.options.mapping).toHaveProperty('cf_notes', { column: 'Extra Info' })
    expect(renamed.options.defaults).toEqual({ cf_notes: 'none' })
    const again = await (
      await app.call(
        'POST',
        '/api/modules/potentials/import?dryRun=1',
        upload(CSV, { mappingName: 'Old CRM' }),
      )
    ).json()
    expect(again.result.preview[0].values.cf_notes).toMatchObject({ value: 'call back' })

    expect(
      (await (await app.call('GET', '/api/modules/potentials/import-mappings')).json()).items.map(
        (item: { name: string }) => item.name,
      ),
    ).toEqual(['Old CRM'])
    expect(
      (await app.call('DELETE', '/api/modules/potentials/import-mappings/Old%20CRM')).status,
    ).toBe(204)
    expect(
      (await app.call('GET', '/api/modules/potentials/import-mappings/Old%20CRM')).status,
    ).toBe(404)
    const missing = await app.call(
      'POST',
      '/api/modules/potentials/import?dryRun=1',
      upload(CSV, { mappingName: 'Old CRM' }),
    )
    expect(missing.status).toBe(422)
    expect((await missing.json()).error.message).toMatch(/no saved import mapping named "Old CRM"/)
  })

  it('refuses bad options and names in a saved mapping', async () => {
    const app = await createTestApp()
    const bad = await app.call('PUT', '/api/modules/potentials/import-mappings/x', {
      options: { decimalMark: ';' },
    })
    const tooLong = await app.call(
      'PUT',
      `/api/modules/potentials/import-mappings/${'n'.repeat(101)}`,
      { options: {} },
    )

    expect([bad.status, tooLong.status]).toEqual([422, 422])
    expect((await bad.json()).error.message).toMatch(/"decimalMark" cannot be ";"/)
  })
})

import { describe, expect, it } from 'vitest'
import { importJobsOf } from '../../../engine/core/csv/import-job-service.ts'
import { createTestApp, type TestApp } from '../../helpers/create-test-app.ts'

const HEADER = 'Potential Name,Sales Stage,Expected Close Date,Amount'

function upload(name: string, rows: string[]): FormData {
  const form = new FormData()
  form.set('file', new Blob([[HEADER, ...rows].join('\n')]), name)

  return form
}

/** Starts an import as the given session and waits for it, so the next one is not refused as busy. */
async function imported(app: TestApp, cookie: string, name: string, rows: string[], query = '') {
  const response = await app.app.request(`/api/modules/potentials/import${query}`, {
    method: 'POST',
    headers: { cookie, 'x-requested-with': 'crm' },
    body: upload(name, rows),
  })
  const job = await response.json()
  expect(response.status, JSON.stringify(job)).toBeLessThan(300)
  await importJobsOf(app.engine).settled(job.id)

  return job.id as number
}

async function listed(app: TestApp, cookie: string, query = '') {
  const response = await app.app.request(`/api/modules/potentials/imports${query}`, {
    headers: { cookie },
  })

  return { status: response.status, body: await response.json() }
}

describe('GET /api/modules/:module/imports', () => {
  it('lists the module’s jobs newest first, hides other users’ jobs from non-admins, and leaves out dry runs', async () => {
    const app = await createTestApp()
    // A sales manager may import; only an admin sees everyone's jobs.
    await app.engine.records.update('users', app.user.id, { role: 'sales_manager' }, app.admin)
    const admin = await app.login('admin', 'admin-pass-123')
    const sam = await app.login('sam.carter', 'sam-pass-123')
    const first = await imported(app, admin, 'first.csv', ['A,Prospecting,2026-12-31,1'])
    await imported(app, admin, 'checked.csv', ['B,Prospecting,2026-12-31,2'], '?dryRun=1')
    const samsJob = await imported(app, sam, 'sams.csv', ['C,Prospecting,2026-12-31,x'])
    const last = await imported(app, admin, 'last.csv', ['D,Prospecting,2026-12-31,4'])

    const asAdmin = await listed(app, admin)
    expect(asAdmin.status).toBe(200)
    expect(
      asAdmin.body.items.map((job: { id: number; file: { name: string } }) => [job.id, job.file.name]),
    ).toEqual([
      [last, 'last.csv'],
      [samsJob, 'sams.csv'],
      [first, 'first.csv'],
    ])
    expect(asAdmin.body.items[1]).toMatchObject({
      module: 'potentials',
      status: 'finished',
      createdByName: 'Sam Carter',
      progress: { rows: 1, created: 0, refused: 1 },
      canUndo: true,
      canResume: false,
    })
    expect(asAdmin.body.items[0].createdByName).toBe('Administrator')

    const asSam = await listed(app, sam)
    expect(asSam.body.items.map((job: { id: number }) => job.id)).toEqual([samsJob])
    // The ids the list hides stay hidden one by one too.
    expect((await app.app.request(`/api/imports/${first}`, { headers: { cookie: sam } })).status).toBe(404)
  })

  it('keeps to the limit and answers bad limits, unknown modules and anonymous calls with the API’s errors', async () => {
    const app = await createTestApp()
    const admin = await app.login('admin', 'admin-pass-123')
    await imported(app, admin, 'one.csv', ['A,Prospecting,2026-12-31,1'])
    const two = await imported(app, admin, 'two.csv', ['B,Prospecting,2026-12-31,2'])

    expect((await listed(app, admin, '?limit=1')).body.items.map((job: { id: number }) => job.id)).toEqual([two])
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const answer = await listed(app, admin, `?limit=${limit}`)
      expect([limit, answer.status, answer.body.error.code]).toEqual([limit, 400, 'QUERY_INVALID'])
    }
    const unknown = await app.app.request('/api/modules/planets/imports', { headers: { cookie: admin } })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error).toMatchObject({ code: expect.any(String), message: expect.any(String) })
    expect((await app.app.request('/api/modules/potentials/imports')).status).toBe(401)
    // Jobs belong to their module: another module's list is empty.
    expect(await (await app.call('GET', '/api/modules/accounts/imports')).json()).toEqual({ items: [] })
  })
})

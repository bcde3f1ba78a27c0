import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../../engine/core/engine.ts'
import { MAX_FILE_BYTES } from '../../../engine/core/timeline/attach-file.ts'
import { createApp } from '../../../engine/server/app.ts'
import { createLogger } from '../../../engine/server/logger.ts'
import { createTestApp, type TestApp } from '../../helpers/create-test-app.ts'
import { potentialInput } from '../../helpers/create-test-engine.ts'

type Json = Record<string, any>

let t: TestApp
let admin: string
let deal: number
let othersDeal: number

const json = async (response: Response | Promise<Response>) =>
  (await response).json() as Promise<Json>
const upload = (
  name: string,
  bytes: Uint8Array | string,
  type = 'application/pdf',
  fields: Record<string, string> = {},
) => {
  const form = new FormData()
  form.append('file', new File([bytes as BlobPart], name, { type }))
  for (const [key, value] of Object.entries(fields)) form.append(key, value)

  return form
}

/** The logged-in user is a sales rep (own records only); the admin owns another potential. */
beforeAll(async () => {
  t = await createTestApp('user')
  admin = await t.login('admin', 'admin-pass-123')
  deal = (
    await json(
      t.call(
        'POST',
        '/api/modules/potentials/records',
        potentialInput({ potentialname: 'Fleet renewal' }),
      ),
    )
  ).id
  othersDeal = (
    await json(
      t.call(
        'POST',
        '/api/modules/potentials/records',
        potentialInput({ potentialname: 'Not yours' }),
        { cookie: admin },
      ),
    )
  ).id
})

describe('documents', () => {
  it('attaches a file to a record and downloads it as an attachment that is never sniffed', async () => {
    const response = await t.call(
      'POST',
      `/api/modules/potentials/records/${deal}/documents`,
      upload('offer v2.pdf', '%PDF-1.4 offer', 'application/pdf', { notes: 'second offer' }),
    )
    const document = (await response.json()) as Json
    const download = await t.call('GET', `/api/documents/${document.id}/download`)

    expect(response.status).toBe(201)
    expect(document).toMatchObject({
      title: 'offer v2.pdf',
      file_name: 'offer v2.pdf',
      mime_type: 'application/pdf',
      file_size: 14,
      parent_module: 'potentials',
      parent_id: deal,
      notes: 'second offer',
    })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="offer v2.pdf"; filename*=UTF-8''offer%20v2.pdf`,
    )
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(await download.text()).toBe('%PDF-1.4 offer')
  })

  it('never uses a hostile file name as a path and never serves markup as a page', async () => {
    const passwd = await json(
      t.call(
        'POST',
        `/api/modules/potentials/records/${deal}/documents`,
        upload('../../etc/passwd', 'root:x:0:0', 'text/plain'),
      ),
    )
    const script = await json(
      t.call(
        'POST',
        `/api/modules/potentials/records/${deal}/documents`,
        upload('<script>.html', '<script>alert(1)</script>', 'text/html'),
      ),
    )
    const download = await t.call('GET', `/api/documents/${script.id}/download`)

    expect(passwd.file_name).toBe('passwd')
    expect(script).toMatchObject({ file_name: '_script_.html', mime_type: 'text/html' })
    expect(download.headers.get('content-type')).toBe('application/octet-stream')
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="_script_\.html"/,
    )
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('refuses a file over the limit with 413 and a clear message, and an empty file with 422', async () => {
    const justOver = await t.call(
      'POST',
      `/api/modules/potentials/records/${deal}/documents`,
      upload('big.bin', new Uint8Array(MAX_FILE_BYTES + 1)),
    )
    const farOver = await t.call(
      'POST',
      `/api/modules/potentials/records/${deal}/documents`,
      upload('huge.bin', new Uint8Array(MAX_FILE_BYTES + 2 * 1024 * 1024)),
    )
    const empty = await t.call(
      'POST',
      `/api/modules/potentials/records/${deal}/documents`,
      upload('empty.txt', ''),
    )

    expect([justOver.status, ((await justOver.json()) as Json).error]).toEqual([
      413,
      expect.objectContaining({
        code: 'FILE_TOO_LARGE',
        message: expect.stringContaining('at most 20 MB'),
      }),
    ])
    expect([farOver.status, ((await farOver.json()) as Json).error.message]).toEqual([
      413,
      expect.stringContaining('at most 20 MB'),
    ])
    expect(empty.status).toBe(422)
    expect(
      (await json(t.call('GET', '/api/modules/documents/records?filter[file_name]=big.bin'))).total,
    ).toBe(0)
  })

  it('answers 404 for a record or a document the user may not see', async () => {
    const theirs = await json(
      t.call(
        'POST',
        `/api/modules/potentials/records/${othersDeal}/documents`,
        upload('secret.pdf', 'secret'),
        { cookie: admin },
      ),
    )

    expect(
      (
        await t.call(
          'POST',
          `/api/modules/potentials/records/${othersDeal}/documents`,
          upload('a.pdf', 'x'),
        )
      ).status,
    ).toBe(404)
    expect((await t.call('GET', `/api/documents/${theirs.id}/download`)).status).toBe(404)
    expect(
      (await t.call('GET', `/api/documents/${theirs.id}/download`, undefined, { cookie: admin }))
        .status,
    ).toBe(200)
  })
})

describe('comments and activities', () => {
  it('keeps a comment as plain text and refuses an empty one', async () => {
    const response = await t.call('POST', `/api/modules/potentials/records/${deal}/comments`, {
      body: '  <b>Call back</b> on Monday ',
    })

    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({
      body: '<b>Call back</b> on Monday',
      author: { name: 'Sam Carter' },
      module: 'potentials',
      record_id: deal,
    })
    expect(
      (await t.call('POST', `/api/modules/potentials/records/${deal}/comments`, { body: '   ' }))
        .status,
    ).toBe(422)
    expect(
      (
        await t.call('POST', `/api/modules/potentials/records/${othersDeal}/comments`, {
          body: 'hello',
        })
      ).status,
    ).toBe(404)
  })

  it('logs an activity against a record through the records API, checking the parent link', async () => {
    const call = {
      subject: 'Discovery call',
      activity_type: 'Call',
      status: 'Held',
      date_start: '2026-03-02T09:30:00Z',
      duration_minutes: 30,
      parent_module: 'potentials',
      parent_id: deal,
    }
    const created = await t.call('POST', '/api/modules/activities/records', call)
    const hidden = await json(
      t.call('POST', '/api/modules/activities/records', { ...call, parent_id: othersDeal }),
    )
    const unknown = await json(
      t.call('POST', '/api/modules/activities/records', { ...call, parent_module: 'nothing' }),
    )

    expect(created.status).toBe(201)
    expect(hidden.error.details.issues).toEqual([
      expect.objectContaining({ field: 'parent_id', code: 'reference' }),
    ])
    expect(unknown.error.details.issues).toEqual([
      expect.objectContaining({
        field: 'parent_module',
        message: expect.stringContaining('"nothing" is not a module'),
      }),
    ])
  })
})

describe('timeline', () => {
  it('lists comments, activities, documents and changes of a record newest first, paged', async () => {
    await t.call('PATCH', `/api/modules/potentials/records/${deal}`, {
      sales_stage: 'Qualification',
    })
    const all = await json(
      t.call('GET', `/api/modules/potentials/records/${deal}/timeline?limit=100`),
    )
    const items = all.items as Json[]
    const first = await json(
      t.call('GET', `/api/modules/potentials/records/${deal}/timeline?limit=2`),
    )
    const second = await json(
      t.call('GET', `/api/modules/potentials/records/${deal}/timeline?limit=2&offset=2`),
    )

    expect(new Set(items.map((item) => item.kind))).toEqual(
      new Set(['comment', 'activity', 'document', 'change']),
    )
    expect(items.map((item) => item.at)).toEqual([...items.map((item) => item.at)].sort().reverse())
    expect(all.total).toBe(items.length)
    expect([...first.items, ...second.items]).toEqual(items.slice(0, 4))
    expect(items.find((item) => item.kind === 'activity')).toMatchObject({
      title: 'Discovery call',
      at: '2026-03-02T09:30:00.000Z',
      by: { name: 'Sam Carter' },
      link: expect.stringMatching(/^\/api\/modules\/activities\/records\/\d+$/),
    })
    expect(
      items.find((item) => item.kind === 'document' && item.title === 'offer v2.pdf'),
    ).toMatchObject({ body: 'second offer', link: expect.stringMatching(/\/file$/) })
    expect(
      items.find((item) => item.kind === 'change' && item.title.startsWith('Changed')),
    ).toMatchObject({ body: expect.stringContaining('Sales Stage: Prospecting → Qualification') })
  })

  it('answers 404 for a record the user may not see', async () => {
    expect(
      (await t.call('GET', `/api/modules/potentials/records/${othersDeal}/timeline`)).status,
    ).toBe(404)
  })
})

describe('file store on disk', () => {
  const folder = mkdtempSync(join(tmpdir(), 'crm-files-'))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  it('keeps bytes beside the database under random names only', async () => {
    const engine = await createEngine({ databaseUrl: join(folder, 'crm.db') })
    await engine.auth.ensureAdmin('admin', 'admin-pass-123')
    const app = createApp(engine, { logger: createLogger('silent') })
    const login = await app.request('/api/session', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }),
    })
    const headers = {
      cookie: /crm_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0],
      'x-requested-with': 'crm',
    }
    const account = (await (
      await app.request('/api/modules/accounts/records', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ accountname: 'Acme' }),
      })
    ).json()) as Json
    const created = (await (
      await app.request(`/api/modules/accounts/records/${account.id}/documents`, {
        method: 'POST',
        headers,
        body: upload('../../../escape.txt', 'hello', 'text/plain'),
      })
    ).json()) as Json
    const download = await app.request(`/api/documents/${created.id}/download`, { headers })

    expect(readdirSync(folder).filter((name) => !name.startsWith('crm.db'))).toEqual(['files'])
    expect(readdirSync(join(folder, 'files'))).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)])
    expect([created.file_name, await download.text()]).toEqual(['escape.txt', 'hello'])
    await engine.close()
  })
})

import { describe, expect, it } from 'vitest'
import { importJobsOf } from '../../../engine/core/csv/import-job-service.ts'
import { createTestApp, type TestApp } from '../../helpers/create-test-app.ts'

const HEADER = 'Potential Name,Organization Name,Sales Stage,Expected Close Date,Amount'

function upload(
  text: string | Uint8Array<ArrayBuffer>,
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData()
  form.set('file', new Blob([text]), 'deals.csv')
  for (const [name, value] of Object.entries(fields)) form.set(name, value)

  return form
}

async function finished(app: TestApp, id: number) {
  await importJobsOf(app.engine).settled(id)

  return (await app.call('GET', `/api/imports/${id}`)).json()
}

describe('POST /api/modules/:module/import', () => {
  it('answers 202 with a running job, refuses a second import into the module, and reports the result', async () => {
    const app = await createTestApp()
    const rows = [
      HEADER,
      ...Array.from(
        { length: 1200 },
        (_, index) => `Deal ${index},,Prospecting,2026-12-31,${index === 5 ? 'abc' : index}`,
      ),
    ]
    const response = await app.call(
      'POST',
      '/api/modules/potentials/import',
      upload(rows.join('\n'), { options: JSON.stringify({ batchSize: 300 }) }),
    )
    const job = await response.json()

    expect(response.status).toBe(202)
    expect(job).toMatchObject({
      status: 'running',
      file: { name: 'deals.csv' },
      progress: { totalBytes: expect.any(Number) },
    })
    const second = await app.call('POST', '/api/modules/potentials/import', upload(rows.join('\n')))
    expect(second.status).toBe(409)
    expect((await second.json()).error).toMatchObject({
      code: 'IMPORT_BUSY',
      message: expect.stringContaining(`job ${job.id}`),
    })

    const done = await finished(app, job.id)
    expect(done).toMatchObject({
      status: 'finished',
      canUndo: true,
      progress: { rows: 1200, created: 1199, refused: 1, lastLine: 1201 },
    })
    expect(done.progress.bytesRead).toBe(done.progress.totalBytes)
    expect(done.result.errors).toEqual([
      expect.objectContaining({ row: 7, column: 'Amount', value: 'abc' }),
    ])
    const refused = await app.call('GET', `/api/imports/${job.id}/refused.csv`)
    expect(refused.headers.get('content-type')).toMatch(/text\/csv/)
    expect((await refused.text()).trimEnd().split('\r\n')).toEqual([
      `${HEADER},Import Error`,
      expect.stringMatching(/^Deal 5,,Prospecting,2026-12-31,abc,"line 7: .*not a number/),
    ])
  })

  it('undoes a job, records it created in other modules included', async () => {
    const app = await createTestApp()
    const csv = `${HEADER}\nFleet,Acme Transport,Prospecting,2026-12-31,100\nRenewal,Acme Transport,Prospecting,2026-12-31,200\n`
    const options = JSON.stringify({
      mapping: { 'Organization Name': { field: 'related_to', createMissing: true } },
    })
    const job = await (
      await app.call('POST', '/api/modules/potentials/import', upload(csv, { options }))
    ).json()
    const done = await finished(app, job.id)

    expect(done.progress).toMatchObject({ created: 2, relatedCreated: 1 })
    expect((await app.engine.records.list('accounts', {})).total).toBe(1)
    const undo = await app.call('POST', `/api/imports/${job.id}/undo`)
    expect(undo.status).toBe(202)
    const undone = await finished(app, job.id)

    expect(undone).toMatchObject({
      status: 'undone',
      canUndo: false,
      undo: { removed: 3, restored: 0, skipped: [] },
    })
    expect((await app.engine.records.list('potentials', {})).total).toBe(0)
    expect((await app.engine.records.list('accounts', {})).total).toBe(0)
    expect((await app.call('POST', `/api/imports/${job.id}/undo`)).status).toBe(422)
  })

  it('answers a dry run at once, writing nothing', async () => {
    const app = await createTestApp()
    const response = await app.call(
      'POST',
      '/api/modules/potentials/import?dryRun=1',
      upload(`${HEADER}\nFleet,,Prospecting,31.12.2026,100\n`, { dateOrder: 'DMY' }),
    )
    const body = await response.json()

    expect(response.status).toBe(200)
    expect(body).toMatchObject({
      status: 'finished',
      result: { dryRun: true, counts: { rows: 1, created: 1 } },
    })
    expect(body.result.preview[0].values.closingdate).toEqual({
      raw: '31.12.2026',
      value: '2026-12-31',
    })
    expect(body.result.headers).toEqual(HEADER.split(','))
    expect((await app.engine.records.list('potentials', {})).total).toBe(0)
  })

  it('hides a job from other users and answers unknown jobs with 404', async () => {
    const app = await createTestApp()
    const job = await (
      await app.call('POST', '/api/modules/potentials/import?dryRun=1', upload(`${HEADER}\n`))
    ).json()
    const cookie = await app.login('sam.carter', 'sam-pass-123')
    const asSam = await app.app.request(`/api/imports/${job.id}`, { headers: { cookie } })

    expect(asSam.status).toBe(404)
    expect((await app.call('GET', '/api/imports/9999')).status).toBe(404)
  })

  it('keeps the answer small for a garbage one-line file', async () => {
    const app = await createTestApp()
    const oneCell = await app.call(
      'POST',
      '/api/modules/potentials/import?dryRun=1',
      upload('x'.repeat(3_000_000)),
    )
    const manyColumns = await app.call(
      'POST',
      '/api/modules/potentials/import?dryRun=1',
      upload('a,'.repeat(1_000_000)),
    )
    const longRow = await app.call(
      'POST',
      '/api/modules/potentials/import?dryRun=1',
      upload(`${HEADER}\n"${'y'.repeat(9_000_000)}`),
    )

    expect([oneCell.status, manyColumns.status, longRow.status]).toEqual([200, 422, 422])
    expect((await oneCell.text()).length).toBeLessThan(5_000)
    expect((await manyColumns.json()).error.message).toMatch(/at most 2000/)
    expect((await longRow.json()).error.message).toMatch(/longer than 8 MB/)
  })

  it('answers 413 for a body declared larger than 512 MB and 400 for a body that is not multipart', async () => {
    const app = await createTestApp()
    const tooLarge = await app.app.request('/api/modules/potentials/import', {
      method: 'POST',
      headers: {
        cookie: await app.login('admin', 'admin-pass-123'),
        'x-requested-with': 'crm',
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(600 * 1024 * 1024),
      },
      body: '--x--\r\n',
    })
    const notMultipart = await app.call(
      'POST',
      '/api/modules/potentials/import',
      'Potential Name\nx\n',
      { 'content-type': 'text/csv' },
    )

    expect(tooLarge.status).toBe(413)
    expect((await tooLarge.json()).error.message).toMatch(/larger than 512 MB/)
    expect(notMultipart.status).toBe(400)
  })
})

describe('import options sent by a client', () => {
  const bytes = (...parts: (string | number[])[]) =>
    new Uint8Array(
      parts.flatMap((part) =>
        typeof part === 'string' ? [...new TextEncoder().encode(part)] : part,
      ),
    )
  const dryRun = async (
    app: TestApp,
    file: Uint8Array<ArrayBuffer> | string,
    fields: Record<string, string>,
  ) => app.call('POST', '/api/modules/potentials/import?dryRun=1', upload(file, fields))

  it('reads any spelling of UTF-8 strictly and refuses invalid bytes', async () => {
    const app = await createTestApp()
    const file = bytes(
      'Potential Name,Sales Stage,Expected Close Date\nCaf',
      [0xe9],
      ',Prospecting,2026-12-31\n',
    )
    for (const encoding of ['UTF-8', 'utf8', 'UTF8', 'utf_8']) {
      const response = await dryRun(app, file, { encoding })
      expect(response.status).toBe(422)
      expect((await response.json()).error.message).toMatch(/line 2 is not valid UTF-8/)
    }
  })

  it('reads latin1 and ISO-8859-1 with the Windows-1252 table, so 0x80 is the euro sign', async () => {
    const app = await createTestApp()
    const file = bytes(
      'Potential Name,Sales Stage,Expected Close Date\n',
      [0x80],
      ' Deal ',
      [0x96],
      ' A,Prospecting,2026-12-31\n',
    )
    for (const encoding of ['latin1', 'ISO-8859-1', 'iso88591', 'l1', 'cp1252', 'Windows-1252']) {
      const body = await (await dryRun(app, file, { encoding })).json()
      expect([
        encoding,
        body.result.encoding,
        body.result.preview[0].values.potentialname.value,
      ]).toEqual([encoding, 'windows-1252', '€ Deal – A'])
    }
  })

  it('refuses unknown encodings and bad option values with 422 naming the option and its values', async () => {
    const app = await createTestApp()
    const cases: [Record<string, string>, RegExp][] = [
      [
        { encoding: 'klingon' },
        /"encoding" cannot be "klingon"; use auto, utf-8, windows-1252 \(cp1252\), iso-8859-1 \(latin1\)/,
      ],
      [{ decimalMark: 'x' }, /"decimalMark" cannot be "x"; use ".", ","/],
      [{ dateOrder: 'bogus' }, /"dateOrder" cannot be "bogus"; use "YMD", "DMY", "MDY"/],
      [{ delimiter: 'xx' }, /"delimiter" cannot be "xx"; use ",", ";", "\\t", "\|"/],
    ]
    for (const [fields, message] of cases) {
      const response = await dryRun(app, 'Potential Name\nx\n', fields)
      expect(response.status).toBe(422)
      expect((await response.json()).error).toMatchObject({
        code: 'CSV_INVALID',
        message: expect.stringMatching(message),
        details: { option: Object.keys(fields)[0] },
      })
    }
  })

  it('names the chosen date order once in the date error', async () => {
    const app = await createTestApp()
    const ymd = await (
      await dryRun(
        app,
        'Potential Name,Sales Stage,Expected Close Date\nx,Prospecting,31/12/2026\n',
        {},
      )
    ).json()
    const dmy = await (
      await dryRun(
        app,
        'Potential Name,Sales Stage,Expected Close Date\nx,Prospecting,31/13/2026\n',
        { dateOrder: 'DMY' },
      )
    ).json()

    expect(ymd.result.errors[0].message).toMatch(/is not a real date in YYYY-MM-DD$/)
    expect(dmy.result.errors[0].message).toMatch(
      /is not a real date in DD\.MM\.YYYY or YYYY-MM-DD$/,
    )
  })
})

import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { importJobsOf } from '../../../../engine/core/csv/import-job-service.ts'
import { createEngine } from '../../../../engine/core/engine.ts'

const folder = mkdtempSync(join(tmpdir(), 'crm-import-failed-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

function upload(folderOfUploads: string, name: string, text: string) {
  mkdirSync(folderOfUploads, { recursive: true })
  const path = join(folderOfUploads, name)
  writeFileSync(path, text)

  return { path, name, bytes: statSync(path).size }
}

const deals = (count: number) =>
  ['Potential Name,Sales Stage,Expected Close Date,Amount', ...Array.from({ length: count }, (_, index) => `Deal ${index + 1},Prospecting,2026-12-31,${index + 1}`)].join('\r\n') + '\r\n'

describe('an import job that fails for another reason than its file', () => {
  it('keeps its committed batches and its upload, and resumes after the last one once the cause is gone', async () => {
    const engine = await createEngine({ databaseUrl: join(folder, 'crm.db') })
    const admin = { id: 1, isAdmin: true }
    await engine.auth.ensureAdmin('admin', 'admin-pass-123')
    const jobs = importJobsOf(engine)
    // A real failure of the database half-way (as a full disk would fail a write): inserts past
    // the 1,000th potential abort until the trigger is dropped.
    await engine.db.write((trx) =>
      sql`create trigger stop_at_1000 before insert on potentials when (select count(*) from potentials) >= 1000 begin select raise(abort, 'database or disk is full'); end`.execute(trx),
    )
    const file = upload(jobs.uploadFolder, 'failing.csv', deals(2500))
    const started = await jobs.start('potentials', file, { batchSize: 500 }, admin)
    await jobs.settled(started.id)
    const failed = await jobs.get(started.id, admin)

    expect(failed.status).toBe('failed')
    expect(failed.error?.message).toContain('database or disk is full')
    expect(failed.canResume).toBe(true)
    expect(failed.progress.lastLine).toBe(1001)
    expect((await engine.records.list('potentials', { limit: 1 })).total).toBe(1000)
    expect(existsSync(file.path)).toBe(true)

    await engine.db.write((trx) => sql`drop trigger stop_at_1000`.execute(trx))
    await jobs.resume(started.id, admin)
    await jobs.settled(started.id)
    const finished = await jobs.get(started.id, admin)

    expect(finished.status).toBe('finished')
    expect(finished.result?.counts).toMatchObject({ rows: 2500, created: 2500, refused: 0 })
    const names = (await engine.db.read((db) => db.selectFrom('potentials').select('potentialname').orderBy('id').execute())).map((row) => row.potentialname)
    expect(names).toEqual(Array.from({ length: 2500 }, (_, index) => `Deal ${index + 1}`))
    expect(existsSync(file.path)).toBe(false)
    await engine.close()
  })

  it('cannot resume a job whose file was at fault (invalid UTF-8 half-way), and its upload is removed', async () => {
    const engine = await createEngine({ databaseUrl: join(folder, 'crm-file.db') })
    const admin = { id: 1, isAdmin: true }
    await engine.auth.ensureAdmin('admin', 'admin-pass-123')
    const jobs = importJobsOf(engine)
    const text = deals(2500).replace('Deal 1800,', 'Deal \u00ff1800,')
    mkdirSync(jobs.uploadFolder, { recursive: true })
    const path = join(jobs.uploadFolder, 'broken.csv')
    // Latin-1 bytes for the one accented row: not UTF-8, which the job was told to read strictly.
    writeFileSync(path, Buffer.from(text, 'latin1'))
    const started = await jobs.start('potentials', { path, name: 'broken.csv', bytes: statSync(path).size }, { batchSize: 500, encoding: 'utf-8' }, admin)
    await jobs.settled(started.id)
    const failed = await jobs.get(started.id, admin)

    expect(failed.status).toBe('failed')
    expect(failed.error?.code).toBe('CSV_INVALID')
    expect(failed.canResume).toBe(false)
    expect(existsSync(path)).toBe(false)
    await expect(jobs.resume(started.id, admin)).rejects.toThrow(/only an interrupted job, or one that failed for another reason than its file/)
    await engine.close()
  })
})

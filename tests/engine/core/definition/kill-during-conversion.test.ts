import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../../../engine/core/engine.ts'

const ROWS = 60_000
const folder = mkdtempSync(join(tmpdir(), 'crm-kill-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('a kind change killed half-way', () => {
  it('leaves the previous version and every value exactly as they were', async () => {
    const databaseUrl = join(folder, 'crm.db')
    const setup = await createEngine({ databaseUrl })
    const { user: admin } = await setup.auth.ensureAdmin('admin', 'admin-pass-123')
    await setup.updateDefinition('potentials', { baseVersion: 1, operations: [{ op: 'addField', name: 'cf_score', label: 'Score', kind: 'text' }] }, admin)
    await setup.db.write(async (trx) => {
      const now = new Date().toISOString()
      for (let start = 0; start < ROWS; start += 2000) {
        const rows = Array.from({ length: 2000 }, (_, index) => ({
          potentialname: `Deal ${start + index}`, closingdate: '2026-12-31', sales_stage: 'Prospecting', assigned_user_id: 1,
          cf_score: String((start + index) / 4), created_at: now, updated_at: now, version: 1,
        }))
        await trx.insertInto('potentials').values(rows).execute()
      }
    })
    await setup.close()

    const child = spawn(process.execPath, ['--import', 'tsx', new URL('../../../helpers/convert-in-child.ts', import.meta.url).pathname, databaseUrl], { stdio: ['ignore', 'pipe', 'pipe'] })
    const outcome = await new Promise<string>((resolve) => {
      let output = ''
      child.stdout.on('data', (chunk) => {
        output += String(chunk)
        // Kill as soon as the conversion is under way but not finished.
        if (/progress \d+/.test(output) && !output.includes('finished')) child.kill('SIGKILL')
      })
      child.on('exit', (code, signal) => resolve(`${signal ?? code} ${output.split('\n').filter(Boolean).at(-1)}`))
    })
    expect(outcome).toMatch(/^SIGKILL progress/)

    const reopened = await createEngine({ databaseUrl })
    const runtime = reopened.runtime('potentials')
    const stored = await reopened.db.read((db) =>
      db.selectFrom('potentials').select([sql<number>`count(*)`.as('rows'), sql<number>`sum(cast(cf_score as real) * 4 = id - 1)`.as('intact')]).executeTakeFirstOrThrow(),
    )
    const columns = await reopened.db.read((db) => sql<{ name: string }>`select name from pragma_table_info('potentials')`.execute(db))

    expect([runtime.version, runtime.fields.get('cf_score')?.['x-kind']]).toEqual([2, 'text'])
    expect([Number(stored.rows), Number(stored.intact)]).toEqual([ROWS, ROWS])
    expect(columns.rows.map((column) => column.name).filter((name) => name.startsWith('_'))).toEqual([])
    await reopened.close()
  })
})

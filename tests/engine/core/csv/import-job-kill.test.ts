import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importJobsOf } from '../../../../engine/core/csv/import-job-service.ts'
import { createEngine } from '../../../../engine/core/engine.ts'

const ROWS = 20_000
const folder = mkdtempSync(join(tmpdir(), 'crm-import-kill-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** Rows 1000, 2000, ... have a bad amount, so refused rows are committed with their batches too. */
function writeDeals(path: string): void {
  const lines = ['Potential Name,Sales Stage,Expected Close Date,Amount']
  for (let index = 1; index <= ROWS; index++) {
    lines.push(`Deal ${index},Prospecting,2026-12-31,${index % 1000 === 0 ? 'n/a' : index}`)
  }
  writeFileSync(path, `${lines.join('\r\n')}\r\n`)
}

describe('importJobsOf: an import killed half-way', () => {
  it('keeps whole batches, shows the job interrupted at its last committed row, resumes and undoes', async () => {
    const databaseUrl = join(folder, 'crm.db')
    const csv = join(folder, 'deals.csv')
    writeDeals(csv)
    const setup = await createEngine({ databaseUrl })
    await setup.auth.ensureAdmin('admin', 'admin-pass-123')
    await setup.close()

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('../../../helpers/import-in-child.ts', import.meta.url).pathname,
        databaseUrl,
        csv,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const outcome = await new Promise<string>((resolve) => {
      let output = ''
      child.stdout.on('data', (chunk) => {
        output += String(chunk)
        const committed = Math.max(
          0,
          ...[...output.matchAll(/committed (\d+)/g)].map((match) => Number(match[1])),
        )
        // Kill once a few batches are in but well before the end.
        if (committed >= 3000 && !output.includes('finished')) child.kill('SIGKILL')
      })
      child.on('exit', (code, signal) =>
        resolve(`${signal ?? code} ${output.includes('finished') ? 'finished' : ''}`),
      )
    })
    expect(outcome).toBe('SIGKILL ')

    const engine = await createEngine({ databaseUrl })
    const admin = { id: 1, isAdmin: true }
    const jobs = importJobsOf(engine)
    const stopped = await jobs.get(1, admin)
    const stored = (await engine.records.list('potentials', { limit: 1 })).total
    const lastLine = stopped.progress.lastLine
    const rowsIn = lastLine - 1

    expect(stopped.status).toBe('interrupted')
    expect(stopped.canResume).toBe(true)
    // Whole batches of 500 rows: the records and the job's counts agree with its last line.
    expect(rowsIn % 500).toBe(0)
    expect(rowsIn).toBeLessThan(ROWS)
    expect(stopped.progress).toMatchObject({
      rows: rowsIn,
      created: stored,
      refused: Math.floor(rowsIn / 1000),
    })
    expect(stored).toBe(rowsIn - Math.floor(rowsIn / 1000))

    await jobs.resume(1, admin)
    await jobs.settled(1)
    const resumed = await jobs.get(1, admin)

    expect(resumed.status).toBe('finished')
    expect(resumed.result?.counts).toMatchObject({ rows: ROWS, created: ROWS - 20, refused: 20 })
    expect((await engine.records.list('potentials', { limit: 1 })).total).toBe(ROWS - 20)
    const refused = await jobs.refusedRowsCsv(1, admin)
    let text = ''
    for await (const chunk of refused) text += chunk
    expect(text.trimEnd().split('\r\n')).toHaveLength(21)
    expect(existsSync(join(folder, 'imports', 'upload-kill-test.csv'))).toBe(false)

    await jobs.undo(1, admin)
    await jobs.settled(1)
    expect((await jobs.get(1, admin)).undo).toMatchObject({ removed: ROWS - 20, restored: 0 })
    expect((await engine.records.list('potentials', { limit: 1 })).total).toBe(0)
    await engine.close()
  })
})

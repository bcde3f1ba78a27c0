import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../../engine/core/engine.ts'

const folder = mkdtempSync(join(tmpdir(), 'crm-cli-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const database = join(folder, 'crm.db')
const root = fileURLToPath(new URL('../../../', import.meta.url))

/** Runs `npm run import|export -- ...` as the package script does (tsx on the CLI file). */
function cli(tool: 'import' | 'export', args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, `engine/cli/${tool}.ts`), ...args, '--db', database], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CRM_ADMIN_PASSWORD: 'admin-pass-123' },
  })

  return { code: run.status, out: run.stdout, err: run.stderr }
}

async function potentials(): Promise<string[]> {
  const engine = await createEngine({ databaseUrl: database })
  const names = (await engine.records.list('potentials', { sort: ['id'] })).items.map((item) => String(item.potentialname))
  await engine.close()

  return names
}

describe('npm run import and npm run export', () => {
  it('checks a file without writing, imports it as an undoable job with a progress line and refused rows, exports it and undoes it', async () => {
    const csv = join(folder, 'deals.csv')
    writeFileSync(csv, 'Potential Name;Sales Stage;Expected Close Date;Amount\nFleet;Prospecting;2026-12-31;1.200,50\nBad;Nope;2026-12-31;5\n')

    const dry = cli('import', ['potentials', csv, '--dry-run', '--decimal-mark', ','])
    expect(dry.code).toBe(1)
    expect(JSON.parse(dry.out).counts).toMatchObject({ created: 1, refused: 1 })
    expect(await potentials()).toEqual([])

    const errors = join(folder, 'refused.csv')
    const imported = cli('import', ['potentials', csv, '--decimal-mark', ',', '--errors', errors])
    const outcome = JSON.parse(imported.out)
    expect(imported.code).toBe(1)
    // The dry run was job 1.
    expect(outcome).toMatchObject({ job: 2, status: 'finished', counts: { created: 1, refused: 1 } })
    expect(imported.err).toContain('import job 2 started (undo it with: npm run import -- --undo 2)')
    expect(imported.err).toMatch(/job 2 potentials: \d+ rows read/)
    expect(readFileSync(errors, 'utf8').trim().split(/\r?\n/)).toEqual([
      'Potential Name;Sales Stage;Expected Close Date;Amount;Import Error',
      expect.stringMatching(/^Bad;Nope;2026-12-31;5;"line 3: Sales Stage: ""Nope"" is not a value of Sales Stage/),
    ])
    expect(await potentials()).toEqual(['Fleet'])

    const out = join(folder, 'out.csv')
    const exported = cli('export', ['potentials', '--lossless', '--fields', 'potentialname,amount', '--out', out])
    expect(exported.code).toBe(0)
    expect(readFileSync(out, 'utf8').split('\r\n')).toEqual(['Record ID,Potential Name,Amount', '1,Fleet,1200.50', ''])

    const undone = cli('import', ['--undo', '2'])
    expect(undone.code).toBe(0)
    expect(JSON.parse(undone.out)).toMatchObject({ status: 'undone', undo: { removed: 1 } })
    expect(await potentials()).toEqual([])
    expect(cli('import', ['--undo', '2']).err).toContain('import job 2 is undone; it cannot be undone now')
  }, 120_000)
})

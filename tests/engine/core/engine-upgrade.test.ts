import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine, type EngineEvent } from '../../../engine/core/engine.ts'

const folder = mkdtempSync(join(tmpdir(), 'crm-upgrade-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('createEngine', () => {
  it('installs a shipped module a database made before it existed lacks, and leaves the others as they are', async () => {
    const url = join(folder, 'crm.db')
    const first = await createEngine({ databaseUrl: url })
    const { user: admin } = await first.auth.ensureAdmin('admin', 'admin-pass-123')
    await first.updateDefinition(
      'accounts',
      {
        baseVersion: 1,
        operations: [{ op: 'addField', name: 'cf_region', label: 'Region', kind: 'text' }],
      },
      admin,
    )
    await first.db.write(async (trx) => {
      await trx.deleteFrom('_definitions').where('module', '=', 'leads').execute()
      await trx.schema.dropTable('leads').execute()
    })
    await first.close()
    const events: EngineEvent[] = []
    const second = await createEngine({ databaseUrl: url, onEvent: (event) => events.push(event) })

    expect(events).toEqual([{ type: 'definitions.installed', modules: ['leads'] }])
    expect([
      second.isNew,
      second.runtime('leads').version,
      second.runtime('accounts').fields.has('cf_region'),
    ]).toEqual([false, 1, true])
    await second.close()
  })
})

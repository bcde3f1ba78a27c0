import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine, type EngineEvent } from '../../../engine/core/engine.ts'
import type { ModuleDefinition } from '../../../engine/core/definition/types.ts'
import { createTestEngine, potentialInput } from '../../helpers/create-test-engine.ts'

const folders: string[] = []
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })))

function withField(definition: ModuleDefinition, name: string, field: Record<string, unknown>, required = false): ModuleDefinition {
  const next = structuredClone(definition)
  next.record.properties[name] = field as never
  next.layout.blocks[0].fields.push(name)
  if (required) next.record.required = [...(next.record.required ?? []), name]

  return next
}

describe('createEngine', () => {
  it('adds a field at run time: the column exists at once and every stored value stays', async () => {
    const { engine, admin } = await createTestEngine()
    const before = await engine.records.create('potentials', potentialInput({ amount: 1234.56, nextstep: 'demo' }), admin)
    const definition = withField(engine.runtime('potentials').definition, 'cf_budget', { type: 'number', 'x-kind': 'currency', title: 'Budget', 'x-list': true })

    const plan = await engine.planDefinition('potentials', { baseVersion: 1, definition })
    const live = await engine.updateDefinition('potentials', { baseVersion: 1, definition }, admin)
    const after = await engine.records.update('potentials', before.id, { cf_budget: 99.5 }, admin)

    expect(plan.steps).toEqual([{ kind: 'add-field', field: 'cf_budget', label: 'Budget', columnType: 'integer' }])
    expect(live.version).toBe(2)
    expect(after).toMatchObject({ amount: 1234.56, nextstep: 'demo', cf_budget: 99.5, potential_no: 'POT1' })
    await expect(engine.records.update('potentials', before.id, { cf_budget: 'lots' }, admin)).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ field: 'cf_budget', code: 'type' })] },
    })
    expect((await engine.versions('potentials')).map((version) => [version.version, version.note])).toEqual([
      [1, 'installed'],
      [2, 'add field cf_budget'],
    ])
  })

  it('refuses a stale base version with DEFINITION_STALE and changes nothing', async () => {
    const { engine, admin } = await createTestEngine()
    const base = engine.runtime('potentials').definition
    await engine.updateDefinition('potentials', { baseVersion: 1, definition: withField(base, 'cf_a', { type: 'string', 'x-kind': 'text', title: 'A' }) }, admin)

    await expect(
      engine.updateDefinition('potentials', { baseVersion: 1, definition: withField(base, 'cf_b', { type: 'string', 'x-kind': 'text', title: 'B' }) }, admin),
    ).rejects.toMatchObject({ code: 'DEFINITION_STALE', details: { currentVersion: 2 } })
    expect(engine.runtime('potentials').fields.has('cf_b')).toBe(false)
  })

  it('refuses unsafe changes with reasons and leaves the version as it was', async () => {
    const { engine, admin } = await createTestEngine()
    await engine.records.create('potentials', potentialInput(), admin)
    const base = engine.runtime('potentials').definition
    const mandatoryWithGaps = withField(base, 'cf_region', { type: 'string', 'x-kind': 'text', title: 'Region' }, true)
    const removed = structuredClone(base)
    delete removed.record.properties.nextstep
    removed.layout.blocks[0].fields = removed.layout.blocks[0].fields.filter((name) => name !== 'nextstep')

    await expect(engine.updateDefinition('potentials', { baseVersion: 1, definition: mandatoryWithGaps }, admin)).rejects.toMatchObject({
      code: 'SCHEMA_CHANGE_UNSAFE',
      details: { issues: [expect.objectContaining({ field: 'cf_region', code: 'required-gaps' })] },
    })
    await expect(engine.updateDefinition('potentials', { baseVersion: 1, definition: removed }, admin)).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ field: 'nextstep', code: 'removed' })] },
    })
    expect(engine.runtime('potentials').version).toBe(1)
  })

  it('refuses a broken definition with the JSON path and the rule', async () => {
    const { engine, admin } = await createTestEngine()
    const broken = structuredClone(engine.runtime('potentials').definition) as any
    broken.record.properties.amount['x-kind'] = 'money'

    await expect(engine.updateDefinition('potentials', { baseVersion: 1, definition: broken }, admin)).rejects.toMatchObject({
      code: 'DEFINITION_INVALID',
      details: { issues: [expect.objectContaining({ path: '/record/properties/amount/x-kind', code: 'enum' })] },
    })
  })

  it('only lets admins change definitions', async () => {
    const { engine, user } = await createTestEngine()
    const definition = withField(engine.runtime('potentials').definition, 'cf_a', { type: 'string', 'x-kind': 'text', title: 'A' })

    await expect(engine.updateDefinition('potentials', { baseVersion: 1, definition }, user)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('keeps definitions, versions and records in a file database across restarts', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'crm-engine-'))
    folders.push(folder)
    const databaseUrl = join(folder, 'crm.db')
    const events: EngineEvent[] = []
    const first = await createEngine({ databaseUrl, onEvent: (event) => events.push(event) })
    const { user: admin } = await first.auth.ensureAdmin('admin', 'admin-pass-123')
    const definition = withField(first.runtime('potentials').definition, 'cf_a', { type: 'string', 'x-kind': 'text', title: 'A' })
    await first.updateDefinition('potentials', { baseVersion: 1, definition }, admin)
    await first.records.create('potentials', potentialInput({ cf_a: 'kept' }), admin)
    await first.close()

    const second = await createEngine({ databaseUrl })
    expect(second.isNew).toBe(false)
    expect(second.runtime('potentials').version).toBe(2)
    expect((await second.records.list('potentials', {})).items[0].cf_a).toBe('kept')
    expect(events.map((event) => event.type)).toEqual(['definitions.installed', 'schema.applied'])
    await second.close()
  })
})

import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { listSavedViews, saveView } from '../../../../engine/core/views/saved-views.ts'
import type { ChangeOperation } from '../../../../engine/core/definition/change-operations.ts'
import { createTestEngine, potentialInput, type TestEngine } from '../../../helpers/create-test-engine.ts'

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/layout-cases/${path}`, import.meta.url), 'utf8'))

let t: TestEngine

beforeEach(async () => {
  t = await createTestEngine()
})

async function change(operations: ChangeOperation[]) {
  return t.engine.updateDefinition('potentials', { baseVersion: t.engine.runtime('potentials').version, operations }, t.admin)
}

async function plan(operations: ChangeOperation[]) {
  return t.engine.planDefinition('potentials', { baseVersion: t.engine.runtime('potentials').version, operations })
}

describe('schema evolution: C13 kind change with existing values', () => {
  const before = fixture('C13/before.json')
  const expected = fixture('C13/expected.json')
  const toCurrency: ChangeOperation = { op: 'changeKind', field: 'cf_budget_text', kind: 'currency', properties: { 'x-scale': 2 }, conversion: { decimalMark: ',' } }
  let ids: Record<string, number>

  beforeEach(async () => {
    await change([{ op: 'addField', name: 'cf_budget_text', label: before.field.label, kind: 'text' }])
    ids = {}
    for (const record of before.records) {
      const created = await t.engine.records.create('potentials', potentialInput({ potentialname: record.potentialname, cf_budget_text: record.cf_budget_text }), t.admin)
      ids[record.id] = created.id
    }
  })
  const byCaseId = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([caseId, value]) => [ids[caseId], value]))

  it('previews what converts, what becomes empty and what cannot, before any change', async () => {
    const planned = await plan([toCurrency])
    const preview = planned.preview.cf_budget_text

    expect(preview.convertible).toEqual(byCaseId(expected.preview.convertible))
    expect(preview.empty.sort()).toEqual(expected.preview.emptyBecomesNull.map((id: string) => ids[id]).sort())
    expect(preview.failing.map((item) => [item.id, item.value])).toEqual(Object.entries(expected.preview.notConvertible).map(([id, value]) => [ids[id], value]))
    expect(planned.issues).toEqual([expect.objectContaining({ field: 'cf_budget_text', code: 'conversion-failures' })])
  })

  it('refuses by default while a value cannot convert, and changes nothing', async () => {
    await expect(change([toCurrency])).rejects.toMatchObject({ code: 'SCHEMA_CHANGE_UNSAFE' })
    const stored = await t.engine.records.list('potentials', { sort: ['id'] })

    expect(t.engine.runtime('potentials').fields.get('cf_budget_text')?.['x-kind']).toBe('text')
    expect(stored.items.map((item) => item.cf_budget_text)).toEqual(before.records.map((record: { cf_budget_text: string | null }) => (record.cf_budget_text === '' ? null : record.cf_budget_text)))
  })

  it('clears what cannot convert when asked, keeps the originals, sorts numerically', async () => {
    await change([{ ...toCurrency, conversion: { decimalMark: ',', onFailure: 'clear' } } as ChangeOperation])
    const outcome = expected["apply with 'clear values that cannot be converted, keep a copy'"]
    const sorted = await t.engine.records.list('potentials', { sort: ['-cf_budget_text'] })
    const backup = await t.engine.db.read((db) => db.selectFrom('potentials').select(['id', '_backup_v3_cf_budget_text as original']).orderBy('id').execute())

    expect(Object.fromEntries(sorted.items.map((item) => [item.id, item.cf_budget_text]))).toEqual(
      byCaseId(Object.fromEntries(Object.entries(outcome.values).map(([id, value]) => [id, value === null ? null : Number(value)]))),
    )
    expect(sorted.items.map((item) => item.id)).toEqual(outcome['sortDescending (nulls last)'].map((id: string) => ids[id]))
    expect(backup.find((row) => row.id === ids.r5)?.original).toBe('approx 5k')
    expect((await t.engine.versions('potentials')).at(-1)?.note).toContain('originals in _backup_v3_cf_budget_text')
  })
})

describe('schema evolution: C15 rename and archive a field in use', () => {
  const before = fixture('C15/before.json')

  beforeEach(async () => {
    await change([
      { op: 'addBlock', id: 'deal_details', label: before.field.block },
      { op: 'addField', name: 'cf_competitor', label: before.field.label, kind: 'text', block: 'deal_details', properties: { 'x-list': true } },
    ])
    for (const record of before.records) await t.engine.records.create('potentials', potentialInput({ potentialname: record.potentialname, cf_competitor: record.cf_competitor }), t.admin)
  })
  const values = async (name: string) => (await t.engine.records.list('potentials', { sort: ['id'] })).items.map((item) => item[name])

  it('A: changes only the label', async () => {
    await change([{ op: 'updateField', field: 'cf_competitor', properties: { title: 'Main competitor' } }])

    expect(t.engine.runtime('potentials').fields.get('cf_competitor')?.title).toBe('Main competitor')
    expect(await values('cf_competitor')).toEqual(['RivalSoft', 'BlueHarbor Apps', 'RivalSoft'])
  })

  it('B: renames the column in place, layout follows, the old key is refused loudly', async () => {
    await t.engine.db.write((trx) => saveView(trx, t.engine.runtime('potentials'), t.admin.id, { name: 'Against RivalSoft', query: { filters: [{ field: 'cf_competitor', operator: 'eq', value: 'RivalSoft' }] } }))
    const planned = await plan([{ op: 'renameField', field: 'cf_competitor', newName: 'cf_main_competitor' }])
    expect(planned.uses.cf_competitor).toEqual(['block "Deal details"', 'list columns', '1 saved view(s)'])
    await change([{ op: 'renameField', field: 'cf_competitor', newName: 'cf_main_competitor' }])
    const first = (await t.engine.records.list('potentials', { sort: ['id'] })).items[0]

    expect(planned.steps).toEqual([{ kind: 'rename-field', field: 'cf_competitor', to: 'cf_main_competitor' }])
    const [view] = await t.engine.db.read((db) => listSavedViews(db, t.engine.runtime('potentials'), t.admin.id))
    expect([view.query.filters?.[0].field, view.broken]).toEqual(['cf_main_competitor', []])
    expect(await values('cf_main_competitor')).toEqual(['RivalSoft', 'BlueHarbor Apps', 'RivalSoft'])
    expect(t.engine.runtime('potentials').definition.layout.blocks.find((block) => block.id === 'deal_details')?.fields).toEqual(['cf_main_competitor'])
    expect((await t.engine.records.list('potentials', { filters: [{ field: 'cf_main_competitor', operator: 'eq', value: 'RivalSoft' }] })).total).toBe(2)
    await expect(t.engine.records.update('potentials', first.id, { cf_competitor: 'Other' }, t.admin)).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ field: 'cf_competitor', code: 'unknown-field' })] },
    })
  })

  it('C and D: archiving keeps the values out of sight; restoring brings field, placement and values back', async () => {
    await change([{ op: 'archiveField', field: 'cf_competitor' }])
    const archived = (await t.engine.records.list('potentials', {})).items[0]

    expect(archived).not.toHaveProperty('cf_competitor')
    expect(t.engine.runtime('potentials').definition.layout.blocks.flatMap((block) => block.fields)).not.toContain('cf_competitor')
    await expect(t.engine.records.list('potentials', { filters: [{ field: 'cf_competitor', operator: 'eq', value: 'RivalSoft' }] })).rejects.toMatchObject({ code: 'QUERY_INVALID' })

    await change([{ op: 'restoreField', field: 'cf_competitor' }])
    expect(await values('cf_competitor')).toEqual(['RivalSoft', 'BlueHarbor Apps', 'RivalSoft'])
    expect(t.engine.runtime('potentials').definition.layout.blocks.find((block) => block.id === 'deal_details')?.fields).toEqual(['cf_competitor'])
  })

  it('E: purge drops the values for good; a new field with the same name starts empty', async () => {
    await change([{ op: 'archiveField', field: 'cf_competitor' }])
    await change([
      { op: 'purgeField', field: 'cf_competitor' },
      { op: 'addField', name: 'cf_competitor', label: 'Competitor', kind: 'text', block: 'deal_details' },
    ])

    expect(await values('cf_competitor')).toEqual([null, null, null])
  })

  it('refuses to purge a field that is not archived, and to remove one silently', async () => {
    await expect(change([{ op: 'purgeField', field: 'cf_competitor' }])).rejects.toMatchObject({ code: 'DEFINITION_INVALID' })
  })

  it('refuses to archive a field an expression reads, listing the use', async () => {
    await expect(change([{ op: 'archiveField', field: 'amount' }])).rejects.toMatchObject({
      code: 'DEFINITION_INVALID',
      details: { issues: [expect.objectContaining({ code: 'in-use', message: 'the expression of Forecast Amount' })] },
    })
  })
})

describe('schema evolution: C16 mandatory with gaps in old records', () => {
  const before = fixture('C16/before.json')
  let ids: number[]

  beforeEach(async () => {
    ids = []
    for (const record of before.records) {
      const created = await t.engine.records.create('potentials', potentialInput({ potentialname: record.potentialname, leadsource: record.leadsource, sales_stage: record.sales_stage, amount: Number(record.amount) }), t.admin)
      ids.push(created.id)
    }
  })

  it('reports the records that lack a value before anything changes', async () => {
    const planned = await plan([{ op: 'setRequired', field: 'leadsource', required: true }])

    expect(planned.issues).toEqual([expect.objectContaining({ field: 'leadsource', code: 'required-gaps' })])
    expect(planned.issues[0].message).toMatch(/^2 record\(s\) have no Lead Source \(Cold Storage \(#2\), Pallet Scanners \(#3\)\)/)
  })

  it('variant a: fills the gaps with the chosen value in the same transaction', async () => {
    await change([{ op: 'setRequired', field: 'leadsource', required: true, backfill: 'Other' }])
    const stored = await t.engine.records.list('potentials', { sort: ['id'] })

    expect(stored.items.map((item) => item.leadsource)).toEqual(['Web Site', 'Other', 'Other'])
    expect((await t.engine.records.update('potentials', ids[1], { amount: 950 }, t.admin)).amount).toBe(950)
    await expect(t.engine.records.create('potentials', potentialInput(), t.admin)).rejects.toMatchObject({ details: { issues: [expect.objectContaining({ field: 'leadsource', code: 'required' })] } })
  })

  it('variant b: old records stay readable, but every write must give the value', async () => {
    await change([{ op: 'setRequired', field: 'leadsource', required: true, keepGaps: true }])

    await expect(t.engine.records.update('potentials', ids[1], { amount: 950 }, t.admin)).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ field: 'leadsource', message: 'Lead Source is required' })] },
    })
    expect((await t.engine.records.get('potentials', ids[1])).leadsource).toBeNull()
    expect((await t.engine.records.update('potentials', ids[0], { sales_stage: 'Needs Analysis' }, t.admin)).probability).toBe(25)
  })

  it('variant b: mass update reports 1 updated and 2 failed with reasons; API create and import refuse rows without it', async () => {
    await change([{ op: 'setRequired', field: 'leadsource', required: true, keepGaps: true }])
    const mass = await t.engine.records.massUpdate('potentials', ids, { sales_stage: 'Needs Analysis' }, t.admin)
    const csv = readFileSync(new URL('../../../fixtures/layout-cases/C16/input.csv', import.meta.url))
    const imported = await importCsv(t.engine, 'potentials', csv, {}, t.admin)

    expect(mass.updated).toEqual([ids[0]])
    expect(mass.failed.map((item) => [item.id, item.issues?.[0]?.field])).toEqual([
      [ids[1], 'leadsource'],
      [ids[2], 'leadsource'],
    ])
    await expect(t.engine.records.create('potentials', potentialInput(), t.admin)).rejects.toMatchObject({ code: 'RECORD_INVALID' })
    expect(imported.counts).toMatchObject({ created: 1, refused: 1 })
    expect(imported.errors[0]).toMatchObject({ row: 2, field: 'leadsource' })
    expect((await t.engine.records.list('potentials', { filters: [{ field: 'leadsource', operator: 'empty', value: 'true' }] })).total).toBe(2)
  })

  it('refuses a fill value that is not valid for the field', async () => {
    await expect(change([{ op: 'setRequired', field: 'leadsource', required: true, backfill: '????' }])).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ code: 'backfill' })] },
    })
  })
})

describe('schema evolution: picklists and blocks', () => {
  it('renames, merges and deletes picklist values; records follow', async () => {
    for (const leadsource of ['Cold Call', 'Web Site', 'Trade Show', 'Conference', null]) {
      await t.engine.records.create('potentials', potentialInput({ leadsource }), t.admin)
    }
    await expect(change([{ op: 'deletePicklistValue', field: 'leadsource', value: 'Cold Call', replacement: 'Nope' }])).rejects.toMatchObject({ code: 'DEFINITION_INVALID' })
    await change([
      { op: 'renamePicklistValue', field: 'leadsource', from: 'Web Site', to: 'Website' },
      { op: 'mergePicklistValues', field: 'leadsource', from: ['Conference'], into: 'Trade Show' },
      { op: 'deletePicklistValue', field: 'leadsource', value: 'Cold Call', replacement: 'Other' },
      { op: 'addPicklistValue', field: 'leadsource', value: 'Podcast', position: 0 },
    ])
    const stored = await t.engine.records.list('potentials', { sort: ['id'] })

    expect(stored.items.map((item) => item.leadsource)).toEqual(['Other', 'Website', 'Trade Show', 'Trade Show', null])
    expect(t.engine.runtime('potentials').fields.get('leadsource')?.enum?.slice(0, 3)).toEqual(['Podcast', 'Existing Customer', 'Self Generated'])
  })

  it('refuses to delete a used picklist value without a replacement', async () => {
    await t.engine.records.create('potentials', potentialInput({ leadsource: 'Cold Call' }), t.admin)
    const definition = structuredClone(t.engine.runtime('potentials').definition)
    definition.record.properties.leadsource.enum = definition.record.properties.leadsource.enum!.filter((value) => value !== 'Cold Call')

    await expect(t.engine.updateDefinition('potentials', { baseVersion: 1, definition }, t.admin)).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ code: 'picklist-in-use', message: expect.stringContaining('1 record(s) use "Cold Call"') })] },
    })
  })

  it('sets per-value metadata that the next write uses', async () => {
    await change([{ op: 'setPicklistValueMeta', field: 'sales_stage', value: 'Qualification', meta: { probability: 33, outcome: 'open' } }])

    expect((await t.engine.records.create('potentials', potentialInput({ sales_stage: 'Qualification' }), t.admin)).probability).toBe(33)
  })

  it('adds, renames, reorders and removes blocks and moves fields between them', async () => {
    await change([
      { op: 'addBlock', label: 'Deal details', position: 0 },
      { op: 'moveField', field: 'nextstep', block: 'deal_details', position: 0 },
      { op: 'renameBlock', block: 'deal_details', label: 'Details' },
    ])
    const blocks = t.engine.runtime('potentials').definition.layout.blocks

    expect(blocks.map((block) => [block.id, block.label, block.fields.includes('nextstep')])).toEqual([
      ['deal_details', 'Details', true],
      ['potential_information', 'Potential Information', false],
      ['description_information', 'Description Information', false],
    ])
    await expect(change([{ op: 'removeBlock', block: 'deal_details' }])).rejects.toMatchObject({ code: 'DEFINITION_INVALID' })
    await change([
      { op: 'moveField', field: 'nextstep', block: 'potential_information' },
      { op: 'removeBlock', block: 'deal_details' },
    ])
    expect(t.engine.runtime('potentials').definition.layout.blocks).toHaveLength(2)
  })

  it('derives safe names for labels in any script', async () => {
    await change([
      { op: 'addField', label: 'Größe (m²)', kind: 'decimal' },
      { op: 'addField', label: 'Москва', kind: 'text' },
      { op: 'addField', label: 'Select', kind: 'boolean' },
    ])
    const fields = t.engine.runtime('potentials').fields

    expect(['cf_grosse_m2', 'cf_moskva', 'cf_select'].map((name) => fields.get(name)?.title)).toEqual(['Größe (m²)', 'Москва', 'Select'])
  })

  it('adds a many-to-many relation whose menus follow on both sides', async () => {
    await change([{ op: 'addRelation', module: 'campaigns', label: 'Campaigns', inverseLabel: 'Potentials' }])
    const deal = await t.engine.records.create('potentials', potentialInput(), t.admin)
    const campaign = await t.engine.records.create('campaigns', { campaignname: 'Spring' }, t.admin)
    await t.engine.relations.link('campaigns', campaign.id, 'potentials.campaigns', deal.id, t.admin)

    expect((await t.engine.relations.menu('campaigns', campaign.id)).find((item) => item.id === 'potentials.campaigns')?.count).toBe(1)
  })
})

describe('schema evolution: stricter rules and no-op changes', () => {
  it('lists the records a shorter maximum length would lock, and changes nothing', async () => {
    await t.engine.records.create('potentials', potentialInput({ potentialname: 'Printer Fleet Renewal' }), t.admin)
    await t.engine.records.create('potentials', potentialInput({ potentialname: 'Desk' }), t.admin)
    const planned = await plan([{ op: 'updateField', field: 'potentialname', properties: { maxLength: 5 } }])

    expect(planned.issues).toEqual([expect.objectContaining({ field: 'potentialname', code: 'constraint-violations', message: expect.stringMatching(/^1 record\(s\) hold values of Potential Name/) })])
    expect(planned.preview.potentialname.failing.map((item) => item.value)).toEqual(['Printer Fleet Renewal'])
    await expect(change([{ op: 'updateField', field: 'potentialname', properties: { maxLength: 5 } }])).rejects.toMatchObject({ code: 'SCHEMA_CHANGE_UNSAFE' })
  })

  it('creates no version for a change that changes nothing', async () => {
    const live = await change([])

    expect(live.version).toBe(1)
    expect((await t.engine.versions('potentials')).length).toBe(1)
  })

  it('gives text fields added by the editor a length limit', async () => {
    await change([{ op: 'addField', label: 'Region', kind: 'text' }])

    expect(t.engine.runtime('potentials').fields.get('cf_region')?.maxLength).toBe(255)
  })
})

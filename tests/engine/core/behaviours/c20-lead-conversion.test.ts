import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { convertLead, previewConversion } from '../../../../engine/core/behaviours/convert-lead.ts'
import type { ModuleDefinition } from '../../../../engine/core/definition/types.ts'
import type { LabelledRecord } from '../../../../engine/core/records/resolve-labels.ts'
import {
  createTestEngine,
  potentialInput,
  type TestEngine,
} from '../../../helpers/create-test-engine.ts'

const folder = new URL('../../../fixtures/behaviour-cases/C20/', import.meta.url)
const fixture = <T>(name: string) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as T
const setup = fixture<{
  leadsModule: { fields: { name: string; options?: string[] | string }[] }
  potentialsExtraField: { name: string; options: string[] }
  existing: { accounts: { id: string; accountname: string }[]; contacts: Record<string, string>[] }
}>('setup.json')
const leads = fixture<Record<string, unknown>[]>('leads.json')

/** The conversion dialog of the case: a potential at the stage the user picks. */
const dialog = {
  createPotential: true,
  potential: { sales_stage: 'Qualification', closingdate: '2026-09-30' },
}

let t: TestEngine
const ids: Record<string, number> = {}

/** The case's custom fields and mapping, added as an admin would: Layout Editor operations, then the definition. */
beforeAll(async () => {
  t = await createTestEngine()
  const options = (name: string) =>
    setup.leadsModule.fields.find((field) => field.name === name)!.options as string[]
  await t.engine.updateDefinition(
    'leads',
    {
      baseVersion: 1,
      operations: [
        { op: 'addField', name: 'cf_budget', label: 'Budget', kind: 'currency' },
        {
          op: 'addField',
          name: 'cf_timeline',
          label: 'Timeline',
          kind: 'picklist',
          properties: { enum: options('cf_timeline') },
        },
        { op: 'addField', name: 'cf_internal_note', label: 'Internal Note', kind: 'text' },
      ],
    },
    t.admin,
  )
  const extra = setup.potentialsExtraField
  await t.engine.updateDefinition(
    'potentials',
    {
      baseVersion: t.engine.runtime('potentials').version,
      operations: [
        {
          op: 'addField',
          name: extra.name,
          label: 'Expected Timeline',
          kind: 'picklist',
          properties: { enum: extra.options },
        },
      ],
    },
    t.admin,
  )
  const definition = structuredClone(t.engine.runtime('leads').definition)
  Object.assign(definition.behaviours!.conversion!.targets.potential.fields, {
    amount: 'cf_budget',
    cf_expected_timeline: 'cf_timeline',
  })
  await t.engine.updateDefinition(
    'leads',
    { baseVersion: t.engine.runtime('leads').version, definition },
    t.admin,
  )

  const [a6] = setup.existing.accounts
  ids.a6 = (await t.engine.records.create('accounts', { accountname: a6.accountname }, t.admin)).id
  const { id, account, ...c1 } = setup.existing.contacts[0]
  ids.c1 = (
    await t.engine.records.create('contacts', { ...c1, account_id: ids[account] }, t.admin)
  ).id
  for (const { id: name, ...values } of leads)
    ids[name as string] = (await t.engine.records.create('leads', values, t.admin)).id
})

const count = async (module: string, field: string, value: string) =>
  (await t.engine.records.list(module, { filters: [{ field, operator: 'eq', value }] })).total
const lead = (name: string) => t.engine.records.get('leads', ids[name])

describe('C20: lead conversion by the declared mapping', () => {
  it('L1 preview: reuses a6 by name and c1 by e-mail ignoring case, says the fill rule, keeps c1 values and the unmapped note', async () => {
    const plan = await previewConversion(t.engine, 'leads', ids.L1, dialog, t.admin)
    const [account, contact, potential] = plan.targets

    expect(plan.ok).toBe(true)
    expect(plan.rule).toMatch(/keeps every value it has; only its empty fields are filled/)
    expect([
      account.action,
      account.record?.id,
      contact.action,
      contact.record?.id,
      potential.action,
    ]).toEqual(['reuse', ids.a6, 'reuse', ids.c1, 'create'])
    expect(contact.values.find((value) => value.field === 'phone')).toMatchObject({
      action: 'keep',
      value: '+00 222 222',
      existing: '+00 111 111',
    })
    expect(potential.values.find((value) => value.field === 'cf_expected_timeline')).toMatchObject({
      from: 'cf_timeline',
      value: 'Next quarter',
      action: 'set',
    })
    expect(plan.unmapped.map((item) => item.field)).toContain('cf_internal_note')
  })

  it('L1: links the existing account and contact, fills only their empty fields and makes the potential from the mapping', async () => {
    const result = await convertLead(t.engine, 'leads', ids.L1, dialog, t.admin)
    const potential = await t.engine.records.get('potentials', result.records.potential!.id)
    const c1 = await t.engine.records.get('contacts', ids.c1)

    expect(result.records.account).toEqual({ module: 'accounts', id: ids.a6, action: 'reuse' })
    expect(result.records.contact).toEqual({ module: 'contacts', id: ids.c1, action: 'reuse' })
    expect(await count('accounts', 'accountname', "O'Brien Office Supplies")).toBe(1)
    expect(await count('contacts', 'email', 'buyer@example.com')).toBe(1)
    expect([c1.phone, c1.email, c1.leadsource]).toEqual([
      '+00 111 111',
      'buyer@example.com',
      'Trade Show',
    ])
    expect(potential).toMatchObject({
      related_to: ids.a6,
      contact_id: ids.c1,
      amount: 12500,
      cf_expected_timeline: 'Next quarter',
      leadsource: 'Trade Show',
      description: 'Met at the fair; wants 40 desks',
      sales_stage: 'Qualification',
      probability: 20,
    })
    expect(potential).not.toHaveProperty('cf_internal_note')
  })

  it('L1: the lead is marked converted, links to what it became, keeps its own values and is read-only but for admins', async () => {
    const converted = await lead('L1')
    const potentialId = converted.converted_potential_id as number
    const menu = await t.engine.relations.menu('potentials', potentialId)

    expect(converted).toMatchObject({
      converted_account_id: ids.a6,
      converted_contact_id: ids.c1,
      phone: '+00 222 222',
      cf_internal_note: 'do not quote below list',
    })
    expect(converted.converted_at).toEqual(expect.any(String))
    expect(menu.find((item) => item.id === 'leads.converted_potential_id')?.count).toBe(1)
    await expect(
      t.engine.records.update('leads', ids.L1, { description: 'changed' }, t.user),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      t.engine.records.update('leads', ids.L1, { converted_at: null }, t.admin),
    ).rejects.toMatchObject({ code: 'RECORD_INVALID' })
    expect(
      (await t.engine.records.update('leads', ids.L1, { description: 'admin note' }, t.admin))
        .description,
    ).toBe('admin note')
    await expect(convertLead(t.engine, 'leads', ids.L1, dialog, t.admin)).rejects.toMatchObject({
      code: 'CONVERSION_REFUSED',
    })
  })

  it('L2: makes exactly one account, one contact and one potential', async () => {
    const result = await convertLead(t.engine, 'leads', ids.L2, dialog, t.admin)
    const potential = await t.engine.records.get('potentials', result.records.potential!.id)

    expect(Object.values(result.records).map((record) => record?.action)).toEqual([
      'create',
      'create',
      'create',
    ])
    expect(await count('accounts', 'accountname', 'Brand New Ltd')).toBe(1)
    expect(await count('contacts', 'lastname', 'Ferreira')).toBe(1)
    expect(potential).toMatchObject({
      amount: null,
      cf_expected_timeline: 'Later',
      leadsource: 'Web Site',
      related_to: result.records.account!.id,
      contact_id: result.records.contact!.id,
    })
  })

  it('L3: refuses naming the field and the value; nothing is made and the lead is unchanged', async () => {
    const before = await lead('L3')
    const plan = await previewConversion(t.engine, 'leads', ids.L3, dialog, t.admin)
    const refusal = convertLead(t.engine, 'leads', ids.L3, dialog, t.admin)

    expect(plan.ok).toBe(false)
    expect(plan.issues).toEqual([
      expect.objectContaining({
        field: 'cf_expected_timeline',
        code: 'no-option',
        message: expect.stringContaining('"ASAP"'),
      }),
    ])
    await expect(refusal).rejects.toMatchObject({
      code: 'CONVERSION_REFUSED',
      message: expect.stringMatching(
        /Timeline "ASAP" has no option in Potentials.Expected Timeline/,
      ),
    })
    expect(await count('accounts', 'accountname', 'Third Example KK')).toBe(0)
    expect(await count('contacts', 'email', 'office@example.org')).toBe(0)
    expect(await lead('L3')).toEqual(before)
  })

  it('L3 converts once the mapping has a value map for ASAP', async () => {
    const definition = structuredClone(t.engine.runtime('leads').definition) as ModuleDefinition
    definition.behaviours!.conversion!.targets.potential.valueMaps = {
      cf_expected_timeline: { ASAP: 'This quarter' },
    }
    await t.engine.updateDefinition(
      'leads',
      { baseVersion: t.engine.runtime('leads').version, definition },
      t.admin,
    )
    const result = await convertLead(t.engine, 'leads', ids.L3, dialog, t.admin)

    expect(
      (await t.engine.records.get('potentials', result.records.potential!.id)).cf_expected_timeline,
    ).toBe('This quarter')
  })

  it('still converts after Qualified is renamed to Sales Qualified: nothing depends on a status label', async () => {
    await t.engine.updateDefinition(
      'leads',
      {
        baseVersion: t.engine.runtime('leads').version,
        operations: [
          {
            op: 'renamePicklistValue',
            field: 'leadstatus',
            from: 'Qualified',
            to: 'Sales Qualified',
          },
        ],
      },
      t.admin,
    )
    const fresh = await t.engine.records.create(
      'leads',
      {
        lastname: 'Okafor',
        email: 'buyer@example.net',
        company: 'Fourth Example SA',
        leadstatus: 'Sales Qualified',
      },
      t.admin,
    )
    const result = await convertLead(t.engine, 'leads', fresh.id, dialog, t.admin)

    expect(Object.values(result.records).map((record) => record?.action)).toEqual([
      'create',
      'create',
      'create',
    ])
    expect((await lead('L2')).leadstatus).toBe('Sales Qualified')
  })

  it('rolls everything back when the potential step fails: no account or contact is left behind', async () => {
    await t.engine.updateDefinition(
      'potentials',
      {
        baseVersion: t.engine.runtime('potentials').version,
        operations: [
          { op: 'updateField', field: 'potentialname', properties: { 'x-unique': true } },
        ],
      },
      t.admin,
    )
    await t.engine.records.create(
      'potentials',
      potentialInput({ potentialname: 'Atomic Widgets' }),
      t.admin,
    )
    const doomed = await t.engine.records.create(
      'leads',
      { lastname: 'Rossi', email: 'rossi@example.org', company: 'Atomic Widgets' },
      t.admin,
    )
    const plan = await previewConversion(t.engine, 'leads', doomed.id, dialog, t.admin)

    // The plan passes: the unique value is only refused by the database, after the account and contact rows were written.
    expect([plan.ok, plan.targets.map((target) => target.action)]).toEqual([
      true,
      ['create', 'create', 'create'],
    ])
    await expect(convertLead(t.engine, 'leads', doomed.id, dialog, t.admin)).rejects.toMatchObject({
      code: 'UNIQUE_VIOLATION',
    })
    expect(await count('accounts', 'accountname', 'Atomic Widgets')).toBe(0)
    expect(await count('contacts', 'email', 'rossi@example.org')).toBe(0)
    expect((await t.engine.records.get('leads', doomed.id)).converted_at).toBeNull()
  })
})

describe('convertLead matching', () => {
  let m: TestEngine
  const convert = (record: LabelledRecord, body: Record<string, unknown> = {}) =>
    convertLead(m.engine, 'leads', record.id, body, m.admin)

  beforeAll(async () => {
    m = await createTestEngine()
    await m.engine.records.create('accounts', { accountname: 'Smith and Sons' }, m.admin)
    await m.engine.records.create('accounts', { accountname: 'Müller Kältetechnik GmbH' }, m.admin)
    await m.engine.records.create('accounts', { accountname: 'Delta Logistics Ltd' }, m.admin)
    await m.engine.records.create('accounts', { accountname: 'Delta Logistics Ltd' }, m.admin)
  })

  it('matches "&" for "and", other apostrophes, case and spacing', async () => {
    const result = await convert(
      await m.engine.records.create(
        'leads',
        { lastname: 'Smith', company: '  SMITH  &  sons ' },
        m.admin,
      ),
    )

    expect(result.records.account?.action).toBe('reuse')
  })

  it('stops at a name that differs only in accents until the user links it or asks for a new account', async () => {
    const near = await m.engine.records.create(
      'leads',
      { lastname: 'Weber', company: 'Muller Kaltetechnik GmbH' },
      m.admin,
    )
    const plan = await previewConversion(m.engine, 'leads', near.id, {}, m.admin)

    expect(plan.issues).toEqual([
      expect.objectContaining({
        code: 'similar',
        message: expect.stringContaining("'Müller Kältetechnik GmbH'"),
      }),
    ])
    expect(plan.targets[0].similar).toHaveLength(1)
    expect((await convert(near, { ignoreSimilar: ['account'] })).records.account?.action).toBe(
      'create',
    )
  })

  it('refuses two accounts of the same name unless one is chosen', async () => {
    const twice = await m.engine.records.create(
      'leads',
      { lastname: 'Ng', company: 'Delta Logistics Ltd' },
      m.admin,
    )
    const chosen = (
      await m.engine.records.list('accounts', {
        filters: [{ field: 'accountname', operator: 'eq', value: 'Delta Logistics Ltd' }],
      })
    ).items[1].id

    await expect(convert(twice)).rejects.toMatchObject({
      code: 'CONVERSION_REFUSED',
      message: expect.stringContaining('2 accounts have Account Name'),
    })
    expect((await convert(twice, { link: { account: chosen } })).records.account).toEqual({
      module: 'accounts',
      id: chosen,
      action: 'reuse',
    })
  })

  it('refuses, naming the mapping, when a mapped field of the target was archived since', async () => {
    await m.engine.updateDefinition(
      'potentials',
      {
        baseVersion: m.engine.runtime('potentials').version,
        operations: [{ op: 'archiveField', field: 'description' }],
      },
      m.admin,
    )
    const record = await m.engine.records.create(
      'leads',
      { lastname: 'Park', company: 'Archive Test Co', description: 'met online' },
      m.admin,
    )
    const plan = await previewConversion(m.engine, 'leads', record.id, dialog, m.admin)

    expect(plan.issues).toEqual([
      expect.objectContaining({
        code: 'mapping',
        message: expect.stringContaining('Potentials.description is not a live field'),
      }),
    ])
    expect(
      (await convert(record, { ...dialog, createPotential: false })).records.potential,
    ).toBeNull()
  })

  it('refuses a mapping to a field the target does not have when the definition is saved', async () => {
    const definition = structuredClone(m.engine.runtime('leads').definition)
    definition.behaviours!.conversion!.targets.potential.fields.no_such_field = 'company'

    await expect(
      m.engine.updateDefinition(
        'leads',
        { baseVersion: m.engine.runtime('leads').version, definition },
        m.admin,
      ),
    ).rejects.toMatchObject({
      code: 'DEFINITION_INVALID',
      details: {
        issues: expect.arrayContaining([
          expect.objectContaining({ message: 'field "no_such_field" is not defined in Potentials' }),
          expect.objectContaining({ message: 'Potentials.description is archived; restore it or change the mapping' }),
        ]),
      },
    })
  })

  it('refuses to archive a lead field the mapping reads', async () => {
    await expect(
      m.engine.updateDefinition(
        'leads',
        {
          baseVersion: m.engine.runtime('leads').version,
          operations: [{ op: 'archiveField', field: 'company' }],
        },
        m.admin,
      ),
    ).rejects.toMatchObject({
      code: 'DEFINITION_INVALID',
      message: expect.stringContaining('the conversion mapping company'),
    })
  })
})

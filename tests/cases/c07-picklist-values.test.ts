import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import type { Engine } from '../../engine/core/engine.ts'
import { caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

const change = caseJson<{ field: string; addOption: string }>('C07/layout-change.json')

async function withPartnerReferral() {
  const context = await createCaseEngine()
  const live = context.engine.runtime('potentials')
  const definition = structuredClone(live.definition)
  definition.record.properties[change.field].enum!.push(change.addOption)
  await context.engine.updateDefinition(
    'potentials',
    { baseVersion: live.version, definition },
    context.admin,
  )

  return context
}

function options(engine: Engine) {
  const fields = engine.runtime('potentials').fields

  return {
    sales_stage: [...fields.get('sales_stage')!.enum!],
    leadsource: [...fields.get('leadsource')!.enum!],
  }
}

describe('C07 picklist values in another case, unknown, or with an apostrophe', () => {
  it('stores canonical spellings and refuses unknown and missing values by row and column', async () => {
    const { engine, admin } = await withPartnerReferral()
    const before = options(engine)
    const result = await importCsv(engine, 'potentials', caseBytes('C07/input.csv'), {}, admin)

    const stored = Object.fromEntries(
      (await potentials(engine)).map((record) => [
        record.potentialname,
        { sales_stage: record.sales_stage, leadsource: record.leadsource },
      ]),
    )
    expect(stored).toEqual({
      'Label Printers': { sales_stage: 'Closed Won', leadsource: 'Trade Show' },
      'Badge Readers': { sales_stage: 'Closed Won', leadsource: 'Trade Show' },
      'Visitor App': { sales_stage: 'Negotiation or Review', leadsource: 'Web Site' },
      'Parking Sensors': { sales_stage: 'Qualification', leadsource: "Partner's Referral" },
    })
    expect(result.errors.map((error) => [error.row, error.column, error.value])).toEqual([
      [5, 'Sales Stage', 'Prospect'],
      [6, 'Sales Stage', ''],
      [7, 'Lead Source', 'Trade Fair'],
      [9, 'Lead Source', 'Partner’s Referral'],
    ])
    expect(result.errors[0].message).toMatch(
      /"Prospect" is not a value of Sales Stage; allowed: Prospecting, Qualification/,
    )
    expect(result.errors[1].message).toBe('Sales Stage is required')
    expect(result.errors[3].message).toMatch(/did you mean "Partner's Referral"\?/)
    // An import never adds options.
    expect(options(engine)).toEqual(before)
    expect(before.sales_stage).toHaveLength(10)
    expect(before.leadsource).toHaveLength(13)
  })

  it('can use the field default for unknown values of optional picklists, with a notice per row', async () => {
    const { engine, admin } = await withPartnerReferral()
    const result = await importCsv(
      engine,
      'potentials',
      caseBytes('C07/input.csv'),
      { unknownPicklistValues: 'default' },
      admin,
    )

    const doorSensors = (await potentials(engine)).find(
      (record) => record.potentialname === 'Door Sensors',
    )
    expect(doorSensors?.leadsource).toBeNull()
    expect(result.notices).toContainEqual(
      expect.objectContaining({ row: 7, column: 'Lead Source', value: 'Trade Fair' }),
    )
    // A required picklist still refuses unknown values.
    expect(result.errors.map((error) => error.row)).toEqual([5, 6])
  })
})

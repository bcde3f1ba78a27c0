import { describe, expect, it } from 'vitest'
import { importCsv } from '../../engine/core/csv/import-csv.ts'
import type { DuplicateRule } from '../../engine/core/csv/import-types.ts'
import { caseBytes, caseJson, createCaseEngine, potentials } from './case-engine.ts'

const state = caseJson('C09/existing-records.json')

/** The starting state of the case: account a1 and potential p7 assigned to u2. */
async function startingState() {
  const context = await createCaseEngine(state.accounts)
  const [p7] = state.potentials
  const stored = await context.engine.records.create(
    'potentials',
    {
      potentialname: p7.potentialname,
      related_to: context.accounts.get(p7.related_to),
      amount: Number(p7.amount),
      sales_stage: p7.sales_stage,
      closingdate: p7.closingdate,
      nextstep: p7.nextstep,
      description: p7.description,
      assigned_user_id: context.users.get(p7.assigned_user_id),
    },
    context.admin,
  )

  return { ...context, p7: stored }
}

async function run(action: DuplicateRule['action'], dryRun = false) {
  const context = await startingState()
  const result = await importCsv(
    context.engine,
    'potentials',
    caseBytes('C09/input.csv'),
    { dryRun, duplicates: { match: ['potentialname', 'related_to'], action } },
    context.admin,
  )
  const stored = await potentials(context.engine)

  return {
    ...context,
    result,
    stored,
    after: stored.find((record) => record.id === context.p7.id)!,
  }
}

describe('C09 duplicates: skip, overwrite (update), merge', () => {
  it('skip leaves POT7 alone, skips rows 2 and 4 and creates row 3', async () => {
    const { result, after, p7, stored } = await run('skip')

    expect(result.counts).toMatchObject({ created: 1, updated: 0, skipped: 2, refused: 0 })
    expect(result.notices.map((notice) => notice.row)).toEqual([2, 4])
    expect(result.notices[0].message).toMatch(
      new RegExp(`duplicate of Potential ${p7.potential_no} \\(id ${p7.id}\\)`),
    )
    expect(after).toEqual(p7)
    expect(stored.map((record) => record.potentialname)).toEqual([
      'Website Redesign',
      'Website Redesign Phase 2',
    ])
  })

  it('update writes every mapped column in place, clears optional fields from empty cells and refuses row 4', async () => {
    const { result, after, p7, users } = await run('update')

    expect(result.counts).toMatchObject({ created: 1, updated: 1, refused: 1 })
    expect(after).toMatchObject({
      id: p7.id,
      potential_no: p7.potential_no,
      amount: 6500,
      sales_stage: 'Value Proposition',
      closingdate: '2025-12-20',
      nextstep: null,
      description: null,
      assigned_user_id: users.get('u2'),
      version: 2,
    })
    expect(result.errors).toEqual([
      expect.objectContaining({
        row: 4,
        message: expect.stringMatching(
          new RegExp(`matches Potential ${p7.potential_no} .*which row 2 already updated`),
        ),
      }),
    ])
    expect(result.notices).toContainEqual(
      expect.objectContaining({
        row: 2,
        message: expect.stringMatching(/clears Next Step, Description/),
      }),
    )
  })

  it('the dry run of update warns that row 2 will clear Next Step and Description, and changes nothing', async () => {
    const { result, after, p7 } = await run('update', true)

    expect(result.counts).toMatchObject({ created: 1, updated: 1, refused: 1 })
    expect(result.notices).toContainEqual(
      expect.objectContaining({
        row: 2,
        message: expect.stringMatching(/clears Next Step, Description/),
      }),
    )
    expect(after).toEqual(p7)
  })

  it('merge writes only non-empty cells, so Next Step and Description stay', async () => {
    const { result, after, p7, users } = await run('merge')

    expect(result.counts).toMatchObject({ created: 1, updated: 1, refused: 1 })
    expect(after).toMatchObject({
      id: p7.id,
      amount: 6500,
      sales_stage: 'Value Proposition',
      closingdate: '2025-12-20',
      nextstep: 'Send proposal',
      description: 'Initial scope: 5 pages',
      assigned_user_id: users.get('u2'),
    })
  })

  it('an empty cell in a required field is a row error in update mode, not a clear', async () => {
    const context = await startingState()
    const csv = 'Potential Name,Organization Name,Sales Stage\nWebsite Redesign,Acme & Co.,\n'
    const result = await importCsv(
      context.engine,
      'potentials',
      new TextEncoder().encode(csv),
      { duplicates: { match: ['potentialname', 'related_to'], action: 'update' } },
      context.admin,
    )

    expect(result.errors).toEqual([
      expect.objectContaining({ row: 2, field: 'sales_stage', message: 'Sales Stage is required' }),
    ])
    expect((await context.engine.records.get('potentials', context.p7.id)).sales_stage).toBe(
      'Qualification',
    )
  })
})

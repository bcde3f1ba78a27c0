import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { DuplicateRule } from '../../../../engine/core/csv/import-types.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

const encode = (text: string) => new TextEncoder().encode(text)

/** A stored potential "Deal A" of account Acme, and a re-import matching it by name and account. */
async function reimport(action: DuplicateRule['action'], csv: string) {
  const { engine, admin } = await createTestEngine()
  const acme = await engine.records.create('accounts', { accountname: 'Acme' }, admin)
  const deal = await engine.records.create(
    'potentials',
    potentialInput({ potentialname: 'Deal A', related_to: acme.id, nextstep: 'call' }),
    admin,
  )
  const result = await importCsv(
    engine,
    'potentials',
    encode(csv),
    { duplicates: { match: ['potentialname', 'related_to'], action } },
    admin,
  )

  return { result, after: await engine.records.get('potentials', deal.id), before: deal }
}

describe('fields a row is matched by keep their stored spelling', () => {
  for (const action of ['merge', 'update'] as const) {
    it(`${action}: a name differing only in case and spaces is unchanged, not renamed`, async () => {
      const csv =
        action === 'merge'
          ? 'Potential Name,Account Name,Next Step\n"deal  a ",ACME,\n'
          : 'Potential Name,Account Name,Next Step,Expected Close Date,Sales Stage,Amount\n"deal  a ",ACME,call,2026-12-31,Prospecting,1200.5\n'
      const { result, after, before } = await reimport(action, csv)

      expect(after.potentialname).toBe('Deal A')
      expect(after.version).toBe(before.version)
      expect(result.counts).toMatchObject({ updated: 0, skipped: 1, refused: 0 })
      expect(result.notices.map((notice) => notice.message)).toContainEqual(
        expect.stringMatching(/^unchanged: /),
      )
    })
  }

  it('merge: other changes still apply, the matched name stays as stored', async () => {
    const { result, after } = await reimport('merge', 'Potential Name,Account Name,Next Step\nDEAL A,acme,meet\n')

    expect(result.counts).toMatchObject({ updated: 1, skipped: 0 })
    expect(after).toMatchObject({ potentialname: 'Deal A', nextstep: 'meet' })
  })

  it('a name that is not a match field is still written as the file spells it', async () => {
    const { engine, admin } = await createTestEngine()
    const stored = await engine.records.create('accounts', { accountname: 'Acme', country: 'France' }, admin)
    const result = await importCsv(
      engine,
      'accounts',
      encode('Account Name,Country\nACME,france\n'),
      { duplicates: { match: ['country'], action: 'merge' } },
      admin,
    )

    expect(result.counts).toMatchObject({ updated: 1 })
    expect(await engine.records.get('accounts', stored.id)).toMatchObject({ accountname: 'ACME', country: 'France' })
  })
})

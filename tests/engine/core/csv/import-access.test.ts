import { describe, expect, it } from 'vitest'
import type { ModulePermission, RoleDefinition } from '../../../../engine/core/access/role-types.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import type { Actor } from '../../../../engine/core/engine.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

const bytes = (text: string) => new TextEncoder().encode(text)
const ALL: ModulePermission = {
  view: true,
  create: true,
  edit: true,
  delete: false,
  import: true,
  export: true,
  reassign: false,
  visibility: 'all',
}

function actorWith(id: number, modules: Record<string, ModulePermission>): Actor {
  const role: RoleDefinition = {
    name: 'importer',
    label: 'Importer',
    defaults: { ...ALL, import: false },
    modules,
  }

  return { id, isAdmin: false, access: { role, userIds: [id] } }
}

describe('importCsv and roles', () => {
  it('refuses a role without the import right', async () => {
    const { engine, user } = await createTestEngine()
    const actor = actorWith(user.id, {})

    await expect(
      importCsv(engine, 'potentials', bytes('Potential Name\nA\n'), {}, actor),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('lists read-only fields as not imported, refuses reassigning, and sees only own records', async () => {
    const { engine, admin, user } = await createTestEngine()
    const actor = actorWith(user.id, {
      potentials: { ...ALL, visibility: 'own', fields: { probability: 'read' } },
      accounts: { ...ALL, create: false, visibility: 'own' },
    })
    await engine.records.create('accounts', { accountname: 'Admin Corp' }, admin)
    await engine.records.create(
      'accounts',
      { accountname: 'Mine Ltd', assigned_user_id: user.id },
      admin,
    )
    const csv =
      'Potential Name,Stage,Close Date,Probability,Account,Assigned To\nA,Prospecting,2026-01-01,50,Mine Ltd,\nB,Prospecting,2026-01-01,50,Admin Corp,\nC,Prospecting,2026-01-01,50,,Administrator\nD,Prospecting,2026-01-01,,New Co,\n'
    const result = await importCsv(
      engine,
      'potentials',
      bytes(csv),
      { mapping: { related_to: { column: 'Account', createMissing: true } } },
      actor,
    )

    expect(result.columns.find((column) => column.header === 'Probability')?.note).toMatch(
      /may not change Probability/,
    )
    expect(result.counts).toMatchObject({ created: 1, refused: 3 })
    expect(result.errors.map((error) => [error.row, error.message])).toEqual([
      [3, expect.stringMatching(/cannot create account 'Admin Corp': your role may not create accounts/)],
      [4, expect.stringMatching(/may not assign records to someone else/)],
      [5, expect.stringMatching(/may not create accounts/)],
    ])
    const [created] = (await engine.records.list('potentials', {})).items
    expect(created).toMatchObject({
      potentialname: 'A',
      probability: 10,
      assigned_user_id: user.id,
    })
  })
})

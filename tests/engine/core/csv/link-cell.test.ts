import { describe, expect, it } from 'vitest'
import { exportCsv } from '../../../../engine/core/csv/export-csv.ts'
import { importCsv } from '../../../../engine/core/csv/import-csv.ts'
import { joinLinkNames, splitLinkCell } from '../../../../engine/core/csv/link-cell.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

type Engine = Awaited<ReturnType<typeof createTestEngine>>['engine']
type Flavour = 'standard' | 'excel' | 'lossless'

describe('link cell text', () => {
  it('reads cells people write: names split on ";" or "|", trimmed, empty parts dropped', () => {
    expect(splitLinkCell('A; B|C ;; ')).toEqual(['A', 'B', 'C'])
    expect(splitLinkCell('The "Best" Co; Other')).toEqual(['The "Best" Co', 'Other'])
    expect(splitLinkCell('"Quoted" Inc; X')).toEqual(['"Quoted" Inc', 'X'])
    expect(splitLinkCell('"unclosed; X')).toEqual(['"unclosed', 'X'])
    expect(splitLinkCell('')).toEqual([])
  })

  it('quotes a name that holds a separator or starts with a quote, and reads every such name back', () => {
    const names = ['Ann Smith; John', 'Bob Doe|Jr', 'Plain', '"Quoted" Inc', 'say ""hi""', '=1+1']
    const cell = joinLinkNames(names)

    expect(cell).toBe('"Ann Smith; John"; "Bob Doe|Jr"; Plain; """Quoted"" Inc"; say ""hi""; =1+1')
    expect(splitLinkCell(cell)).toEqual(names)
    expect(joinLinkNames(['A', 'B'])).toBe('A; B')
  })
})

/** Contacts whose names hold the separators, a quote or a formula start, linked to three deals. */
async function linkedDeals() {
  const { engine, admin } = await createTestEngine()
  const contacts = []
  for (const [firstname, lastname] of [['Ann', 'Smith; John'], ['Bob', 'Doe|Jr'], ['Cy', 'Plain'], [undefined, '"Q" Ltd'], ['=Eve', 'Formula']])
    contacts.push(await engine.records.create('contacts', { firstname, lastname }, admin))
  const deals = []
  for (const potentialname of ['First', 'Second', 'Third'])
    deals.push((await engine.records.create('potentials', potentialInput({ potentialname }), admin)).id)
  const links = [[0, 0], [0, 1], [0, 2], [0, 3], [1, 1], [2, 4]]
  for (const [deal, contact] of links)
    await engine.relations.link('potentials', deals[deal], 'potentials.contacts', contacts[contact].id, admin)

  return { engine, admin, deals }
}

async function contactsOf(engine: Engine, id: number): Promise<string[]> {
  const related = await engine.relations.related('potentials', id, 'potentials.contacts', {})

  return related.items.map((item) => String(item.full_name)).sort()
}

async function exported(engine: Engine, flavour: Flavour): Promise<string> {
  let text = ''
  for await (const chunk of exportCsv(engine, 'potentials', { flavour, relations: ['contacts'], fields: ['potentialname'] }))
    text += chunk

  return text
}

describe('many-to-many links survive export and re-import', () => {
  for (const flavour of ['standard', 'excel', 'lossless'] as const) {
    it(`${flavour}: names holding ";", "|", a leading quote or a formula start link the same contacts again`, async () => {
      const { engine, admin, deals } = await linkedDeals()
      const before = await Promise.all(deals.map((id) => contactsOf(engine, id)))
      const text = await exported(engine, flavour)
      await engine.db.write((db) => db.deleteFrom('_link_potentials_contacts').execute())
      const result = await importCsv(
        engine,
        'potentials',
        new TextEncoder().encode(text),
        { duplicates: { match: ['potentialname'], action: 'merge' }, ...(flavour === 'lossless' ? { unescapeFormulas: false } : {}) },
        admin,
      )

      expect(result.errors).toEqual([])
      expect(result.counts).toMatchObject({ refused: 0, links: 6 })
      expect(await Promise.all(deals.map((id) => contactsOf(engine, id)))).toEqual(before)
      expect(before).toEqual([['"Q" Ltd', 'Ann Smith; John', 'Bob Doe|Jr', 'Cy Plain'], ['Bob Doe|Jr'], ['=Eve Formula']])
    })
  }

  it('links names a person typed with ";" or "|" between them', async () => {
    const { engine, admin } = await createTestEngine()
    for (const lastname of ['Ames', 'Brook'])
      await engine.records.create('contacts', { firstname: 'Jo', lastname }, admin)
    const csv = 'Potential Name,Expected Close Date,Sales Stage,Contacts\nOne,2026-12-31,Prospecting,Jo Ames; Jo Brook\nTwo,2026-12-31,Prospecting,Jo Brook|Jo Ames\n'
    const result = await importCsv(engine, 'potentials', new TextEncoder().encode(csv), {}, admin)
    const deals = (await engine.records.list('potentials', { sort: ['id'] })).items

    expect(result.counts).toMatchObject({ created: 2, refused: 0, links: 4 })
    for (const deal of deals) expect(await contactsOf(engine, deal.id)).toEqual(['Jo Ames', 'Jo Brook'])
  })
})

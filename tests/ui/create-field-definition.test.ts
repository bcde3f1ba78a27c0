import { describe, expect, it } from 'vitest'
import {
  createFieldDefinition,
  deriveFieldName,
  parsePicklistValues,
} from '../../ui/create-field-definition.ts'

describe('deriveFieldName', () => {
  it('turns the label into lower snake case ascii with the cf_ prefix', () => {
    expect(deriveFieldName('Budget Code', [])).toBe('cf_budget_code')
    expect(deriveFieldName('  Größe (m²) / Étage ', [])).toBe('cf_grosse_m2_etage')
  })

  it('adds a counter when the name is taken', () => {
    expect(deriveFieldName('Budget', ['cf_budget'])).toBe('cf_budget_2')
    expect(deriveFieldName('Budget', ['cf_budget', 'cf_budget_2'])).toBe('cf_budget_3')
  })

  it('falls back to cf_field for labels without letters or digits', () => {
    expect(deriveFieldName('€ ?', [])).toBe('cf_field')
  })

  it('keeps names within 63 characters, counter included', () => {
    const long = 'a'.repeat(80)
    const first = deriveFieldName(long, [])
    expect(first).toHaveLength(63)
    const second = deriveFieldName(long, [first])
    expect(second).toHaveLength(63)
    expect(second.endsWith('_2')).toBe(true)
  })
})

describe('parsePicklistValues', () => {
  it('splits on commas, trims and drops blanks and repeats', () => {
    expect(parsePicklistValues(' Low, Medium ,,High, Low ')).toEqual(['Low', 'Medium', 'High'])
  })
})

describe('createFieldDefinition', () => {
  it('gives each kind its json type and keywords', () => {
    const cases = [
      [
        { label: 'Note', kind: 'text' },
        { type: 'string', 'x-kind': 'text', title: 'Note' },
      ],
      [
        { label: 'Due', kind: 'date' },
        { type: 'string', format: 'date', 'x-kind': 'date', title: 'Due' },
      ],
      [
        { label: 'At', kind: 'datetime' },
        { type: 'string', format: 'date-time', 'x-kind': 'datetime', title: 'At' },
      ],
      [
        { label: 'Mail', kind: 'email' },
        { type: 'string', format: 'email', 'x-kind': 'email', title: 'Mail' },
      ],
      [
        { label: 'Site', kind: 'url' },
        { type: 'string', format: 'uri', 'x-kind': 'url', title: 'Site' },
      ],
      [
        { label: 'Seats', kind: 'integer' },
        { type: 'integer', 'x-kind': 'integer', title: 'Seats' },
      ],
      [
        { label: 'Budget', kind: 'currency' },
        { type: 'number', 'x-scale': 2, 'x-kind': 'currency', title: 'Budget' },
      ],
      [
        { label: 'Share', kind: 'percent' },
        { type: 'number', 'x-scale': 2, 'x-kind': 'percent', title: 'Share' },
      ],
      [
        { label: 'Paid', kind: 'boolean' },
        { type: 'boolean', 'x-kind': 'boolean', title: 'Paid' },
      ],
      [
        { label: 'Owner', kind: 'user' },
        { type: 'integer', 'x-kind': 'user', title: 'Owner' },
      ],
      [
        { label: 'Partner', kind: 'relation', relationModule: 'accounts' },
        {
          type: 'integer',
          'x-relation': { module: 'accounts' },
          'x-kind': 'relation',
          title: 'Partner',
        },
      ],
      [
        { label: 'Risk', kind: 'picklist', values: ['Low', 'High'] },
        { type: 'string', enum: ['Low', 'High'], 'x-kind': 'picklist', title: 'Risk' },
      ],
      [
        { label: 'Tags', kind: 'multi-picklist', values: ['A', 'B'] },
        {
          type: 'array',
          items: { type: 'string', enum: ['A', 'B'] },
          uniqueItems: true,
          'x-kind': 'multi-picklist',
          title: 'Tags',
        },
      ],
    ] as const
    for (const [input, expected] of cases) {
      expect(createFieldDefinition(structuredClone(input) as never)).toEqual(expected)
    }
  })

  it('marks the field as a list column when asked', () => {
    expect(createFieldDefinition({ label: 'Code', kind: 'text', showInList: true })['x-list']).toBe(
      true,
    )
  })
})

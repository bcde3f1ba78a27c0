import type { FieldDefinition, FieldKindName } from '../engine/core/definition/types.ts'

/** The kinds the Layout Editor offers for a new field, with the words people see. */
export const NEW_FIELD_KINDS: { kind: FieldKindName; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'textarea', label: 'Text area' },
  { kind: 'integer', label: 'Whole number' },
  { kind: 'decimal', label: 'Decimal number' },
  { kind: 'currency', label: 'Currency' },
  { kind: 'percent', label: 'Percent' },
  { kind: 'date', label: 'Date' },
  { kind: 'datetime', label: 'Date and time' },
  { kind: 'boolean', label: 'Checkbox' },
  { kind: 'email', label: 'Email' },
  { kind: 'phone', label: 'Phone' },
  { kind: 'url', label: 'Web address' },
  { kind: 'picklist', label: 'Picklist' },
  { kind: 'multi-picklist', label: 'Multi-select picklist' },
  { kind: 'relation', label: 'Link to a record' },
  { kind: 'user', label: 'User' },
]

/** What the Layout Editor's "Add field" form collects. */
export interface NewField {
  label: string
  kind: FieldKindName
  /** Picklist values, already split and trimmed. */
  values?: string[]
  /** The module a relation field points to. */
  relationModule?: string
  showInList?: boolean
}

const MAX_NAME_LENGTH = 63

// Letters that Unicode decomposition leaves whole; everything else loses its accents via NFKD.
const LETTER_SPELLINGS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  đ: 'd',
  ł: 'l',
  þ: 'th',
}

/**
 * The machine name for a field an admin adds: the label in lower snake case
 * ASCII with the `cf_` prefix (or `prefix`: block ids and relation names
 * have none), made unique among `taken` with `_2`, `_3`, ….
 *
 * @example deriveFieldName('Budget (€) 2026', ['cf_budget_2026']) // 'cf_budget_2026_2'
 */
export function deriveFieldName(label: string, taken: Iterable<string>, prefix = 'cf_'): string {
  const used = new Set(taken)
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæøœđłþ]/g, (letter) => LETTER_SPELLINGS[letter])
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  const base = `${prefix}${words || 'field'}`.slice(0, MAX_NAME_LENGTH).replace(/_+$/, '')
  if (!used.has(base)) return base
  for (let counter = 2; ; counter++) {
    const suffix = `_${counter}`
    const name = base.slice(0, MAX_NAME_LENGTH - suffix.length).replace(/_+$/, '') + suffix
    if (!used.has(name)) return name
  }
}

/** Splits the editor's comma-separated picklist values, dropping blanks and repeats. */
export function parsePicklistValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    ),
  ]
}

/**
 * The JSON Schema property for a new field: the JSON type and format its
 * kind is stored as, the title, and the kind's extras (enum, scale, target).
 */
export function createFieldDefinition(field: NewField): FieldDefinition {
  const base: FieldDefinition = { type: 'string', 'x-kind': field.kind, title: field.label.trim() }
  if (field.showInList) base['x-list'] = true

  return { ...base, ...kindKeywords(field) }
}

function kindKeywords(field: NewField): Partial<FieldDefinition> {
  switch (field.kind) {
    case 'date':
      return { type: 'string', format: 'date' }
    case 'datetime':
      return { type: 'string', format: 'date-time' }
    case 'email':
      return { type: 'string', format: 'email' }
    case 'url':
      return { type: 'string', format: 'uri' }
    case 'picklist':
      return { type: 'string', enum: field.values ?? [] }
    case 'multi-picklist':
      return {
        type: 'array',
        items: { type: 'string', enum: field.values ?? [] },
        uniqueItems: true,
      }
    case 'integer':
    case 'user':
      return { type: 'integer' }
    case 'relation':
      return { type: 'integer', 'x-relation': { module: field.relationModule ?? '' } }
    case 'decimal':
    case 'currency':
    case 'percent':
      return { type: 'number', 'x-scale': 2 }
    case 'boolean':
      return { type: 'boolean' }
    default:
      return { type: 'string' }
  }
}

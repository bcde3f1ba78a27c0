import type { FieldDefinition } from '../definition/types.ts'
import type { FieldKind } from './field-kind.ts'

/**
 * Picklists hold one of the definition's values. Text input matches a value
 * ignoring case and surrounding space; an unknown value is an error and never
 * extends the list.
 */
export const picklistKind: FieldKind = {
  name: 'picklist',
  jsonType: 'string',
  columnType: () => 'text',
  schemaFor: (field) => ({ type: 'string', enum: field.enum ?? [] }),
  toColumn: (value) => value,
  fromColumn: (value) => value,
  parseText: (raw, field) => {
    const value = matchPicklistValue(raw, field.enum ?? [])

    return value === undefined
      ? { ok: false, message: unknownValueMessage(raw, field) }
      : { ok: true, value }
  },
  formatText: (value) => (value == null ? '' : String(value)),
}

/** Multi-picklists hold several values; text input separates them with `;` or `|`. */
export const multiPicklistKind: FieldKind = {
  name: 'multi-picklist',
  jsonType: 'array',
  columnType: () => 'text',
  schemaFor: (field) => ({
    type: 'array',
    items: { type: 'string', enum: field.items?.enum ?? [] },
    uniqueItems: true,
  }),
  toColumn: (value) => (Array.isArray(value) ? JSON.stringify(value) : value),
  fromColumn: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
  parseText: (raw, field) => {
    const options = field.items?.enum ?? []
    const values: string[] = []
    for (const part of raw.split(/[;|]/).map((item) => item.trim()).filter(Boolean)) {
      const value = matchPicklistValue(part, options)
      if (value === undefined) return { ok: false, message: unknownValueMessage(part, field) }
      if (!values.includes(value)) values.push(value)
    }

    return { ok: true, value: values }
  },
  formatText: (value) => (Array.isArray(value) ? value.join('; ') : ''),
}

export function matchPicklistValue(raw: string, options: string[]): string | undefined {
  const wanted = raw.trim().toLocaleLowerCase()

  return options.find((option) => option.toLocaleLowerCase() === wanted)
}

function unknownValueMessage(raw: string, field: FieldDefinition): string {
  const options = field.enum ?? field.items?.enum ?? []
  const similar = options.find((option) => looseText(option) === looseText(raw))
  const hint = similar === undefined ? '' : `; did you mean "${similar}"?`

  return `"${raw}" is not a value of ${field.title}${hint}; allowed: ${options.join(', ')}`
}

/**
 * Near-miss form for hints only, never for matching: accents, apostrophe and
 * dash styles, inner spacing and case are ignored.
 */
function looseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201b\u0060\u00b4]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase()
}

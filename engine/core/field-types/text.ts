import type { FieldKindName } from '../definition/types.ts'
import type { FieldKind } from './field-kind.ts'

const FORMATS: Partial<Record<FieldKindName, string>> = { email: 'email', url: 'uri' }

/** Text-like kinds: stored as they are, trimmed of nothing, checked by format where one applies. */
export function createTextKind(name: 'text' | 'textarea' | 'email' | 'phone' | 'url'): FieldKind {
  const format = FORMATS[name]

  return {
    name,
    jsonType: 'string',
    columnType: () => 'text',
    schemaFor: (field) => ({
      type: 'string',
      ...(field.maxLength === undefined ? {} : { maxLength: field.maxLength }),
      ...(format === undefined ? {} : { format }),
      // Only web addresses: a javascript: or data: URL would run when a client makes it a link.
      ...(name === 'url' ? { pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' } : {}),
    }),
    toColumn: (value) => value,
    fromColumn: (value) => value,
    tidy: (value) => tidyLineBreaks(name, value),
    parseText: (raw) => {
      const value = tidyLineBreaks(name, raw)

      return { ok: true, value: name === 'email' ? value.trim() : value }
    },
    formatText: (value) => (value == null ? '' : String(value)),
  }
}

/**
 * Single-line kinds lose stray line ends (left by spreadsheets, pasted into a
 * form); textareas keep theirs as `\n`. Every write does it, so a value reads
 * back the same whether it came by the API, a form or an import.
 */
function tidyLineBreaks(name: string, value: string): string {
  return name === 'textarea' ? value.replace(/\r\n?/g, '\n') : value.replace(/[\r\n]+/g, ' ')
}

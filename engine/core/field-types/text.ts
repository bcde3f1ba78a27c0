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
    // TODO(#4): the API stores "\r\n" in textareas and line breaks in single-line text as given,
    // while an import tidies them as below, so a lossless round trip of such values updates them;
    // tidy on every write (composeRecord) instead.
    parseText: (raw) => {
      // Single-line kinds lose stray line ends left by spreadsheets; textareas keep them.
      const value = name === 'textarea' ? raw.replace(/\r\n?/g, '\n') : raw.replace(/[\r\n]+/g, ' ')

      return { ok: true, value: name === 'email' ? value.trim() : value }
    },
    formatText: (value) => (value == null ? '' : String(value)),
  }
}

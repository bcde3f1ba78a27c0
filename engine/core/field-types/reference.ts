import type { FieldKind } from './field-kind.ts'

/**
 * Relation and user fields hold the id of another record. Text input is an
 * id here; resolving names to ids is the importer's job (engine/core/csv).
 */
export function createReferenceKind(name: 'relation' | 'user'): FieldKind {
  return {
    name,
    jsonType: 'integer',
    columnType: () => 'integer',
    schemaFor: () => ({ type: 'integer', minimum: 1 }),
    toColumn: (value) => value,
    fromColumn: (value) => (value == null ? value : Number(value)),
    parseText: (raw) =>
      /^\d+$/.test(raw.trim())
        ? { ok: true, value: Number(raw.trim()) }
        : { ok: false, message: `"${raw}" is not a record id` },
    formatText: (value) => (value == null ? '' : String(value)),
  }
}

import type { FieldDefinition, ModuleDefinition } from '../engine/core/definition/types.ts'
import type { CrmRecord } from './api-client.ts'

/** The fields people see: every field of the definition but the archived ones, in definition order. */
export function visibleFields(definition: ModuleDefinition): [string, FieldDefinition][] {
  return Object.entries(definition.record.properties).filter(([, field]) => !field['x-archived'])
}

/** The list's columns: the fields marked `x-list`, or the record title when none is. */
export function listColumns(definition: ModuleDefinition): [string, FieldDefinition][] {
  const fields = visibleFields(definition)
  const marked = fields.filter(([, field]) => field['x-list'])
  if (marked.length > 0) return marked

  return fields.filter(([name]) => name === definition.recordTitle).slice(0, 1)
}

/** The field a person cannot type into: generated values and fields marked read-only. */
export function isReadOnly(field: FieldDefinition): boolean {
  const kind = field['x-kind']

  return kind === 'auto-number' || kind === 'computed' || field.readOnly === true
}

/** The module a relation or user field points to, or undefined for other kinds. */
export function targetModuleOf(field: FieldDefinition): string | undefined {
  if (field['x-kind'] === 'user') return 'users'
  if (field['x-kind'] === 'relation') return field['x-relation']?.module

  return undefined
}

/** The text that names a record to people: its title field, else its number. */
export function recordTitleOf(definition: ModuleDefinition, record: CrmRecord): string {
  const title = definition.recordTitle === undefined ? undefined : record[definition.recordTitle]

  return title === null || title === undefined || title === '' ? `#${record.id}` : String(title)
}

/**
 * A stored value as text for lists and details: titles instead of ids for
 * relations, fixed decimals for money, Yes/No for booleans, '' for empty.
 */
export function formatValue(field: FieldDefinition, value: unknown, label?: string): string {
  if (value === null || value === undefined || value === '') return ''
  switch (field['x-kind']) {
    case 'relation':
    case 'user':
      return label ?? `#${String(value)}`
    case 'boolean':
      return value === true ? 'Yes' : 'No'
    case 'currency':
    case 'decimal':
    case 'computed':
      return formatNumber(value, field['x-scale'] ?? 2)
    case 'percent':
      return `${formatNumber(value, field['x-scale'] ?? 2)} %`
    case 'datetime':
      return formatDateTime(String(value))
    case 'multi-picklist':
      return Array.isArray(value) ? value.join(', ') : String(value)
    default:
      return String(value)
  }
}

/** An http(s) address that may become a link; anything else (javascript:, data:) stays text. */
export function safeHttpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//i.test(value) ? value : undefined
}

function formatNumber(value: unknown, scale: number): string {
  const number = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(number)) return String(value)

  return number.toLocaleString(undefined, {
    minimumFractionDigits: scale,
    maximumFractionDigits: scale,
  })
}

function formatDateTime(text: string): string {
  const date = new Date(text)
  if (Number.isNaN(date.getTime())) return text
  const pad = (number: number) => String(number).padStart(2, '0')

  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

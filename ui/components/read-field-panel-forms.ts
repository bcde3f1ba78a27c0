import type { ChangeOperation } from '../../engine/core/definition/change-operations.ts'
import type { FieldDefinition, FieldKindName } from '../../engine/core/definition/types.ts'
import { parsePicklistValues } from '../create-field-definition.ts'
import { isReadOnly } from '../field-values.ts'

/** Kinds whose values have a maximum length. */
export const TEXT_KINDS = new Set(['text', 'textarea', 'email', 'phone', 'url'])
/** Kinds whose values have a number of decimal places. */
export const SCALED_KINDS = new Set(['decimal', 'currency', 'percent', 'computed'])
/** The checkboxes that show a field in other places than the form, by keyword. */
export const SHOWN_IN = [
  ['x-list', 'Shown in the list'],
  ['x-quick-create', 'Shown in quick create'],
  ['x-mass-edit', 'Shown in mass edit'],
  ['x-header', 'Shown in the record header'],
] as const

/** Auto-numbers and computed values: the engine writes them, so they are read-only by nature. */
export function isGenerated(field: FieldDefinition): boolean {
  return field['x-kind'] === 'auto-number' || field['x-kind'] === 'computed'
}

/**
 * The properties the Properties form changes, as `updateField` takes them:
 * only what differs from the draft, and a cleared value as null, which
 * removes the property. An empty label keeps the old one. Empty when nothing
 * changed.
 */
export function readPropertyChanges(
  field: FieldDefinition,
  data: FormData,
  defaultValue: unknown,
): Record<string, unknown> {
  const next: Record<string, unknown> = {
    title: String(data.get('title') ?? '').trim() || field.title,
    description: String(data.get('description') ?? '').trim() || null,
  }
  if (!isGenerated(field)) next.readOnly = data.get('readOnly') !== null || null
  if (!isReadOnly({ ...field, readOnly: false })) next.default = defaultValue ?? null
  if (data.has('maxLength')) next.maxLength = toInteger(data.get('maxLength'))
  if (data.has('x-scale')) next['x-scale'] = toInteger(data.get('x-scale'))
  for (const [key] of SHOWN_IN) next[key] = data.get(key) !== null || null

  return Object.fromEntries(
    Object.entries(next).filter(
      ([key, value]) =>
        JSON.stringify(value ?? null) !==
        JSON.stringify((field as unknown as Record<string, unknown>)[key] ?? null),
    ),
  )
}

/**
 * The `changeKind` operation the Kind form asks for, with how stored text
 * converts; undefined when the kind stays and no new values or target were
 * given, so there is nothing to change.
 */
export function readKindChange(
  name: string,
  field: FieldDefinition,
  data: FormData,
): ChangeOperation | undefined {
  const kind = String(data.get('kind')) as FieldKindName
  const properties = kindProperties(kind, data)
  const operation: ChangeOperation = {
    op: 'changeKind',
    field: name,
    kind,
    conversion: {
      decimalMark: data.get('decimalMark') === ',' ? ',' : '.',
      dateOrder: String(data.get('dateOrder')) as 'YMD' | 'DMY' | 'MDY',
      onFailure: data.get('clear') !== null ? 'clear' : 'refuse',
    },
  }
  if (properties) operation.properties = properties
  if (kind === field['x-kind'] && properties === undefined) return undefined

  return operation
}

function toInteger(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? '').trim()

  return text === '' ? null : Math.trunc(Number(text))
}

/** The extra keywords a new kind needs: picklist values or the module a relation points to. */
function kindProperties(kind: FieldKindName, data: FormData): Partial<FieldDefinition> | undefined {
  const values = parsePicklistValues(String(data.get('values') ?? ''))
  if (kind === 'picklist' && data.has('values')) return { enum: values }
  if (kind === 'multi-picklist' && data.has('values')) {
    return { items: { type: 'string', enum: values }, uniqueItems: true }
  }
  if (kind === 'relation' && data.has('target')) {
    return { 'x-relation': { module: String(data.get('target')) } }
  }

  return undefined
}

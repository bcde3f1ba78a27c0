import type { FieldDefinition, FieldKindName } from '../definition/types.ts'
import { booleanKind } from './boolean.ts'
import { dateKind, datetimeKind } from './date.ts'
import type { FieldKind } from './field-kind.ts'
import { autoNumberKind, computedKind } from './generated.ts'
import { createScaledKind, integerKind } from './number.ts'
import { multiPicklistKind, picklistKind } from './picklist.ts'
import { createReferenceKind } from './reference.ts'
import { createTextKind } from './text.ts'

const KINDS: Record<FieldKindName, FieldKind> = {
  text: createTextKind('text'),
  textarea: createTextKind('textarea'),
  email: createTextKind('email'),
  phone: createTextKind('phone'),
  url: createTextKind('url'),
  integer: integerKind,
  decimal: createScaledKind('decimal'),
  currency: createScaledKind('currency'),
  percent: createScaledKind('percent'),
  date: dateKind,
  datetime: datetimeKind,
  boolean: booleanKind,
  picklist: picklistKind,
  'multi-picklist': multiPicklistKind,
  relation: createReferenceKind('relation'),
  user: createReferenceKind('user'),
  'auto-number': autoNumberKind,
  computed: computedKind,
}

/** Every kind name the engine knows, in the order the editor offers them. */
export const FIELD_KIND_NAMES = Object.keys(KINDS) as FieldKindName[]

/** The kind of a field; the meta-schema guarantees the name is known. */
export function kindOf(field: FieldDefinition): FieldKind {
  return KINDS[field['x-kind']]
}

import { parseExpression, type Expression } from '../behaviours/expression.ts'
import { kindOf } from '../field-types/registry.ts'
import { createRecordValidator, type RecordValidator } from '../validation/record-validator.ts'
import type { FieldDefinition, LiveDefinition, ModuleDefinition } from './types.ts'

/**
 * Everything the engine derives from one definition version, built once when
 * the version goes live. Requests hold on to the runtime they started with,
 * so a change applied meanwhile never switches rules under them.
 */
export interface ModuleRuntime {
  readonly name: string
  readonly version: number
  readonly definition: ModuleDefinition
  /** Fields that are not archived, in definition order. */
  readonly fields: ReadonlyMap<string, FieldDefinition>
  readonly required: ReadonlySet<string>
  readonly computed: ReadonlyMap<string, Expression>
  readonly titleField: string | undefined
  readonly validate: RecordValidator
}

export function createModuleRuntime(live: LiveDefinition): ModuleRuntime {
  const { definition } = live
  const fields = new Map<string, FieldDefinition>()
  const computed = new Map<string, Expression>()
  for (const [name, field] of Object.entries(definition.record.properties)) {
    if (field['x-archived']) continue
    fields.set(name, field)
    if (field['x-expression'] !== undefined) computed.set(name, parseExpression(field['x-expression']))
  }
  const titleField =
    definition.recordTitle ??
    [...fields.entries()].find(([, field]) => kindOf(field).name === 'text')?.[0]

  return Object.freeze({
    name: definition.name,
    version: live.version,
    definition,
    fields,
    required: new Set(definition.record.required ?? []),
    computed,
    titleField,
    validate: createRecordValidator(definition),
  })
}

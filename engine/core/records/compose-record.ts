import { evaluateExpression } from '../behaviours/expression.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { FieldDefinition } from '../definition/types.ts'
import type { Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { SYSTEM_COLUMNS } from '../definition/reserved-names.ts'

export type FieldValues = Record<string, unknown>

export interface ComposedRecord {
  values: FieldValues
  issues: Issue[]
}

const SYSTEM_KEYS = new Set<string>(SYSTEM_COLUMNS)

/**
 * Builds the whole record a write would store: defaults (on create), the
 * stored values (on update), the input on top, then declared behaviours and
 * computed fields, and validates the result as a whole. Every write path
 * (API, form, import, mass edit) goes through here, so one rule holds for all.
 */
export function composeRecord(
  runtime: ModuleRuntime,
  input: FieldValues,
  options: {
    stored?: FieldValues
    actorId?: number
    /** Values the engine sets itself (a file's size, a conversion's links): read-only fields may take them. */
    system?: FieldValues
  },
): ComposedRecord {
  const { stored } = options
  const issues = checkWritableKeys(runtime, input, stored)
  const values: FieldValues = stored ? pickFields(runtime, stored) : defaultsOf(runtime, options.actorId)
  // for...in, not Object.entries: an import composes a million records, and each entry pair is garbage.
  for (const name in input) {
    const field = runtime.fields.get(name)
    if (field === undefined || kindOf(field).isGenerated) continue
    const value = input[name]
    // On create an empty value means "not given": forms send empty inputs, and defaults still apply.
    if (!stored && emptyToNull(value) === null && values[name] !== undefined) continue
    values[name] = fromDecimalText(field, emptyToNull(value))
  }
  const system = options.system
  if (system !== undefined) for (const name in system) if (runtime.fields.has(name)) values[name] = system[name]
  applyPicklistDefaults(runtime, input, values, stored)
  for (const [name, expression] of runtime.computed) {
    values[name] = evaluateExpression(expression, values, runtime.fields.get(name)!['x-scale'] ?? 2)
  }
  for (const name of fieldNamesOf(runtime)) if (values[name] === undefined) values[name] = null

  const generated = generatedFieldsOf(runtime)
  const checked: FieldValues = {}
  for (const name in values) if (!generated.has(name) || runtime.computed.has(name)) checked[name] = values[name]
  const known = new Set(issues.map((issue) => issue.field))
  issues.push(...runtime.validate(checked).filter((issue) => !known.has(issue.field)))

  return { values, issues }
}

const generatedFields = new WeakMap<ModuleRuntime, ReadonlySet<string>>()

/** Auto-numbers and computed fields of a module, found once per runtime (imports compose a million records). */
function generatedFieldsOf(runtime: ModuleRuntime): ReadonlySet<string> {
  let names = generatedFields.get(runtime)
  if (names === undefined) {
    names = new Set([...runtime.fields].filter(([, field]) => kindOf(field).isGenerated).map(([name]) => name))
    generatedFields.set(runtime, names)
  }

  return names
}

function checkWritableKeys(runtime: ModuleRuntime, input: FieldValues, stored?: FieldValues): Issue[] {
  const issues: Issue[] = []
  for (const name in input) {
    const value = input[name]
    if (SYSTEM_KEYS.has(name) || name.startsWith('_')) continue
    const field = runtime.fields.get(name)
    if (field === undefined) {
      const archived = runtime.definition.record.properties[name] !== undefined
      issues.push({
        path: `/${name}`,
        field: name,
        code: 'unknown-field',
        message: archived
          ? `"${name}" is archived; restore it in the Layout Editor to write it`
          : `"${name}" is not a field of ${runtime.definition.label.plural}`,
      })
    } else if ((field.readOnly || kindOf(field).isGenerated) && !(stored && sameValue(stored[name], value))) {
      issues.push({ path: `/${name}`, field: name, code: 'read-only', message: `${field.title} is read-only` })
    }
  }

  return issues
}

const fieldDefaults = new WeakMap<ModuleRuntime, { name: string; value: unknown }[]>()
const fieldNames = new WeakMap<ModuleRuntime, string[]>()

/** The fields with a default, listed once per runtime (iterating the field map per record made garbage). */
function defaultsListOf(runtime: ModuleRuntime): { name: string; value: unknown }[] {
  let list = fieldDefaults.get(runtime)
  if (list === undefined) {
    list = [...runtime.fields].filter(([, field]) => field.default !== undefined).map(([name, field]) => ({ name, value: field.default }))
    fieldDefaults.set(runtime, list)
  }

  return list
}

function fieldNamesOf(runtime: ModuleRuntime): string[] {
  let names = fieldNames.get(runtime)
  if (names === undefined) {
    names = [...runtime.fields.keys()]
    fieldNames.set(runtime, names)
  }

  return names
}

function defaultsOf(runtime: ModuleRuntime, actorId?: number): FieldValues {
  const values: FieldValues = {}
  for (const { name, value } of defaultsListOf(runtime)) {
    // Only objects need a copy; structuredClone of a string per field per record is an import's hot spot.
    values[name] = typeof value === 'object' && value !== null ? structuredClone(value) : value
  }
  const owner = runtime.definition.ownerField
  if (owner !== undefined && actorId !== undefined) values[owner] = actorId

  return values
}

/**
 * A picklist value's metadata fills another field (a sales stage sets its
 * probability) when the picklist is set or changed and the writer did not
 * give the target. A value without that metadata leaves the target alone.
 */
function applyPicklistDefaults(runtime: ModuleRuntime, input: FieldValues, values: FieldValues, stored?: FieldValues): void {
  for (const rule of runtime.definition.behaviours?.picklistDefaults ?? []) {
    const policy = rule.policy ?? 'unless-given'
    // An empty target counts as not given, so a form's blank probability still follows the stage.
    const given = emptyToNull(input[rule.target]) !== null
    if (policy === 'never' || !(rule.source in input) || (given && policy === 'unless-given')) continue
    const value = values[rule.source]
    if (stored !== undefined && stored[rule.source] === value) continue
    const meta = runtime.fields.get(rule.source)?.['x-values']?.[String(value)]?.[rule.key]
    if (meta !== undefined) values[rule.target] = meta
  }
}

function pickFields(runtime: ModuleRuntime, stored: FieldValues): FieldValues {
  const values: FieldValues = {}
  for (const name of runtime.fields.keys()) values[name] = stored[name] ?? null

  return values
}

/**
 * Money and other decimals may arrive as exact decimal text ("1000.00"), which
 * JSON numbers cannot always carry; plain decimal text becomes the number.
 */
function fromDecimalText(field: FieldDefinition, value: unknown): unknown {
  if (typeof value !== 'string') return value
  const kind = kindOf(field)
  const jsonType = kind.jsonType
  if (jsonType !== 'number' && jsonType !== 'integer') return kind.tidy ? kind.tidy(value) : value

  return /^-?\d{1,15}(\.\d{1,12})?$/.test(value.trim()) ? Number(value.trim()) : value
}

function emptyToNull(value: unknown): unknown {
  return value === '' || value === undefined ? null : value
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null)
}

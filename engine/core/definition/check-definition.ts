import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import { fieldsOf, parseExpression } from '../behaviours/expression.ts'
import { EngineError, type Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { createAjv } from '../validation/create-ajv.ts'
import { checkLinkedBehaviours } from './check-linked-behaviours.ts'
import { RESERVED_FIELD_NAMES } from './reserved-names.ts'
import type { ModuleDefinition } from './types.ts'

const META_SCHEMA = JSON.parse(
  readFileSync(new URL('../../../schemas/module.schema.json', import.meta.url), 'utf8'),
)
const validateMetaSchema = createAjv().compile(META_SCHEMA)

/**
 * Checks a candidate definition against the meta-schema, then against the
 * rules JSON Schema cannot say (layout names, relation targets, expressions).
 * `otherModules` are the definitions the candidate may refer to. Returns the
 * issues; an empty list means the definition can be used.
 */
export function checkDefinition(
  candidate: unknown,
  otherModules: ReadonlyMap<string, ModuleDefinition>,
): Issue[] {
  if (!validateMetaSchema(candidate)) return (validateMetaSchema.errors ?? []).map(metaIssue)

  return checkReferences(candidate as ModuleDefinition, otherModules)
}

/** The throwing twin of checkDefinition. */
export function checkDefinitionOrThrow(
  candidate: unknown,
  otherModules: ReadonlyMap<string, ModuleDefinition>,
): ModuleDefinition {
  const issues = checkDefinition(candidate, otherModules)
  if (issues.length > 0) {
    const first = issues[0]
    throw new EngineError('DEFINITION_INVALID', `the definition is invalid: ${first.path || '/'} ${first.message}`, { issues })
  }

  return candidate as ModuleDefinition
}

function metaIssue(error: ErrorObject): Issue {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` ("${(error.params as { additionalProperty: string }).additionalProperty}")`
      : error.keyword === 'enum'
        ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
        : ''

  return { path: error.instancePath, code: error.keyword, message: `${error.message}${extra}` }
}

function checkReferences(definition: ModuleDefinition, others: ReadonlyMap<string, ModuleDefinition>): Issue[] {
  const issues: Issue[] = []
  const fields = definition.record.properties
  const names = new Set(Object.keys(fields))
  const moduleExists = (name: string) => name === definition.name || others.has(name)
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message })

  for (const [name, field] of Object.entries(fields)) {
    const path = `/record/properties/${name}`
    if (RESERVED_FIELD_NAMES.has(name)) add(path, 'reserved', `"${name}" is reserved by the engine; choose another name`)
    const jsonType = kindOf(field).jsonType
    const typeOk =
      field.type === undefined ||
      field.type === jsonType ||
      (field['x-kind'] === 'computed' && (field.type === 'string' || field.type === 'number'))
    if (!typeOk) add(`${path}/type`, 'type', `a ${field['x-kind']} field has type "${jsonType}", not "${field.type}"`)
    const target = field['x-relation']?.module
    if (target !== undefined && !moduleExists(target)) add(`${path}/x-relation/module`, 'module', `module "${target}" does not exist`)
    if (field.enum && field.default !== undefined && !field.enum.includes(String(field.default))) {
      add(`${path}/default`, 'enum', `default "${String(field.default)}" is not one of the values`)
    }
    for (const value of Object.keys(field['x-values'] ?? {})) {
      if (!field.enum?.includes(value)) add(`${path}/x-values/${value}`, 'enum', `"${value}" is not one of the picklist values`)
    }
    if (field['x-expression'] !== undefined) checkExpression(field['x-expression'], `${path}/x-expression`, names, add)
  }

  // Labels are CSV headers and form labels: two live fields with one label would make an export
  // that imports back into only one of them.
  const labels = new Map<string, string>()
  for (const [name, field] of Object.entries(fields)) {
    if (field['x-archived']) continue
    const label = field.title.trim().toLocaleLowerCase()
    const other = labels.get(label)
    if (other !== undefined) add(`/record/properties/${name}/title`, 'duplicate-label', `"${field.title}" is already the label of "${other}"; give each field its own label`)
    else labels.set(label, name)
  }
  for (const [index, name] of (definition.record.required ?? []).entries()) {
    if (!names.has(name)) add(`/record/required/${index}`, 'field', `required field "${name}" is not defined`)
  }
  for (const key of ['recordTitle', 'ownerField'] as const) {
    const name = definition[key]
    if (name !== undefined && !names.has(name)) add(`/${key}`, 'field', `field "${name}" is not defined`)
  }
  const owner = definition.ownerField
  if (owner !== undefined && names.has(owner) && fields[owner]['x-kind'] !== 'user') {
    add('/ownerField', 'kind', `the owner field "${owner}" must be a user field`)
  }
  checkLayout(definition, names, add)
  for (const [index, relation] of (definition.relations ?? []).entries()) {
    if (!moduleExists(relation.module)) add(`/relations/${index}/module`, 'module', `module "${relation.module}" does not exist`)
  }
  for (const name of Object.keys(definition.csv?.aliases ?? {})) {
    if (!names.has(name)) add(`/csv/aliases/${name}`, 'field', `field "${name}" is not defined`)
  }
  for (const [index, name] of (definition.behaviours?.history?.snapshot ?? []).entries()) {
    if (!names.has(name)) add(`/behaviours/history/snapshot/${index}`, 'field', `field "${name}" is not defined`)
  }
  for (const [key, name] of Object.entries(definition.behaviours?.forecast ?? {})) {
    if (!names.has(name)) add(`/behaviours/forecast/${key}`, 'field', `field "${name}" is not defined`)
  }
  for (const [index, rollup] of (definition.behaviours?.rollups ?? []).entries()) {
    const path = `/behaviours/rollups/${index}`
    if (!names.has(rollup.target)) add(`${path}/target`, 'field', `field "${rollup.target}" is not defined`)
    const source = rollup.module === definition.name ? definition : others.get(rollup.module)
    if (!source) add(`${path}/module`, 'module', `module "${rollup.module}" does not exist`)
    else {
      if (source.record.properties[rollup.via]?.['x-relation']?.module !== definition.name) add(`${path}/via`, 'field', `"${rollup.module}.${rollup.via}" is not a relation to ${definition.name}`)
      if (rollup.aggregate !== 'count' && !source.record.properties[rollup.field]) add(`${path}/field`, 'field', `"${rollup.module}.${rollup.field}" is not defined`)
    }
  }
  for (const [index, rule] of (definition.behaviours?.picklistDefaults ?? []).entries()) {
    for (const key of ['source', 'target'] as const) {
      if (!names.has(rule[key])) add(`/behaviours/picklistDefaults/${index}/${key}`, 'field', `field "${rule[key]}" is not defined`)
    }
  }
  checkLinkedBehaviours(definition, others, add)

  return issues
}

function checkLayout(
  definition: ModuleDefinition,
  names: Set<string>,
  add: (path: string, code: string, message: string) => void,
): void {
  const placed = new Map<string, string>()
  const blockIds = new Set<string>()
  const place = (name: string, path: string) => {
    if (!names.has(name)) add(path, 'field', `field "${name}" is not defined`)
    else if (placed.has(name)) add(path, 'duplicate', `field "${name}" is already placed at ${placed.get(name)}`)
    else placed.set(name, path)
  }
  definition.layout.blocks.forEach((block, blockIndex) => {
    if (blockIds.has(block.id)) add(`/layout/blocks/${blockIndex}/id`, 'duplicate', `block id "${block.id}" is used twice`)
    blockIds.add(block.id)
    block.fields.forEach((name, index) => place(name, `/layout/blocks/${blockIndex}/fields/${index}`))
  })
  ;(definition.layout.hidden ?? []).forEach((name, index) => place(name, `/layout/hidden/${index}`))
  for (const name of names) {
    const archived = definition.record.properties[name]['x-archived'] === true
    if (!placed.has(name) && !archived) {
      add('/layout', 'placement', `field "${name}" is in no block; add it to a block or to layout.hidden`)
    }
  }
}

function checkExpression(
  text: string,
  path: string,
  names: Set<string>,
  add: (path: string, code: string, message: string) => void,
): void {
  try {
    for (const name of fieldsOf(parseExpression(text))) {
      if (!names.has(name)) add(path, 'expression', `the expression reads "${name}", which is not a field`)
    }
  } catch (error) {
    add(path, 'expression', `the expression "${text}" is invalid: ${(error as Error).message}`)
  }
}

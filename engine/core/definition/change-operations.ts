import { EngineError, type Issue } from '../errors.ts'
import { deriveFieldName } from './derive-field-name.ts'
import { assignOwn, getOwn, setOwn } from './own-keys.ts'
import { findFieldUses, renameFieldReferences } from './field-references.ts'
import { emptyMigration, type ConversionOptions, type MigrationOptions } from './migration-options.ts'
import type { FieldDefinition, FieldKindName, LayoutBlock, ModuleDefinition, PicklistValueMeta } from './types.ts'

/** One Layout Editor action. A list of them turns the live definition into the next one. */
export type ChangeOperation =
  | { op: 'addField'; label: string; kind: FieldKindName; name?: string; block?: string; position?: number; properties?: Partial<FieldDefinition>; required?: boolean; backfill?: unknown; keepGaps?: boolean }
  | { op: 'updateField'; field: string; properties: Partial<FieldDefinition> }
  | { op: 'changeKind'; field: string; kind: FieldKindName; properties?: Partial<FieldDefinition>; conversion?: ConversionOptions }
  | { op: 'renameField'; field: string; newName: string }
  | { op: 'setRequired'; field: string; required: boolean; backfill?: unknown; keepGaps?: boolean }
  | { op: 'archiveField'; field: string }
  | { op: 'restoreField'; field: string; block?: string }
  | { op: 'purgeField'; field: string }
  | { op: 'addPicklistValue'; field: string; value: string; position?: number; meta?: PicklistValueMeta }
  | { op: 'renamePicklistValue'; field: string; from: string; to: string }
  | { op: 'reorderPicklistValues'; field: string; values: string[] }
  | { op: 'mergePicklistValues'; field: string; from: string[]; into: string }
  | { op: 'deletePicklistValue'; field: string; value: string; replacement: string | null }
  | { op: 'setPicklistValueMeta'; field: string; value: string; meta: PicklistValueMeta | null }
  | { op: 'addBlock'; label: string; id?: string; columns?: 1 | 2 | 3; position?: number }
  | { op: 'renameBlock'; block: string; label: string }
  | { op: 'reorderBlocks'; blocks: string[] }
  | { op: 'moveField'; field: string; block: string; position?: number }
  | { op: 'removeBlock'; block: string }
  | { op: 'addRelation'; module: string; label: string; inverseLabel?: string; name?: string }
  | { op: 'updateModule'; label?: { singular: string; plural: string }; recordTitle?: string }

const MACHINE_NAME = /^[a-z][a-z0-9_]{0,62}$/

export interface AppliedOperations {
  definition: ModuleDefinition
  migration: Required<MigrationOptions>
}

const JSON_TYPE_OF: Record<FieldKindName, FieldDefinition['type']> = {
  text: 'string', textarea: 'string', email: 'string', phone: 'string', url: 'string', date: 'string', datetime: 'string',
  picklist: 'string', 'auto-number': 'string', integer: 'integer', relation: 'integer', user: 'integer',
  decimal: 'number', currency: 'number', percent: 'number', computed: 'number', boolean: 'boolean', 'multi-picklist': 'array',
}
const FORMAT_OF: Partial<Record<FieldKindName, FieldDefinition['format']>> = { date: 'date', datetime: 'date-time', email: 'email', url: 'uri' }

/**
 * Applies Layout Editor operations to a copy of a definition, repairing the
 * references each one touches (layout, required list, expressions,
 * behaviours, aliases), and collects how stored values must move. Throws
 * DEFINITION_INVALID naming the operation when one cannot apply.
 */
export function applyOperations(current: ModuleDefinition, operations: ChangeOperation[]): AppliedOperations {
  const definition = structuredClone(current)
  const migration = emptyMigration()
  operations.forEach((operation, index) => {
    const fail = (message: string, issues: Issue[] = []): never => {
      throw new EngineError('DEFINITION_INVALID', `operation ${index + 1} (${operation.op}): ${message}`, {
        issues: issues.length > 0 ? issues : [{ path: `/operations/${index}`, code: operation.op, message }],
      })
    }
    applyOne(definition, migration, operation, fail)
  })

  return { definition, migration }
}

type Fail = (message: string, issues?: Issue[]) => never

function applyOne(definition: ModuleDefinition, migration: Required<MigrationOptions>, operation: ChangeOperation, fail: Fail): void {
  const fields = definition.record.properties
  for (const key of ['field', 'newName', 'name', 'block', 'id', 'module'] as const) {
    const value = (operation as Record<string, unknown>)[key]
    if (value !== undefined && (typeof value !== 'string' || !MACHINE_NAME.test(value))) fail(`"${String(value)}" is not a valid ${key}: use lower snake case ASCII starting with a letter`)
  }
  for (const key of ['value', 'from', 'to', 'into', 'replacement'] as const) {
    const value = (operation as Record<string, unknown>)[key]
    const values = Array.isArray(value) ? value : [value]
    if (values.some((item) => item !== undefined && item !== null && typeof item !== 'string')) fail(`${key} must be text`)
  }
  const fieldOf = (name: string): FieldDefinition => getOwn(fields, name) ?? fail(`field "${name}" does not exist`)
  const blockOf = (id: string): LayoutBlock => definition.layout.blocks.find((block) => block.id === id) ?? fail(`block "${id}" does not exist`)
  const picklistOf = (name: string): FieldDefinition => {
    const field = fieldOf(name)
    if (field['x-kind'] !== 'picklist' && field['x-kind'] !== 'multi-picklist') fail(`"${name}" is not a picklist`)

    return field
  }

  switch (operation.op) {
    case 'addField': {
      const name = operation.name ?? deriveFieldName(operation.label, new Set(Object.keys(fields)))
      if (getOwn(fields, name)) fail(`a field named "${name}" exists already`)
      setOwn(fields, name, fieldFor(operation.kind, operation.label, operation.properties))
      place(definition, name, operation.block ?? definition.layout.blocks[0].id, operation.position, fail)
      if (operation.required) setRequired(definition, migration, name, true, operation.backfill, operation.keepGaps)

      return
    }
    case 'updateField': {
      const field = fieldOf(operation.field)
      const forbidden = Object.keys(operation.properties).filter((key) => ['x-kind', 'type', 'x-archived', 'x-restore', 'enum', 'items'].includes(key))
      if (forbidden.length > 0) fail(`use changeKind, archiveField or the picklist operations to change ${forbidden.join(', ')}`)
      assignOwn(field, operation.properties)
      for (const [key, value] of Object.entries(operation.properties)) if (value === null) delete (field as unknown as Record<string, unknown>)[key]

      return
    }
    case 'changeKind': {
      const field = fieldOf(operation.field)
      const next = fieldFor(operation.kind, field.title, { ...keepCommon(field), ...operation.properties })
      setOwn(fields, operation.field, next)
      setOwn(migration.conversions, operation.field, operation.conversion ?? {})

      return
    }
    case 'renameField': {
      fieldOf(operation.field)
      if (getOwn(fields, operation.newName)) fail(`a field named "${operation.newName}" exists already`)
      renameFieldReferences(definition, operation.field, operation.newName)
      const original = Object.entries(migration.renames).find(([, to]) => to === operation.field)?.[0] ?? operation.field
      setOwn(migration.renames, original, operation.newName)

      return
    }
    case 'setRequired':
      fieldOf(operation.field)
      setRequired(definition, migration, operation.field, operation.required, operation.backfill, operation.keepGaps)

      return
    case 'archiveField': {
      const field = fieldOf(operation.field)
      const uses = findFieldUses(definition, operation.field).filter((use) => use.blocking)
      if (uses.length > 0) {
        fail(`"${operation.field}" is still used: ${uses.map((use) => use.where).join('; ')}`, uses.map((use) => ({ path: use.path, field: operation.field, code: 'in-use', message: use.where })))
      }
      const placement = findPlacement(definition, operation.field)
      field['x-archived'] = true
      field['x-restore'] = { ...placement, required: (definition.record.required ?? []).includes(operation.field) }
      unplace(definition, operation.field)
      definition.record.required = (definition.record.required ?? []).filter((name) => name !== operation.field)

      return
    }
    case 'restoreField': {
      const field = fieldOf(operation.field)
      if (!field['x-archived']) fail(`"${operation.field}" is not archived`)
      const restore = field['x-restore'] ?? {}
      delete field['x-archived']
      delete field['x-restore']
      const block = operation.block ?? (definition.layout.blocks.some((item) => item.id === restore.block) ? restore.block! : definition.layout.blocks[0].id)
      place(definition, operation.field, block, restore.position, fail)
      if (restore.required) definition.record.required = [...(definition.record.required ?? []), operation.field]

      return
    }
    case 'purgeField': {
      if (!fieldOf(operation.field)['x-archived']) fail(`archive "${operation.field}" before purging it`)
      delete fields[operation.field]
      delete definition.csv?.aliases?.[operation.field]
      migration.purge.push(operation.field)

      return
    }
    case 'addPicklistValue': {
      const values = valuesOf(picklistOf(operation.field))
      if (values.includes(operation.value)) fail(`"${operation.value}" is already a value of "${operation.field}"`)
      values.splice(operation.position ?? values.length, 0, operation.value)
      if (operation.meta) setOwn(metaOf(fieldOf(operation.field)), operation.value, operation.meta)

      return
    }
    case 'renamePicklistValue':
    case 'mergePicklistValues':
    case 'deletePicklistValue': {
      const field = picklistOf(operation.field)
      const values = valuesOf(field)
      const moves: [string, string | null][] =
        operation.op === 'renamePicklistValue'
          ? [[operation.from, operation.to]]
          : operation.op === 'mergePicklistValues'
            ? operation.from.map((value) => [value, operation.into])
            : [[operation.value, operation.replacement]]
      for (const [from, to] of moves) {
        if (!values.includes(from)) fail(`"${from}" is not a value of "${operation.field}"`)
        if (to !== null && operation.op !== 'renamePicklistValue' && !values.includes(to)) fail(`"${to}" is not a value of "${operation.field}"`)
        if (operation.op === 'renamePicklistValue' && values.includes(to!)) fail(`"${to}" is already a value; merge instead`)
        movePicklistValue(definition, migration, operation.field, from, to, operation.op === 'renamePicklistValue')
      }

      return
    }
    case 'reorderPicklistValues': {
      const values = valuesOf(picklistOf(operation.field))
      if ([...operation.values].sort().join('\u0000') !== [...values].sort().join('\u0000')) fail('the new order must list exactly the current values')
      values.splice(0, values.length, ...operation.values)

      return
    }
    case 'setPicklistValueMeta': {
      const field = picklistOf(operation.field)
      if (!valuesOf(field).includes(operation.value)) fail(`"${operation.value}" is not a value of "${operation.field}"`)
      if (operation.meta === null) delete metaOf(field)[operation.value]
      else setOwn(metaOf(field), operation.value, operation.meta)

      return
    }
    case 'addBlock': {
      const taken = new Set(definition.layout.blocks.map((block) => block.id))
      const id = operation.id ?? deriveFieldName(operation.label, taken, '')
      if (taken.has(id)) fail(`a block with id "${id}" exists already`)
      definition.layout.blocks.splice(operation.position ?? definition.layout.blocks.length, 0, { id, label: operation.label, columns: operation.columns ?? 2, fields: [] })

      return
    }
    case 'renameBlock':
      blockOf(operation.block).label = operation.label

      return
    case 'reorderBlocks': {
      const ids = definition.layout.blocks.map((block) => block.id)
      if ([...operation.blocks].sort().join() !== [...ids].sort().join()) fail('the new order must list exactly the current blocks')
      definition.layout.blocks.sort((a, b) => operation.blocks.indexOf(a.id) - operation.blocks.indexOf(b.id))

      return
    }
    case 'moveField':
      fieldOf(operation.field)
      blockOf(operation.block)
      unplace(definition, operation.field)
      place(definition, operation.field, operation.block, operation.position, fail)

      return
    case 'removeBlock': {
      const block = blockOf(operation.block)
      if (block.fields.length > 0) fail(`block "${block.label}" still holds ${block.fields.join(', ')}; move them first`)
      if (definition.layout.blocks.length === 1) fail('a module keeps at least one block')
      definition.layout.blocks = definition.layout.blocks.filter((item) => item !== block)

      return
    }
    case 'addRelation': {
      const relations = (definition.relations ??= [])
      const name = operation.name ?? deriveFieldName(operation.label, new Set(relations.map((relation) => relation.name)), '')
      if (relations.some((relation) => relation.name === name)) fail(`a relation named "${name}" exists already`)
      relations.push({ name, module: operation.module, label: operation.label, ...(operation.inverseLabel ? { inverseLabel: operation.inverseLabel } : {}) })

      return
    }
    case 'updateModule':
      if (operation.label) definition.label = operation.label
      if (operation.recordTitle) definition.recordTitle = operation.recordTitle

      return
    default:
      fail(`unknown operation "${(operation as { op: string }).op}"`)
  }
}

/** A new field of a kind, with the JSON type and format the kind needs. */
export function fieldFor(kind: FieldKindName, label: string, properties: Partial<FieldDefinition> = {}): FieldDefinition {
  const field: FieldDefinition = { type: JSON_TYPE_OF[kind], 'x-kind': kind, title: label }
  const format = FORMAT_OF[kind]
  if (format) field.format = format
  if (kind === 'currency' || kind === 'decimal' || kind === 'percent') field['x-scale'] = 2
  if (kind === 'percent') Object.assign(field, { minimum: 0, maximum: 100 })
  if (kind === 'auto-number' || kind === 'computed') field.readOnly = true
  // A limit is part of the contract (column, form, import): text gets one unless the admin sets another.
  if (kind === 'text' || kind === 'phone' || kind === 'email') field.maxLength = kind === 'email' ? 254 : 255
  if (kind === 'url') field.maxLength = 2000
  assignOwn(field, properties)
  if (kind === 'computed' && properties.type === 'string') field.type = 'string'

  return field
}

function keepCommon(field: FieldDefinition): Partial<FieldDefinition> {
  const kept: Partial<FieldDefinition> = {}
  for (const key of ['description', 'x-list', 'x-quick-create', 'x-mass-edit', 'x-header', 'x-searchable'] as const) {
    if (field[key] !== undefined) (kept as Record<string, unknown>)[key] = field[key]
  }

  return kept
}

function setRequired(definition: ModuleDefinition, migration: Required<MigrationOptions>, name: string, required: boolean, backfill: unknown, keepGaps?: boolean): void {
  const list = (definition.record.required ?? []).filter((item) => item !== name)
  definition.record.required = required ? [...list, name] : list
  if (!required) return
  if (backfill !== undefined && backfill !== null && backfill !== '') setOwn(migration.backfill, name, backfill)
  if (keepGaps) migration.keepGaps.push(name)
}

function movePicklistValue(definition: ModuleDefinition, migration: Required<MigrationOptions>, name: string, from: string, to: string | null, isRename: boolean): void {
  const field = definition.record.properties[name]
  const values = valuesOf(field)
  const index = values.indexOf(from)
  if (isRename && to !== null) values[index] = to
  else values.splice(index, 1)
  const meta = field['x-values']
  const moved = getOwn(meta, from)
  if (meta && moved !== undefined) {
    if (isRename && to !== null) setOwn(meta, to, moved)
    delete meta[from]
  }
  if (field.default === from) field.default = to ?? undefined
  if (field.default === undefined) delete field.default
  if (!getOwn(migration.valueMaps, name)) setOwn(migration.valueMaps, name, {})
  const map = migration.valueMaps[name]
  for (const [key, value] of Object.entries(map)) if (value === from) setOwn(map, key, to)
  setOwn(map, from, to)
}

function valuesOf(field: FieldDefinition): string[] {
  return field['x-kind'] === 'multi-picklist' ? field.items!.enum : field.enum!
}

function metaOf(field: FieldDefinition): Record<string, PicklistValueMeta> {
  return (field['x-values'] ??= {})
}

function findPlacement(definition: ModuleDefinition, name: string): { block?: string; position?: number } {
  for (const block of definition.layout.blocks) {
    const position = block.fields.indexOf(name)
    if (position !== -1) return { block: block.id, position }
  }

  return {}
}

function unplace(definition: ModuleDefinition, name: string): void {
  for (const block of definition.layout.blocks) block.fields = block.fields.filter((item) => item !== name)
  if (definition.layout.hidden) definition.layout.hidden = definition.layout.hidden.filter((item) => item !== name)
}

function place(definition: ModuleDefinition, name: string, blockId: string, position: number | undefined, fail: Fail): void {
  const block = definition.layout.blocks.find((item) => item.id === blockId) ?? fail(`block "${blockId}" does not exist`)
  block.fields.splice(Math.min(position ?? block.fields.length, block.fields.length), 0, name)
}

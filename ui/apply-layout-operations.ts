import type { ChangeOperation } from '../engine/core/definition/change-operations.ts'
import { assignOwn, getOwn, setOwn } from '../engine/core/definition/own-keys.ts'
import type {
  FieldDefinition,
  FieldKindName,
  LayoutBlock,
  ModuleDefinition,
  PicklistValueMeta,
} from '../engine/core/definition/types.ts'

export type { ChangeOperation }

/** Thrown when an operation cannot apply to the draft; the message names the reason. */
export class LayoutOperationError extends Error {
  override name = 'LayoutOperationError'
}

const JSON_TYPE_OF: Record<FieldKindName, FieldDefinition['type']> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  date: 'string',
  datetime: 'string',
  picklist: 'string',
  'auto-number': 'string',
  integer: 'integer',
  relation: 'integer',
  user: 'integer',
  decimal: 'number',
  currency: 'number',
  percent: 'number',
  computed: 'number',
  boolean: 'boolean',
  'multi-picklist': 'array',
}
const FORMAT_OF: Partial<Record<FieldKindName, FieldDefinition['format']>> = {
  date: 'date',
  datetime: 'date-time',
  email: 'email',
  url: 'uri',
}
const KEPT_ON_KIND_CHANGE = [
  'description',
  'x-list',
  'x-quick-create',
  'x-mass-edit',
  'x-header',
  'x-searchable',
] as const
const LOCKED_PROPERTIES = ['x-kind', 'type', 'x-archived', 'x-restore', 'enum', 'items']

/**
 * The draft the Layout Editor shows: the live definition with the queued
 * operations applied, the way the server will apply them. The server stays
 * the judge (its plan checks data and the meta-schema); this copy only lets
 * the canvas and the preview follow each edit at once. The editor always
 * sends explicit names, so no name is derived here.
 *
 * @example applyLayoutOperations(live.definition, [{ op: 'renameBlock', block: 'main', label: 'Deal' }])
 */
export function applyLayoutOperations(
  current: ModuleDefinition,
  operations: ChangeOperation[],
): ModuleDefinition {
  const definition = structuredClone(current)
  operations.forEach((operation, index) => {
    try {
      applyOne(definition, operation)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new LayoutOperationError(`change ${index + 1} (${operation.op}): ${reason}`)
    }
  })

  return definition
}

/** The JSON Schema property of a new field of a kind, as the server's `fieldFor` builds it. */
export function fieldForKind(
  kind: FieldKindName,
  label: string,
  properties: Partial<FieldDefinition> = {},
): FieldDefinition {
  const field: FieldDefinition = { type: JSON_TYPE_OF[kind], 'x-kind': kind, title: label }
  const format = FORMAT_OF[kind]
  if (format) field.format = format
  if (kind === 'currency' || kind === 'decimal' || kind === 'percent') field['x-scale'] = 2
  if (kind === 'percent') Object.assign(field, { minimum: 0, maximum: 100 })
  if (kind === 'auto-number' || kind === 'computed') field.readOnly = true
  if (kind === 'text' || kind === 'phone') field.maxLength = 255
  if (kind === 'email') field.maxLength = 254
  if (kind === 'url') field.maxLength = 2000
  assignOwn(field, properties)
  if (kind === 'computed' && properties.type === 'string') field.type = 'string'

  return field
}

/** The values of a picklist or multi-picklist field, empty for other kinds. */
export function picklistValuesOf(field: FieldDefinition): string[] {
  if (field['x-kind'] === 'multi-picklist') return field.items?.enum ?? []

  return field['x-kind'] === 'picklist' ? (field.enum ?? []) : []
}

function fail(message: string): never {
  throw new LayoutOperationError(message)
}

function applyOne(definition: ModuleDefinition, operation: ChangeOperation): void {
  switch (operation.op) {
    case 'addField':
    case 'updateField':
    case 'changeKind':
    case 'renameField':
    case 'setRequired':
    case 'archiveField':
    case 'restoreField':
    case 'purgeField':
      return applyFieldOperation(definition, operation)
    case 'addPicklistValue':
    case 'renamePicklistValue':
    case 'reorderPicklistValues':
    case 'mergePicklistValues':
    case 'deletePicklistValue':
    case 'setPicklistValueMeta':
      return applyPicklistOperation(definition, operation)
    default:
      return applyLayoutOperation(definition, operation)
  }
}

function applyFieldOperation(definition: ModuleDefinition, operation: ChangeOperation): void {
  const fields = definition.record.properties
  switch (operation.op) {
    case 'addField': {
      const name = operation.name ?? fail('the editor names every new field')
      if (getOwn(fields, name)) fail(`a field named "${name}" exists already`)
      setOwn(fields, name, fieldForKind(operation.kind, operation.label, operation.properties))
      place(definition, name, operation.block ?? definition.layout.blocks[0].id, operation.position)
      if (operation.required) setRequired(definition, name, true)

      return
    }
    case 'updateField': {
      const field = fieldOf(definition, operation.field)
      const locked = Object.keys(operation.properties).filter((key) =>
        LOCKED_PROPERTIES.includes(key),
      )
      if (locked.length > 0) fail(`${locked.join(', ')} change through their own operations`)
      assignOwn(field, operation.properties)
      for (const [key, value] of Object.entries(operation.properties)) {
        if (value === null) delete (field as unknown as Record<string, unknown>)[key]
      }

      return
    }
    case 'changeKind': {
      const field = fieldOf(definition, operation.field)
      const kept: Record<string, unknown> = {}
      for (const key of KEPT_ON_KIND_CHANGE) {
        if (field[key] !== undefined) setOwn(kept, key, field[key])
      }
      setOwn(
        fields,
        operation.field,
        fieldForKind(operation.kind, field.title, { ...kept, ...operation.properties }),
      )

      return
    }
    case 'renameField':
      fieldOf(definition, operation.field)
      if (getOwn(fields, operation.newName))
        fail(`a field named "${operation.newName}" exists already`)
      renameReferences(definition, operation.field, operation.newName)

      return
    case 'setRequired':
      fieldOf(definition, operation.field)
      setRequired(definition, operation.field, operation.required)

      return
    default:
      return applyArchiveOperation(definition, operation)
  }
}

function applyArchiveOperation(definition: ModuleDefinition, operation: ChangeOperation): void {
  const fields = definition.record.properties
  switch (operation.op) {
    case 'archiveField': {
      const field = fieldOf(definition, operation.field)
      const uses = blockingUses(definition, operation.field)
      if (uses.length > 0) fail(`"${operation.field}" is still used: ${uses.join('; ')}`)
      const placement = placementOf(definition, operation.field)
      const required = (definition.record.required ?? []).includes(operation.field)
      field['x-archived'] = true
      field['x-restore'] = { ...placement, required }
      unplace(definition, operation.field)
      definition.record.required = (definition.record.required ?? []).filter(
        (name) => name !== operation.field,
      )

      return
    }
    case 'restoreField': {
      const field = fieldOf(definition, operation.field)
      if (!field['x-archived']) fail(`"${operation.field}" is not archived`)
      const restore = field['x-restore'] ?? {}
      delete field['x-archived']
      delete field['x-restore']
      const known = definition.layout.blocks.some((block) => block.id === restore.block)
      const block = operation.block ?? (known ? restore.block! : definition.layout.blocks[0].id)
      place(definition, operation.field, block, restore.position)
      if (restore.required) {
        definition.record.required = [...(definition.record.required ?? []), operation.field]
      }

      return
    }
    case 'purgeField':
      if (!fieldOf(definition, operation.field)['x-archived']) {
        fail(`archive "${operation.field}" before purging it`)
      }
      delete fields[operation.field]
      delete definition.csv?.aliases?.[operation.field]

      return
  }
}

function applyPicklistOperation(definition: ModuleDefinition, operation: ChangeOperation): void {
  if (!('field' in operation)) return
  const field = fieldOf(definition, operation.field)
  if (field['x-kind'] !== 'picklist' && field['x-kind'] !== 'multi-picklist') {
    fail(`"${operation.field}" is not a picklist`)
  }
  const values = picklistValuesOf(field)
  const has = (value: string) =>
    values.includes(value) || fail(`"${value}" is not a value of "${operation.field}"`)
  switch (operation.op) {
    case 'addPicklistValue':
      if (values.includes(operation.value))
        fail(`"${operation.value}" is already a value of "${operation.field}"`)
      values.splice(operation.position ?? values.length, 0, operation.value)
      if (operation.meta) setOwn(metaOf(field), operation.value, operation.meta)

      return
    case 'renamePicklistValue':
      has(operation.from)
      if (values.includes(operation.to)) fail(`"${operation.to}" is already a value; merge instead`)
      moveValue(field, operation.from, operation.to, true)

      return
    case 'mergePicklistValues':
      has(operation.into)
      for (const from of operation.from) {
        has(from)
        moveValue(field, from, operation.into, false)
      }

      return
    case 'deletePicklistValue':
      has(operation.value)
      if (operation.replacement !== null) has(operation.replacement)
      moveValue(field, operation.value, operation.replacement, false)

      return
    case 'reorderPicklistValues':
      if ([...operation.values].sort().join('\u0000') !== [...values].sort().join('\u0000')) {
        fail('the new order must list exactly the current values')
      }
      values.splice(0, values.length, ...operation.values)

      return
    case 'setPicklistValueMeta':
      has(operation.value)
      if (operation.meta === null) delete metaOf(field)[operation.value]
      else setOwn(metaOf(field), operation.value, operation.meta)

      return
  }
}

function applyLayoutOperation(definition: ModuleDefinition, operation: ChangeOperation): void {
  const blocks = definition.layout.blocks
  switch (operation.op) {
    case 'addBlock': {
      const id = operation.id ?? fail('the editor names every new block')
      if (blocks.some((block) => block.id === id)) fail(`a block with id "${id}" exists already`)
      const block = { id, label: operation.label, columns: operation.columns ?? 2, fields: [] }
      blocks.splice(operation.position ?? blocks.length, 0, block)

      return
    }
    case 'renameBlock':
      blockOf(definition, operation.block).label = operation.label

      return
    case 'reorderBlocks': {
      const ids = blocks.map((block) => block.id)
      if ([...operation.blocks].sort().join() !== [...ids].sort().join()) {
        fail('the new order must list exactly the current blocks')
      }
      blocks.sort((a, b) => operation.blocks.indexOf(a.id) - operation.blocks.indexOf(b.id))

      return
    }
    case 'moveField':
      fieldOf(definition, operation.field)
      blockOf(definition, operation.block)
      unplace(definition, operation.field)
      place(definition, operation.field, operation.block, operation.position)

      return
    case 'removeBlock': {
      const block = blockOf(definition, operation.block)
      if (block.fields.length > 0)
        fail(`block "${block.label}" still holds ${block.fields.join(', ')}; move them first`)
      if (blocks.length === 1) fail('a module keeps at least one block')
      definition.layout.blocks = blocks.filter((item) => item !== block)

      return
    }
    case 'addRelation': {
      const relations = (definition.relations ??= [])
      const name = operation.name ?? fail('the editor names every new relation')
      if (relations.some((relation) => relation.name === name))
        fail(`a relation named "${name}" exists already`)
      const inverse = operation.inverseLabel ? { inverseLabel: operation.inverseLabel } : {}
      relations.push({ name, module: operation.module, label: operation.label, ...inverse })

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

function fieldOf(definition: ModuleDefinition, name: string): FieldDefinition {
  return getOwn(definition.record.properties, name) ?? fail(`field "${name}" does not exist`)
}

function blockOf(definition: ModuleDefinition, id: string): LayoutBlock {
  return (
    definition.layout.blocks.find((block) => block.id === id) ??
    fail(`block "${id}" does not exist`)
  )
}

function metaOf(field: FieldDefinition): Record<string, PicklistValueMeta> {
  return (field['x-values'] ??= {})
}

function setRequired(definition: ModuleDefinition, name: string, required: boolean): void {
  const list = (definition.record.required ?? []).filter((item) => item !== name)
  definition.record.required = required ? [...list, name] : list
}

/** Renames, merges into or deletes one picklist value, carrying its metadata and the default. */
function moveValue(
  field: FieldDefinition,
  from: string,
  to: string | null,
  isRename: boolean,
): void {
  const values = picklistValuesOf(field)
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
}

/** Places that would break if the field disappeared from the form: the title, owner, expressions, rules. */
function blockingUses(definition: ModuleDefinition, name: string): string[] {
  const uses: string[] = []
  if (definition.recordTitle === name) uses.push('the record title')
  if (definition.ownerField === name) uses.push('the owner field')
  const word = new RegExp(`\\b${name}\\b`)
  for (const [other, field] of Object.entries(definition.record.properties)) {
    const expression = field['x-expression']
    if (other !== name && expression && !field['x-archived'] && word.test(expression)) {
      uses.push(`the expression of ${field.title}`)
    }
  }
  for (const rule of definition.behaviours?.picklistDefaults ?? []) {
    if (rule.source === name || rule.target === name)
      uses.push(`the default rule ${rule.source} → ${rule.target}`)
  }

  return uses
}

function renameReferences(definition: ModuleDefinition, from: string, to: string): void {
  const entries = Object.entries(definition.record.properties)
  definition.record.properties = Object.fromEntries(
    entries.map(([name, field]) => [name === from ? to : name, field]),
  )
  const swap = (name: string) => (name === from ? to : name)
  for (const block of definition.layout.blocks) block.fields = block.fields.map(swap)
  if (definition.layout.hidden) definition.layout.hidden = definition.layout.hidden.map(swap)
  if (definition.record.required) definition.record.required = definition.record.required.map(swap)
  if (definition.recordTitle) definition.recordTitle = swap(definition.recordTitle)
  if (definition.ownerField) definition.ownerField = swap(definition.ownerField)
  const word = new RegExp(`\\b${from}\\b`, 'g')
  for (const field of Object.values(definition.record.properties)) {
    if (field['x-expression']) field['x-expression'] = field['x-expression'].replace(word, to)
  }
  for (const rule of definition.behaviours?.picklistDefaults ?? []) {
    rule.source = swap(rule.source)
    rule.target = swap(rule.target)
  }
  const aliases = definition.csv?.aliases
  if (aliases?.[from]) {
    aliases[to] = aliases[from]
    delete aliases[from]
  }
}

function placementOf(
  definition: ModuleDefinition,
  name: string,
): { block?: string; position?: number } {
  for (const block of definition.layout.blocks) {
    const position = block.fields.indexOf(name)
    if (position !== -1) return { block: block.id, position }
  }

  return {}
}

function unplace(definition: ModuleDefinition, name: string): void {
  for (const block of definition.layout.blocks)
    block.fields = block.fields.filter((item) => item !== name)
  if (definition.layout.hidden)
    definition.layout.hidden = definition.layout.hidden.filter((item) => item !== name)
}

function place(
  definition: ModuleDefinition,
  name: string,
  blockId: string,
  position?: number,
): void {
  const block = blockOf(definition, blockId)
  block.fields.splice(Math.min(position ?? block.fields.length, block.fields.length), 0, name)
}

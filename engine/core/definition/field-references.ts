import { fieldsOf, parseExpression } from '../behaviours/expression.ts'
import { findLinkedBehaviourUses, renameLinkedBehaviourFields } from './linked-behaviour-fields.ts'
import type { ModuleDefinition } from './types.ts'

/** A place in a definition that names a field. */
export interface FieldUse {
  path: string
  /** What people read: "block Deal details", "the expression of Forecast Amount". */
  where: string
  /** True when archiving the field would break the place, so it must be changed first. */
  blocking: boolean
}

/**
 * Every place of a definition that names a field: the layout, the required
 * list, list columns, the record title and owner, expressions, behaviours and
 * CSV aliases. Saved views live outside the definition: the plan of a change
 * adds them (storage/plan-schema-change.ts), and both saved views and saved
 * import mappings follow a rename in the change's transaction.
 */
export function findFieldUses(definition: ModuleDefinition, name: string): FieldUse[] {
  const uses: FieldUse[] = []
  definition.layout.blocks.forEach((block, index) => {
    const position = block.fields.indexOf(name)
    if (position !== -1) uses.push({ path: `/layout/blocks/${index}/fields/${position}`, where: `block "${block.label}"`, blocking: false })
  })
  if (definition.layout.hidden?.includes(name)) uses.push({ path: '/layout/hidden', where: 'hidden fields', blocking: false })
  if (definition.record.required?.includes(name)) uses.push({ path: '/record/required', where: 'mandatory fields', blocking: false })
  if (definition.record.properties[name]?.['x-list']) uses.push({ path: `/record/properties/${name}/x-list`, where: 'list columns', blocking: false })
  if (definition.recordTitle === name) uses.push({ path: '/recordTitle', where: 'the record title', blocking: true })
  if (definition.ownerField === name) uses.push({ path: '/ownerField', where: 'the owner field', blocking: true })
  for (const [other, field] of Object.entries(definition.record.properties)) {
    const expression = field['x-expression']
    if (other === name || expression === undefined || field['x-archived']) continue
    if (fieldsOf(parseExpression(expression)).includes(name)) {
      uses.push({ path: `/record/properties/${other}/x-expression`, where: `the expression of ${field.title}`, blocking: true })
    }
  }
  ;(definition.behaviours?.picklistDefaults ?? []).forEach((rule, index) => {
    if (rule.source === name || rule.target === name) {
      uses.push({ path: `/behaviours/picklistDefaults/${index}`, where: `the default rule ${rule.source} → ${rule.target}`, blocking: true })
    }
  })
  if (definition.csv?.aliases?.[name]) uses.push({ path: `/csv/aliases/${name}`, where: 'CSV header aliases', blocking: false })
  uses.push(...findLinkedBehaviourUses(definition, name))

  return uses
}

/** Points every reference of a definition from one field name to another, the property included. */
export function renameFieldReferences(definition: ModuleDefinition, from: string, to: string): void {
  const properties = definition.record.properties
  definition.record.properties = Object.fromEntries(Object.entries(properties).map(([name, field]) => [name === from ? to : name, field]))
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
  renameLinkedBehaviourFields(definition, from, to)
  const aliases = definition.csv?.aliases
  if (aliases?.[from]) {
    aliases[to] = aliases[from]
    delete aliases[from]
  }
}

import type { ChangeOperation } from '../engine/core/definition/change-operations.ts'
import type { ModuleDefinition } from '../engine/core/definition/types.ts'

/**
 * One queued Layout Editor operation as a sentence for the admin, naming
 * fields and blocks by their labels in `definition` (the draft before it).
 */
export function describeOperation(
  operation: ChangeOperation,
  definition: ModuleDefinition,
): string {
  const field = (name: string) => `“${definition.record.properties[name]?.title ?? name}”`
  const block = (id: string) =>
    `“${definition.layout.blocks.find((item) => item.id === id)?.label ?? id}”`
  switch (operation.op) {
    case 'addField':
      return `Add the ${operation.kind} field “${operation.label}” (${operation.name ?? 'new'})${operation.block ? ` to ${block(operation.block)}` : ''}.`
    case 'updateField':
      return `Change ${Object.keys(operation.properties).map(propertyWord).join(', ')} of ${field(operation.field)}.`
    case 'changeKind':
      return `Change ${field(operation.field)} to ${operation.kind}${operation.conversion?.onFailure === 'clear' ? ', clearing values that do not convert' : ''}.`
    case 'renameField':
      return `Rename the API name ${operation.field} to ${operation.newName}.`
    case 'setRequired':
      return operation.required
        ? `Make ${field(operation.field)} mandatory${operation.backfill !== undefined ? `, filling empty records with ${JSON.stringify(operation.backfill)}` : operation.keepGaps ? ', leaving existing records empty' : ''}.`
        : `Make ${field(operation.field)} optional.`
    case 'archiveField':
      return `Archive ${field(operation.field)}.`
    case 'restoreField':
      return `Restore ${field(operation.field)}.`
    case 'purgeField':
      return `Purge ${field(operation.field)} and its values for good.`
    default:
      return describePicklistOrLayout(operation, field, block)
  }
}

function describePicklistOrLayout(
  operation: ChangeOperation,
  field: (name: string) => string,
  block: (id: string) => string,
): string {
  switch (operation.op) {
    case 'addPicklistValue':
      return `Add the value “${operation.value}” to ${field(operation.field)}.`
    case 'renamePicklistValue':
      return `Rename the value “${operation.from}” of ${field(operation.field)} to “${operation.to}”.`
    case 'reorderPicklistValues':
      return `Reorder the values of ${field(operation.field)}.`
    case 'mergePicklistValues':
      return `Merge ${operation.from.map((value) => `“${value}”`).join(', ')} into “${operation.into}” in ${field(operation.field)}.`
    case 'deletePicklistValue':
      return `Delete the value “${operation.value}” of ${field(operation.field)}${operation.replacement === null ? ', leaving its records empty' : `, replacing it with “${operation.replacement}”`}.`
    case 'setPicklistValueMeta':
      return `Set the probability and outcome of “${operation.value}” in ${field(operation.field)}.`
    case 'addBlock':
      return `Add the block “${operation.label}”.`
    case 'renameBlock':
      return `Rename the block ${block(operation.block)} to “${operation.label}”.`
    case 'reorderBlocks':
      return 'Reorder the blocks.'
    case 'moveField':
      return `Move ${field(operation.field)} to ${block(operation.block)}${operation.position === undefined ? '' : `, position ${operation.position + 1}`}.`
    case 'removeBlock':
      return `Remove the block ${block(operation.block)}.`
    case 'addRelation':
      return `Add the many-to-many relation “${operation.label}” to ${operation.module}.`
    case 'updateModule':
      return 'Change the module’s labels.'
    default:
      return operation.op
  }
}

const PROPERTY_WORDS: Record<string, string> = {
  title: 'the label',
  description: 'the help text',
  default: 'the default',
  maxLength: 'the maximum length',
  'x-scale': 'the decimal places',
  readOnly: 'read-only',
  'x-list': 'shown in list',
  'x-quick-create': 'shown in quick create',
  'x-mass-edit': 'shown in mass edit',
  'x-header': 'shown in header',
  'x-searchable': 'searchable',
}

function propertyWord(key: string): string {
  return PROPERTY_WORDS[key] ?? key
}

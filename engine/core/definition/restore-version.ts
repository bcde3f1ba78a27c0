import type { ModuleDefinition } from './types.ts'

/**
 * The definition that brings an earlier version back without losing data:
 * the earlier document, plus every field added since kept as an archived
 * field (its column and values stay, and it can be restored again).
 */
export function definitionForRestore(current: ModuleDefinition, earlier: ModuleDefinition): ModuleDefinition {
  const restored = structuredClone(earlier)
  for (const [name, field] of Object.entries(current.record.properties)) {
    if (restored.record.properties[name] !== undefined) continue
    const block = current.layout.blocks.find((item) => item.fields.includes(name))
    restored.record.properties[name] = {
      ...structuredClone(field),
      'x-archived': true,
      ...(block ? { 'x-restore': { block: block.id, position: block.fields.indexOf(name) } } : {}),
    }
  }

  return restored
}

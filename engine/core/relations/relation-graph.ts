import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { linkTableName } from '../storage/module-table.ts'

/**
 * One entry of a record's relation menu. One-to-many entries come from
 * relation and user fields of other modules pointing here; many-to-many
 * entries from declared relations, seen from either side.
 */
export interface RelationEntry {
  /** Stable id used in URLs: `<module>.<field>` or `<declaring module>.<relation>`. */
  id: string
  label: string
  /** The module whose records are listed under this entry. */
  module: string
  kind: 'one-to-many' | 'many-to-many'
  /** For one-to-many: the field of `module` that holds this record's id. */
  field?: string
  /** For many-to-many: the link table and which of its columns holds this record's id. */
  table?: string
  ownColumn?: 'source_id' | 'target_id'
  otherColumn?: 'source_id' | 'target_id'
}

/** The relation menu of a module, derived from every live definition. */
export function relationMenuOf(module: string, runtimes: ReadonlyMap<string, ModuleRuntime>): RelationEntry[] {
  const entries: RelationEntry[] = []
  // Labels that name the field too, for entries another entry would otherwise share a label with.
  const withField = new Map<string, string>()
  for (const runtime of runtimes.values()) {
    const pointing = [...runtime.fields].filter(([, field]) => targetOf(field) === module)
    for (const [name, field] of pointing) {
      // The field title tells entries apart when a module points here twice or points to itself.
      const id = `${runtime.name}.${name}`
      const titled = `${runtime.definition.label.plural} (${field.title})`
      const label = pointing.length > 1 || runtime.name === module ? titled : runtime.definition.label.plural
      withField.set(id, titled)
      entries.push({ id, label, module: runtime.name, kind: 'one-to-many', field: name })
    }
    for (const relation of runtime.definition.relations ?? []) {
      const table = linkTableName(runtime.name, relation.name)
      const id = `${runtime.name}.${relation.name}`
      if (runtime.name === module) {
        entries.push({ id, label: relation.label, module: relation.module, kind: 'many-to-many', table, ownColumn: 'source_id', otherColumn: 'target_id' })
      }
      if (relation.module === module && runtime.name !== module) {
        const label = relation.inverseLabel ?? runtime.definition.label.plural
        entries.push({ id, label, module: runtime.name, kind: 'many-to-many', table, ownColumn: 'target_id', otherColumn: 'source_id' })
      }
    }
  }
  // A contact's "Potentials" by its Contact Name field and its linked "Potentials" must not look alike.
  const counts = new Map<string, number>()
  for (const entry of entries) counts.set(entry.label, (counts.get(entry.label) ?? 0) + 1)

  return entries.map((entry) => {
    const titled = withField.get(entry.id)

    return (counts.get(entry.label) ?? 0) > 1 && titled !== undefined ? { ...entry, label: titled } : entry
  })
}

/** The module a relation or user field points to. */
export function targetOf(field: { 'x-kind': string; 'x-relation'?: { module: string } }): string | undefined {
  if (field['x-kind'] === 'user') return 'users'

  return field['x-kind'] === 'relation' ? field['x-relation']?.module : undefined
}

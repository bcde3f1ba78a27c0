import { sql } from 'kysely'
import type { Issue } from '../errors.ts'
import type { FieldDefinition, ManyToManyRelation, ModuleDefinition } from '../definition/types.ts'
import { kindOf } from '../field-types/registry.ts'
import { addFieldColumn, createLinkTable, toColumnName } from './module-table.ts'
import type { Executor } from './open-database.ts'

/** One step of a schema change, shown to the admin before it is applied. */
export type SchemaStep =
  | { kind: 'add-field'; field: string; label: string; columnType: string }
  | { kind: 'add-relation'; relation: string; module: string }
  | { kind: 'metadata'; description: string }

export interface SchemaPlan {
  steps: SchemaStep[]
  /** Reasons the change cannot be applied; empty when it is safe. */
  issues: Issue[]
}

/**
 * Compares the live definition with a candidate and lists the steps that take
 * the table from one to the other, counting the records each risky step
 * touches. Nothing is written.
 */
export async function planSchemaChange(
  db: Executor,
  current: ModuleDefinition,
  next: ModuleDefinition,
): Promise<SchemaPlan> {
  const steps: SchemaStep[] = []
  const issues: Issue[] = []
  if (next.name !== current.name) {
    issues.push({ path: '/name', code: 'rename', message: `a module's name never changes; keep "${current.name}"` })

    return { steps, issues }
  }
  const before = current.record.properties
  const after = next.record.properties

  for (const [name, field] of Object.entries(after)) {
    const old = before[name]
    if (old === undefined) {
      steps.push({ kind: 'add-field', field: name, label: field.title, columnType: kindOf(field).columnType(field) })
    } else {
      issues.push(...compareField(name, old, field))
    }
  }
  for (const name of Object.keys(before)) {
    if (after[name] === undefined) {
      issues.push({
        path: `/record/properties/${name}`,
        field: name,
        code: 'removed',
        // TODO(#3): purge as a separate, explicit act once archived fields can be purged.
        message: `field "${name}" cannot be removed; archive it with "x-archived": true so its values are kept`,
      })
    }
  }
  issues.push(...(await checkRequired(db, current, next)))
  issues.push(...(await checkPicklistValues(db, current, next)))

  const knownRelations = new Set((current.relations ?? []).map((relation) => relation.name))
  for (const relation of next.relations ?? []) {
    if (!knownRelations.has(relation.name)) steps.push({ kind: 'add-relation', relation: relation.name, module: relation.module })
  }
  if (steps.length === 0 && issues.length === 0) steps.push({ kind: 'metadata', description: 'labels, layout or settings only' })

  return { steps, issues }
}

/** Applies the steps of a plan inside the caller's transaction. */
export async function applySchemaPlan(db: Executor, next: ModuleDefinition, plan: SchemaPlan): Promise<void> {
  for (const step of plan.steps) {
    if (step.kind === 'add-field') {
      await addFieldColumn(db, next.name, step.field, next.record.properties[step.field])
    } else if (step.kind === 'add-relation') {
      const relation = (next.relations ?? []).find((item) => item.name === step.relation) as ManyToManyRelation
      await createLinkTable(db, next.name, relation)
    }
  }
}

function compareField(name: string, old: FieldDefinition, field: FieldDefinition): Issue[] {
  const path = `/record/properties/${name}`
  if (old['x-kind'] !== field['x-kind'] || kindOf(old).columnType(old) !== kindOf(field).columnType(field)) {
    return [
      {
        path: `${path}/x-kind`,
        field: name,
        code: 'kind-change',
        // TODO(#3): kind changes with a conversion preview.
        message: `changing "${name}" from ${old['x-kind']} to ${field['x-kind']} is not supported yet`,
      },
    ]
  }
  if ((old['x-scale'] ?? 2) !== (field['x-scale'] ?? 2)) {
    return [{ path: `${path}/x-scale`, field: name, code: 'scale-change', message: `changing the decimals of "${name}" is not supported yet` }]
  }

  return []
}

async function checkRequired(db: Executor, current: ModuleDefinition, next: ModuleDefinition): Promise<Issue[]> {
  const wasRequired = new Set(current.record.required ?? [])
  const issues: Issue[] = []
  for (const name of next.record.required ?? []) {
    if (wasRequired.has(name) || kindOf(next.record.properties[name]).isGenerated) continue
    const isNew = current.record.properties[name] === undefined
    const missing = isNew ? await countLive(db, next.name) : await countLive(db, next.name, name)
    if (missing > 0) {
      issues.push({
        path: `/record/required`,
        field: name,
        code: 'required-gaps',
        // TODO(#3): let the admin give a back-fill value applied in the same transaction.
        message: `${missing} record(s) have no value for "${name}"; fill them before making it mandatory`,
      })
    }
  }

  return issues
}

async function checkPicklistValues(db: Executor, current: ModuleDefinition, next: ModuleDefinition): Promise<Issue[]> {
  const issues: Issue[] = []
  for (const [name, field] of Object.entries(next.record.properties)) {
    const old = current.record.properties[name]
    if (old?.enum === undefined || field.enum === undefined || field['x-kind'] !== 'picklist') continue
    const removed = old.enum.filter((value) => !field.enum?.includes(value))
    if (removed.length === 0) continue
    const { count } = (await db
      .selectFrom(next.name)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where(toColumnName(name), 'in', removed)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow()) as { count: number }
    if (Number(count) > 0) {
      issues.push({
        path: `/record/properties/${name}/enum`,
        field: name,
        code: 'picklist-in-use',
        // TODO(#3): offer a replacement value for the records that use it.
        message: `${count} record(s) use ${removed.map((value) => `"${value}"`).join(', ')} of "${name}"; change them first`,
      })
    }
  }

  return issues
}

async function countLive(db: Executor, module: string, emptyField?: string): Promise<number> {
  let query = db
    .selectFrom(module)
    .select(sql<number>`count(*)`.as('count'))
    .where('deleted_at', 'is', null)
  if (emptyField !== undefined) query = query.where(toColumnName(emptyField), 'is', null)
  const row = (await query.executeTakeFirstOrThrow()) as { count: number }

  return Number(row.count)
}

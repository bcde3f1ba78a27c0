import { canSee, permissionOf } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import type { Issue } from '../errors.ts'
import { selectRecord } from '../storage/record-queries.ts'
import type { Executor } from '../storage/open-database.ts'
import type { FieldValues } from './compose-record.ts'

/**
 * Issues, per record index, for parent links (a module name and a record id,
 * as an activity is logged against any record) that name no module or no
 * live record. With an actor, a parent they may not see answers like a
 * missing one, so ids cannot be probed through a link.
 * TODO(#6): the CSV importer checks without an actor (existence only), the relation menu does not
 * list parent-linked records (they show in the timeline), and forms show the pair as plain fields.
 */
export async function checkParentLinks(
  reader: Executor,
  runtime: ModuleRuntime,
  runtimes: ReadonlyMap<string, ModuleRuntime>,
  records: FieldValues[],
  actor?: Actor,
): Promise<Map<number, Issue[]>> {
  const issues = new Map<number, Issue[]>()
  const link = runtime.definition.behaviours?.parentLink
  if (!link) return issues
  const { moduleField, idField } = link
  const add = (index: number, field: string, message: string) => {
    issues.set(index, [
      ...(issues.get(index) ?? []),
      { path: `/${field}`, field, code: 'reference', message },
    ])
  }

  for (const [index, record] of records.entries()) {
    const module = record[moduleField]
    const id = record[idField]
    if ((module === null || module === undefined) && (id === null || id === undefined)) continue
    const parent = typeof module === 'string' ? runtimes.get(module) : undefined
    if (parent === undefined) {
      add(
        index,
        moduleField,
        `${runtime.fields.get(moduleField)?.title ?? moduleField}: "${String(module ?? '')}" is not a module; known: ${[...runtimes.keys()].join(', ')}`,
      )
      continue
    }
    const found = typeof id === 'number' ? await selectRecord(reader, parent, id) : undefined
    const visible =
      found !== undefined &&
      (actor === undefined ||
        (permissionOf(actor, parent.name).view && canSee(actor, parent, found)))
    if (!visible)
      add(
        index,
        idField,
        `${runtime.fields.get(idField)?.title ?? idField}: no ${parent.definition.label.singular} with id ${String(id ?? '')}`,
      )
  }

  return issues
}

/** The changed values of an update, with both parent-link fields when either changed, so the pair is checked whole. */
export function withWholeParentLink(
  runtime: ModuleRuntime,
  changed: FieldValues,
  values: FieldValues,
): FieldValues {
  const link = runtime.definition.behaviours?.parentLink
  if (!link || !(link.moduleField in changed || link.idField in changed)) return changed

  return {
    ...changed,
    [link.moduleField]: values[link.moduleField],
    [link.idField]: values[link.idField],
  }
}

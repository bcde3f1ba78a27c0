import { permissionOf } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Issue } from '../errors.ts'
import { composeRecord } from '../records/compose-record.ts'
import { runWriteHooksOnMany } from '../records/write-hooks.ts'
import type { Executor } from '../storage/open-database.ts'
import { insertRecords } from '../storage/record-queries.ts'
import { logCreated } from './import-log.ts'
import type { PreparedRow } from './read-row.ts'
import type { ImportState } from './write-batch.ts'

/** Stand-in ids of records a dry run would create: far above any real id, never written. */
const PLACEHOLDER_BASE = 2_000_000_000

/** Whether a row names a record this import creates (checked without a call per row to `settleRelated`). */
export function needsSettling(row: PreparedRow): boolean {
  if (row.creates.length > 0) return true
  for (const link of row.links) for (const id of link.ids) if (id < 0) return true

  return false
}

/**
 * Replaces a row's stand-in ids (names `readRow` reserved for records this
 * import creates) by the created records' ids, creating each record the
 * first time a row is written that needs it. Rows come here in file order
 * whatever the batch size, and a dry run takes the same path with
 * placeholder ids, so both report the same creations. A row that needs a
 * record which cannot be created, or which only another (refused) row would
 * have created, gets a row error.
 */
export async function settleRelated(
  state: ImportState,
  db: Executor,
  row: PreparedRow,
  notice: (row: PreparedRow, message: string) => void,
): Promise<void> {
  for (const { source, name, pending } of row.creates) {
    const lookup = state.lookups.get(source.target!)!
    let id = lookup.created(pending)
    if (id === undefined && source.createMissing) {
      id = await createOne(state, db, row, source.target!, name, source.label, source.field, notice)
      if (id !== undefined) lookup.settle(pending, id)
    } else if (id === undefined) {
      row.errors.push({
        row: row.line,
        column: source.label,
        field: source.field,
        value: name,
        message: lookup.notCreated(pending),
      })
    }
    if (id === undefined) continue
    row.input[source.field] = id
    row.match[source.field] = id
    row.filled.add(source.field)
  }
  for (const link of row.links) {
    if (!link.ids.some((id) => id < 0)) continue
    const lookup = state.lookups.get(link.target)!
    const ids: number[] = []
    for (const id of link.ids) {
      const created = id > 0 ? id : lookup.created(id)
      if (created !== undefined) ids.push(created)
      else
        row.errors.push({
          row: row.line,
          column: link.label,
          field: link.relation,
          value: lookup.pendingName(id),
          message: lookup.notCreated(id),
        })
    }
    link.ids = ids
  }
}

async function createOne(
  state: ImportState,
  db: Executor,
  row: PreparedRow,
  module: string,
  name: string,
  column: string,
  field: string,
  notice: (row: PreparedRow, message: string) => void,
): Promise<number | undefined> {
  const target = state.engine.runtime(module)
  const composed = composeRecord(
    target,
    { [target.titleField ?? 'id']: name },
    { actorId: state.actor.id },
  )
  const issues = permissionOf(state.actor, target.name).create
    ? composed.issues
    : [forbidden(target)]
  if (issues.length > 0) {
    const reasons = issues.map((issue) => issue.message).join('; ')
    row.errors.push({
      row: row.line,
      column,
      field,
      value: name,
      message: `cannot create ${target.definition.label.singular.toLowerCase()} '${name}': ${reasons}`,
    })

    return undefined
  }
  let id: number
  if (state.dryRun) {
    id = PLACEHOLDER_BASE + state.placeholders.size
    state.placeholders.add(id)
  } else {
    ;[id] = await insertRecords(db, target, [composed.values], state.actor.id)
    // Logged like the import's own records, so undo takes them back too.
    if (state.jobId !== undefined) await logCreated(db, state.jobId, target, [id])
    await runWriteHooksOnMany(state.engine.writeHooks, db, [
      {
        module: target.name,
        id,
        action: 'create',
        before: null,
        after: composed.values,
        actorId: state.actor.id,
      },
    ])
  }
  state.result.counts.relatedCreated++
  notice(
    row,
    `creates ${target.definition.label.singular.toLowerCase()} '${name}'${state.dryRun ? '' : ` (id ${id})`}`,
  )

  return id
}

function forbidden(target: ModuleRuntime): Issue {
  return {
    path: '',
    code: 'forbidden',
    message: `your role may not create ${target.definition.label.plural.toLowerCase()}`,
  }
}

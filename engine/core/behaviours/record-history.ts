import { CompiledQuery } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { RecordChange, WriteHook } from '../records/write-hooks.ts'
import type { Executor } from '../storage/open-database.ts'

/** One entry of a record's audit trail. */
export interface HistoryEntry {
  id: number
  module: string
  record_id: number
  at: string
  actor_id: number | null
  action: RecordChange['action']
  /** Changed fields: `[before, after]`. */
  changes: Record<string, [unknown, unknown]>
  /** The values of the definition's `behaviours.history.snapshot` fields after the write. */
  snapshot: Record<string, unknown>
}

export async function createHistoryTable(db: Executor): Promise<void> {
  await db.schema
    .createTable('_record_history')
    .ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('record_id', 'integer', (column) => column.notNull())
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('changes', 'text', (column) => column.notNull())
    .addColumn('snapshot', 'text', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('_record_history_record').ifNotExists().on('_record_history').columns(['module', 'record_id', 'id']).execute()
}

/** The audit trail: every create, change, delete and restore, with the snapshot fields the definition names. */
export function createHistoryHook(runtimeOf: (module: string) => ModuleRuntime): WriteHook {
  const hook: WriteHook = async (trx, change) => {
    const row = historyRow(runtimeOf, change, new Date().toISOString())
    if (row) await trx.insertInto('_record_history').values(row).execute()
  }
  // Bulk writes (an import batch): multi-row statements built once per row count.
  hook.many = async (trx, changes) => {
    const at = new Date().toISOString()
    const rows = changes.map((change) => historyRow(runtimeOf, change, at)).filter((row) => row !== undefined)
    for (let start = 0; start < rows.length; start += HISTORY_ROWS_PER_INSERT) {
      const slice = rows.slice(start, start + HISTORY_ROWS_PER_INSERT)
      const parameters = slice.flatMap((row) => HISTORY_COLUMNS.map((column) => row[column]))
      await trx.executeQuery(CompiledQuery.raw(historyInsertSql(slice.length), parameters))
    }
  }

  return hook
}

const HISTORY_COLUMNS = ['module', 'record_id', 'at', 'actor_id', 'action', 'changes', 'snapshot'] as const
const HISTORY_ROWS_PER_INSERT = 4000
const historyInserts = new Map<number, string>()

function historyInsertSql(rows: number): string {
  let text = historyInserts.get(rows)
  if (text === undefined) {
    text = `insert into _record_history (${HISTORY_COLUMNS.join(', ')}) values ${new Array(rows).fill(`(${HISTORY_COLUMNS.map(() => '?').join(', ')})`).join(', ')}`
    historyInserts.set(rows, text)
  }

  return text
}

/** The history row of one change; undefined for an update that changed nothing. */
function historyRow(runtimeOf: (module: string) => ModuleRuntime, change: RecordChange, at: string): Record<(typeof HISTORY_COLUMNS)[number], unknown> | undefined {
  const changes = change.action === 'create' || change.action === 'update' ? diffValues(change.before, change.after) : {}
  if (change.action === 'update' && Object.keys(changes).length === 0) return undefined
  const snapshotFields = runtimeOf(change.module).definition.behaviours?.history?.snapshot ?? []
  const source = change.after ?? change.before ?? {}
  const snapshot = Object.fromEntries(snapshotFields.map((name) => [name, source[name] ?? null]))

  return {
    module: change.module,
    record_id: change.id,
    at,
    actor_id: change.actorId,
    action: change.action,
    changes: JSON.stringify(changes),
    snapshot: JSON.stringify(snapshot),
  }
}

export interface HistoryQuery {
  recordId?: number
  /** Only entries that changed this field (a created record counts as a change from empty). */
  field?: string
  limit?: number
  offset?: number
}

/** Audit entries of a module, newest first. */
export async function selectHistory(db: Executor, module: string, query: HistoryQuery): Promise<{ items: HistoryEntry[]; total: number }> {
  let base = db.selectFrom('_record_history').where('module', '=', module)
  if (query.recordId !== undefined) base = base.where('record_id', '=', query.recordId)
  // The field name was checked against the definition, so it is safe inside the JSON path.
  if (query.field !== undefined) base = base.where((eb) => eb.fn('json_extract', ['changes', eb.val(`$.${query.field}`)]), 'is not', null)
  const rows = (await base.selectAll().orderBy('id', 'desc').limit(Math.min(query.limit ?? 50, 500)).offset(query.offset ?? 0).execute()) as Record<string, unknown>[]
  const counted = (await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()) as { total: number }

  return {
    items: rows.map((row) => ({
      id: Number(row.id),
      module: String(row.module),
      record_id: Number(row.record_id),
      at: String(row.at),
      actor_id: row.actor_id == null ? null : Number(row.actor_id),
      action: row.action as HistoryEntry['action'],
      changes: JSON.parse(String(row.changes)),
      snapshot: JSON.parse(String(row.snapshot)),
    })),
    total: Number(counted.total),
  }
}

function diffValues(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {}
  // A create changes every field it fills: no need to compare each value as JSON.
  if (before === null && after !== null) {
    for (const name in after) if (after[name] !== null && after[name] !== undefined) changes[name] = [null, after[name]]

    return changes
  }
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const name of names) {
    const from = before?.[name] ?? null
    const to = after?.[name] ?? null
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[name] = [from, to]
  }

  return changes
}

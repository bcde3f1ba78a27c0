import { sql } from 'kysely'
import { assertCan } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { FieldValues } from '../records/compose-record.ts'
import { runWriteHooksOnMany, type RecordChange } from '../records/write-hooks.ts'
import { fromRow, selectedColumns, type StoredRecord } from '../storage/record-rows.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import type { Executor } from '../storage/open-database.ts'
import { linkTableName } from '../storage/module-table.ts'
import { updateRecordRow } from '../storage/record-queries.ts'
import { createImportLogTable, IMPORT_LOG_TABLE, type ImportLogEntry } from './import-log.ts'

export interface UndoResult {
  jobId: number
  /** Records the import created, now in the recycle bin. */
  removed: number
  /** Records the import updated, given their previous values back. */
  restored: number
  /** Many-to-many links the import added to records it updated, removed again. */
  unlinked: number
  /** Records changed again after the import (or already deleted): left as they are. */
  skipped: { module: string; id: number; reason: string }[]
}

const BATCH = 1000

/**
 * Undoes an import job that ran with `jobId`: records it created go to the
 * recycle bin, records it updated get their previous values back, batch by
 * batch in transactions, with the engine's write hooks (audit trail) run
 * for each. A record changed after the import is left alone
 * and listed. Each batch removes its entries from the log, so an undo that
 * stops half-way can simply run again. Throws IMPORT_NOT_FOUND when the log
 * holds nothing for the job.
 */
export async function undoImport(
  engine: Engine,
  jobId: number,
  actor: Actor,
  onProgress?: (done: number) => void,
): Promise<UndoResult> {
  const result: UndoResult = { jobId, removed: 0, restored: 0, unlinked: 0, skipped: [] }
  await engine.db.write((trx) => createImportLogTable(trx))
  const first = await engine.db.read((db) => nextEntries(db, jobId, 1))
  if (first.length === 0) {
    throw new EngineError(
      'IMPORT_NOT_FOUND',
      `import job ${jobId} wrote no records that could be undone`,
      { jobId },
    )
  }
  assertCan(actor, engine.runtime(first[0].module), 'import')
  for (;;) {
    const done = await engine.db.write(async (trx) => {
      const entries = await nextEntries(trx, jobId, BATCH)
      const changes: RecordChange[] = []
      for (const [module, list] of groupByModule(entries)) {
        await undoEntries(engine.runtime(module), trx, list, result, changes, actor.id)
      }
      // The audit trail and roll-ups see the undo like any other delete or change.
      await runWriteHooksOnMany(engine.writeHooks, trx, changes)
      // Exactly the entries this batch undid, by their row in the log: a record id alone is not
      // one entry (an account and a potential can both be 501; a record can be 'updated' and 'linked').
      for (let start = 0; start < entries.length; start += 500) {
        await trx
          .deleteFrom(IMPORT_LOG_TABLE)
          .where(sql.ref('rowid'), 'in', entries.slice(start, start + 500).map((entry) => entry.log_id))
          .execute()
      }

      return entries.length
    })
    onProgress?.(result.removed + result.restored + result.skipped.length)
    if (done < BATCH) break
  }

  return result
}

function groupByModule(entries: ImportLogEntry[]): Map<string, ImportLogEntry[]> {
  const groups = new Map<string, ImportLogEntry[]>()
  for (const entry of entries) {
    const list = groups.get(entry.module) ?? []
    list.push(entry)
    groups.set(entry.module, list)
  }

  return groups
}

/**
 * Undoes the entries of one module in one batch: links the import added are
 * removed, records are read together, created ones go to the recycle bin in
 * one statement per 500, updated ones get their previous values back one by
 * one (updates are few).
 */
async function undoEntries(
  runtime: ModuleRuntime,
  trx: Executor,
  entries: ImportLogEntry[],
  result: UndoResult,
  changes: RecordChange[],
  actorId: number,
): Promise<void> {
  const linked = entries.filter((entry) => entry.action === 'linked')
  for (const entry of linked) result.unlinked += await removeLinks(trx, runtime, entry)
  entries = entries.filter((entry) => entry.action !== 'linked')
  const current = new Map<number, StoredRecord>()
  const ids = entries.map((entry) => Number(entry.record_id))
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await trx
      .selectFrom(runtime.name)
      .select(selectedColumns(runtime))
      .where('id', 'in', ids.slice(start, start + 500))
      .execute()
    for (const row of rows) {
      const record = fromRow(runtime, row as Record<string, unknown>)
      current.set(record.id, record)
    }
  }
  const removed: StoredRecord[] = []
  for (const entry of entries) {
    const id = Number(entry.record_id)
    const record = current.get(id)
    if (!record || record.deleted_at != null) {
      result.skipped.push({ module: entry.module, id, reason: 'already deleted' })
    } else if (record.version !== Number(entry.version)) {
      result.skipped.push({
        module: entry.module,
        id,
        reason: `changed after the import (version ${record.version})`,
      })
    } else if (entry.action === 'created') {
      removed.push(record)
    } else {
      const previous = JSON.parse(entry.previous ?? '{}') as Record<string, unknown>
      await updateRecordRow(trx, runtime, id, previous, record.version)
      const before = fieldValuesOf(runtime, record)
      changes.push({
        module: runtime.name,
        id,
        action: 'update',
        before,
        after: { ...before, ...previous },
        actorId,
      })
      result.restored++
    }
  }
  const now = new Date().toISOString()
  for (let start = 0; start < removed.length; start += 500) {
    await trx
      .updateTable(runtime.name)
      .set({ deleted_at: now, updated_at: now, version: sql`version + 1` })
      .where(
        'id',
        'in',
        removed.slice(start, start + 500).map((record) => record.id),
      )
      .execute()
  }
  for (const record of removed) {
    changes.push({
      module: runtime.name,
      id: record.id,
      action: 'delete',
      before: fieldValuesOf(runtime, record),
      after: null,
      actorId,
    })
  }
  result.removed += removed.length
}

/** Removes the links one log entry says the import added; a link removed since counts nothing. */
async function removeLinks(trx: Executor, runtime: ModuleRuntime, entry: ImportLogEntry): Promise<number> {
  const { relation, targets } = JSON.parse(entry.previous ?? '{}') as { relation: string; targets: number[] }
  // A relation removed from the definition since took its link table with it.
  if (!(runtime.definition.relations ?? []).some((item) => item.name === relation)) return 0
  const removed = await trx
    .deleteFrom(linkTableName(runtime.name, relation))
    .where('source_id', '=', Number(entry.record_id))
    .where('target_id', 'in', targets)
    .executeTakeFirst()

  return Number(removed.numDeletedRows)
}

function fieldValuesOf(runtime: ModuleRuntime, record: StoredRecord): FieldValues {
  const values: FieldValues = {}
  for (const name of runtime.fields.keys()) values[name] = record[name] ?? null

  return values
}

/** The job's next log entries in the order they were written, each with its row in the log. */
async function nextEntries(db: Executor, jobId: number, limit: number): Promise<(ImportLogEntry & { log_id: number })[]> {
  const rows = await db
    .selectFrom(IMPORT_LOG_TABLE)
    .selectAll()
    .select(sql<number>`rowid`.as('log_id'))
    .where('job_id', '=', jobId)
    .orderBy(sql`rowid`)
    .limit(limit)
    .execute()

  return rows as (ImportLogEntry & { log_id: number })[]
}

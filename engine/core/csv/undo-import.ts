import { assertCan } from '../access/access-policy.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import type { Executor } from '../storage/open-database.ts'
import { updateRecordRow } from '../storage/record-queries.ts'
import { createImportLogTable, IMPORT_LOG_TABLE, type ImportLogEntry } from './import-log.ts'

export interface UndoResult {
  jobId: number
  /** Records the import created, now in the recycle bin. */
  removed: number
  /** Records the import updated, given their previous values back. */
  restored: number
  /** Records changed again after the import (or already deleted): left as they are. */
  skipped: { module: string; id: number; reason: string }[]
}

const BATCH = 1000

/**
 * Undoes an import job that ran with `jobId`: records it created go to the
 * recycle bin, records it updated get their previous values back, batch by
 * batch in transactions. A record changed after the import is left alone
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
  const result: UndoResult = { jobId, removed: 0, restored: 0, skipped: [] }
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
      for (const entry of entries) await undoEntry(engine, trx, entry, result)
      if (entries.length > 0) {
        await trx
          .deleteFrom(IMPORT_LOG_TABLE)
          .where('job_id', '=', jobId)
          .where(
            'record_id',
            'in',
            entries.map((entry) => entry.record_id),
          )
          .execute()
      }

      return entries.length
    })
    onProgress?.(result.removed + result.restored + result.skipped.length)
    if (done < BATCH) break
  }

  return result
}

async function nextEntries(db: Executor, jobId: number, limit: number): Promise<ImportLogEntry[]> {
  const rows = await db
    .selectFrom(IMPORT_LOG_TABLE)
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('record_id')
    .limit(limit)
    .execute()

  return rows as ImportLogEntry[]
}

async function undoEntry(
  engine: Engine,
  trx: Executor,
  entry: ImportLogEntry,
  result: UndoResult,
): Promise<void> {
  const runtime = engine.runtime(entry.module)
  const id = Number(entry.record_id)
  const current = (await trx
    .selectFrom(runtime.name)
    .select(['version', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst()) as { version: number; deleted_at: string | null } | undefined
  if (!current || current.deleted_at !== null) {
    result.skipped.push({ module: entry.module, id, reason: 'already deleted' })

    return
  }
  if (Number(current.version) !== Number(entry.version)) {
    result.skipped.push({
      module: entry.module,
      id,
      reason: `changed after the import (version ${current.version})`,
    })

    return
  }
  if (entry.action === 'created') {
    await trx
      .updateTable(runtime.name)
      .set({
        deleted_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        version: Number(current.version) + 1,
      })
      .where('id', '=', id)
      .execute()
    result.removed++

    return
  }
  await updateRecordRow(
    trx,
    runtime,
    id,
    JSON.parse(entry.previous ?? '{}'),
    Number(current.version),
  )
  result.restored++
}

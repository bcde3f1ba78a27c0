import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { FieldValues } from '../records/compose-record.ts'
import type { Executor } from '../storage/open-database.ts'

/** Records an import job created or changed, so the job can be undone. */
export const IMPORT_LOG_TABLE = '_import_records'

/** One written record of an import job, as the log keeps it. */
export interface ImportLogEntry {
  job_id: number
  module: string
  record_id: number
  action: 'created' | 'updated' | 'linked'
  /** The version the import left the record at; undo only touches records still at it. */
  version: number
  /**
   * For updates: the changed fields' values before the import, as JSON. For links the
   * import added to a record it did not create: `{ "relation": name, "targets": [ids] }`.
   */
  previous: string | null
}

/** Creates the log table when missing (engine tables start with an underscore). */
export async function createImportLogTable(db: Executor): Promise<void> {
  await db.schema
    .createTable(IMPORT_LOG_TABLE)
    .ifNotExists()
    .addColumn('job_id', 'integer', (column) => column.notNull())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('record_id', 'integer', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('previous', 'text')
    .execute()
  await db.schema
    .createIndex(`${IMPORT_LOG_TABLE}_job`)
    .ifNotExists()
    .on(IMPORT_LOG_TABLE)
    .columns(['job_id', 'record_id'])
    .execute()
  // A job's entries in the order they were written (an index on job_id ends with the rowid):
  // undo reads them by that order, batch by batch, without sorting the whole job each time.
  await db.schema.createIndex(`${IMPORT_LOG_TABLE}_job_order`).ifNotExists().on(IMPORT_LOG_TABLE).column('job_id').execute()
}

/** Logs created records in the batch's own transaction, so the log never disagrees with the data. */
export async function logCreated(
  db: Executor,
  jobId: number,
  runtime: ModuleRuntime,
  ids: number[],
): Promise<void> {
  const rows = ids.map((id) => ({
    job_id: jobId,
    module: runtime.name,
    record_id: id,
    action: 'created',
    version: 1,
    previous: null,
  }))
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto(IMPORT_LOG_TABLE)
      .values(rows.slice(start, start + 1000))
      .execute()
  }
}

/** Logs an update with the values it replaced. */
export async function logUpdated(
  db: Executor,
  jobId: number,
  runtime: ModuleRuntime,
  id: number,
  version: number,
  previous: FieldValues,
): Promise<void> {
  await db
    .insertInto(IMPORT_LOG_TABLE)
    .values({
      job_id: jobId,
      module: runtime.name,
      record_id: id,
      action: 'updated',
      version,
      previous: JSON.stringify(previous),
    })
    .execute()
}

/**
 * Logs the many-to-many links an import added to a record it updated (links
 * of records it created go to the recycle bin with them), so undo can take
 * exactly these back and leave links that were there before.
 */
export async function logLinked(
  db: Executor,
  jobId: number,
  runtime: ModuleRuntime,
  added: { id: number; relation: string; targets: number[] }[],
): Promise<void> {
  const rows = added.map(({ id, relation, targets }) => ({
    job_id: jobId,
    module: runtime.name,
    record_id: id,
    action: 'linked',
    version: 0,
    previous: JSON.stringify({ relation, targets }),
  }))
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto(IMPORT_LOG_TABLE)
      .values(rows.slice(start, start + 1000))
      .execute()
  }
}

/** The records a job created or updated in one module, for resuming it. */
export async function writtenByJob(db: Executor, jobId: number, module: string): Promise<Map<number, 'created' | 'updated'>> {
  const rows = (await db
    .selectFrom(IMPORT_LOG_TABLE)
    .select(['record_id', 'action'])
    .where('job_id', '=', jobId)
    .where('module', '=', module)
    .where('action', 'in', ['created', 'updated'])
    .execute()) as { record_id: number; action: 'created' | 'updated' }[]

  return new Map(rows.map((row) => [Number(row.record_id), row.action]))
}

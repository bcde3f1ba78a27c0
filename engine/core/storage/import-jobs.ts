import { sql } from 'kysely'
import type { Executor } from './open-database.ts'

/** Where an import job stands. `interrupted`: the process stopped while it ran; it can be resumed or undone. */
export type ImportJobStatus =
  'running' | 'finished' | 'failed' | 'stopped' | 'interrupted' | 'undoing' | 'undone'

/** An import job as stored in `_import_jobs`: who ran what, its status, progress and result report. */
export interface ImportJob {
  id: number
  module: string
  status: ImportJobStatus
  created_by: number | null
  created_at: string
  finished_at: string | null
  result: unknown
  /** The import options the job runs with (JSON-safe). */
  options: Record<string, unknown> | null
  /** The stored upload: file path on the server, the name the user gave it, its size. */
  upload: { path: string; name: string; bytes: number } | null
  /** The last committed batch: line, counts, bytes read. */
  progress: Record<string, unknown> | null
  /** The undo's result once one ran. */
  undo: unknown
}

/** Columns added to `_import_jobs` after its first version; added to older databases on open. */
const ADDED_COLUMNS = ['options', 'upload', 'progress', 'undo'] as const

/** Adds the job columns a database made by an older version lacks. */
export async function upgradeImportJobTable(db: Executor): Promise<void> {
  const { rows } = await sql<{ name: string }>`pragma table_info(_import_jobs)`.execute(db)
  const present = new Set(rows.map((row) => row.name))
  for (const column of ADDED_COLUMNS) {
    if (!present.has(column))
      await db.schema.alterTable('_import_jobs').addColumn(column, 'text').execute()
  }
  // The wizard lists a module's recent jobs; without it every listing reads the whole table.
  await db.schema
    .createIndex('_import_jobs_module')
    .ifNotExists()
    .on('_import_jobs')
    .columns(['module', 'id'])
    .execute()
}

export async function insertImportJob(
  db: Executor,
  module: string,
  actorId: number,
  extra: { options?: unknown; upload?: ImportJob['upload']; status?: ImportJobStatus } = {},
): Promise<number> {
  const row = await db
    .insertInto('_import_jobs')
    .values({
      module,
      status: extra.status ?? 'running',
      created_by: actorId,
      created_at: new Date().toISOString(),
      ...(extra.options === undefined ? {} : { options: JSON.stringify(extra.options) }),
      ...(extra.upload === undefined ? {} : { upload: JSON.stringify(extra.upload) }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  return Number((row as { id: unknown }).id)
}

export async function finishImportJob(
  db: Executor,
  id: number,
  status: ImportJobStatus,
  result: unknown,
): Promise<void> {
  await db
    .updateTable('_import_jobs')
    .set({ status, finished_at: new Date().toISOString(), result: JSON.stringify(result) })
    .where('id', '=', id)
    .execute()
}

/** Changes a job's status, and other columns given as JSON values. */
export async function updateImportJob(
  db: Executor,
  id: number,
  changes: { status?: ImportJobStatus; progress?: unknown; undo?: unknown; upload?: unknown },
): Promise<void> {
  const set: Record<string, unknown> = {}
  if (changes.status !== undefined) set.status = changes.status
  for (const key of ['progress', 'undo', 'upload'] as const) {
    if (changes[key] !== undefined) set[key] = JSON.stringify(changes[key])
  }
  await db.updateTable('_import_jobs').set(set).where('id', '=', id).execute()
}

/** Marks jobs left `running` or `undoing` by a process that stopped as interrupted; answers their ids. */
export async function interruptStaleImportJobs(db: Executor): Promise<number[]> {
  const rows = await db
    .updateTable('_import_jobs')
    .set({ status: 'interrupted' })
    .where('status', 'in', ['running', 'undoing'])
    .returning('id')
    .execute()

  return rows.map((row) => Number((row as { id: unknown }).id))
}

export async function selectImportJob(db: Executor, id: number): Promise<ImportJob | undefined> {
  const row = (await db
    .selectFrom('_import_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as Record<string, unknown> | undefined

  return row ? jobOf(row) : undefined
}

/**
 * A module's jobs, newest first; only `createdBy`'s when given. Dry runs are
 * stored as finished jobs to number their answers, but wrote nothing: they
 * are left out.
 */
export async function selectImportJobs(
  db: Executor,
  module: string,
  { createdBy, limit }: { createdBy?: number; limit: number },
): Promise<ImportJob[]> {
  let query = db
    .selectFrom('_import_jobs')
    .selectAll()
    .where('module', '=', module)
    .where(sql<number>`coalesce(json_extract(options, '$.dryRun'), 0)`, '=', 0)
  if (createdBy !== undefined) query = query.where('created_by', '=', createdBy)
  const rows = (await query.orderBy('id', 'desc').limit(limit).execute()) as Record<string, unknown>[]

  return rows.map(jobOf)
}

function jobOf(row: Record<string, unknown>): ImportJob {
  const json = (value: unknown) => (value == null ? null : JSON.parse(String(value)))

  return {
    id: Number(row.id),
    module: String(row.module),
    status: row.status as ImportJobStatus,
    created_by: row.created_by == null ? null : Number(row.created_by),
    created_at: String(row.created_at),
    finished_at: row.finished_at == null ? null : String(row.finished_at),
    result: json(row.result),
    options: json(row.options),
    upload: json(row.upload),
    progress: json(row.progress),
    undo: json(row.undo),
  }
}

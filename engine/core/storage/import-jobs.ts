import type { Executor } from './open-database.ts'

/** An import job as stored in `_import_jobs`: who ran what, its status and its result report. */
export interface ImportJob {
  id: number
  module: string
  status: 'running' | 'finished' | 'failed'
  created_by: number | null
  created_at: string
  finished_at: string | null
  result: unknown
}

export async function insertImportJob(db: Executor, module: string, actorId: number): Promise<number> {
  const row = await db
    .insertInto('_import_jobs')
    .values({ module, status: 'running', created_by: actorId, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow()

  return Number((row as { id: unknown }).id)
}

export async function finishImportJob(db: Executor, id: number, status: 'finished' | 'failed', result: unknown): Promise<void> {
  await db
    .updateTable('_import_jobs')
    .set({ status, finished_at: new Date().toISOString(), result: JSON.stringify(result) })
    .where('id', '=', id)
    .execute()
}

export async function selectImportJob(db: Executor, id: number): Promise<ImportJob | undefined> {
  const row = (await db.selectFrom('_import_jobs').selectAll().where('id', '=', id).executeTakeFirst()) as Record<string, unknown> | undefined
  if (!row) return undefined

  return { ...(row as unknown as ImportJob), id: Number(row.id), result: row.result == null ? null : JSON.parse(String(row.result)) }
}

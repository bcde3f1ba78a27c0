import { assertCan } from '../access/access-policy.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { titlesOf } from '../records/resolve-labels.ts'
import { selectImportJobs, type ImportJob } from '../storage/import-jobs.ts'
import type { ImportJobView } from './import-job-service.ts'

/** Jobs listed when no limit is asked for: a screen's worth. */
export const DEFAULT_JOB_LIMIT = 20
/** Every listed job is read whole (its report included), so a page stays small. */
export const MAX_JOB_LIMIT = 100

/**
 * A module's recent import jobs, newest first, so that a job can be undone,
 * resumed or its refused rows downloaded after its wizard was left. Like
 * `get`, a user other than an admin sees only the jobs they started.
 */
export async function listImportJobs(
  engine: Engine,
  module: string,
  actor: Actor,
  { limit = DEFAULT_JOB_LIMIT }: { limit?: number },
  view: (job: ImportJob) => ImportJobView,
): Promise<ImportJobView[]> {
  // TODO(#4): a user whose import right was taken away can no longer list their past jobs,
  // though `get`, undo's check aside, still shows each one by its id.
  assertCan(actor, engine.runtime(module), 'import')
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_JOB_LIMIT) {
    throw new EngineError(
      'QUERY_INVALID',
      `limit must be a whole number from 1 to ${MAX_JOB_LIMIT}`,
      { limit },
    )
  }
  const jobs = await engine.db.read((db) =>
    selectImportJobs(db, module, { createdBy: actor.isAdmin ? undefined : actor.id, limit }),
  )

  return jobs.map(view)
}

/** The names of the users who started the jobs, by id, for saying who ran each one. */
export async function authorsOf(
  engine: Engine,
  jobs: ImportJobView[],
): Promise<Map<number, string>> {
  const ids = [...new Set(jobs.map((job) => job.createdBy).filter((id) => id !== null))]
  if (ids.length === 0) return new Map()

  return engine.db.read((db) => titlesOf(db, engine.runtime('users'), ids))
}

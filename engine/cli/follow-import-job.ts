import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { ImportJobService, ImportJobView } from '../core/csv/import-job-service.ts'
import type { Actor } from '../core/engine.ts'

type Progress = { update(text: string): void; done(): void }

/**
 * Shows a job's progress line until its work ends, then prints its outcome
 * as JSON on standard output. Answers the exit code: 0 when every row went
 * in (or the undo finished), 1 when rows were refused or the job stopped on a
 * warning, 2 when it failed.
 */
export async function followJob(jobs: ImportJobService, id: number, actor: Actor, progress: Progress): Promise<number> {
  const settled = jobs.settled(id).then(() => true)
  for (;;) {
    const job = await jobs.get(id, actor)
    progress.update(lineOf(job))
    const done = await Promise.race([settled, new Promise<false>((resolve) => setTimeout(() => resolve(false), 250))])
    if (done) break
  }
  progress.done()
  const job = await jobs.get(id, actor)
  process.stdout.write(`${JSON.stringify(outcomeOf(job), null, 2)}\n`)
  if (job.status === 'failed' || job.undo?.error) {
    process.stderr.write(
      `job ${id} failed: ${job.error?.message ?? job.undo?.error}${job.canResume ? `; resume it with: npm run import -- --resume ${id}` : ''}\n`,
    )

    return 2
  }

  return job.status === 'stopped' || (job.status === 'finished' && (job.result?.counts.refused ?? 0) > 0) ? 1 : 0
}

/** Writes the job's refused rows, with a reason column, to a CSV file. */
export async function writeRefusedRows(jobs: ImportJobService, id: number, actor: Actor, path: string): Promise<void> {
  const out = createWriteStream(path)
  let rows = -1
  for await (const chunk of await jobs.refusedRowsCsv(id, actor)) {
    rows += chunk.split('\r\n').length - 1
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  process.stderr.write(`${Math.max(rows, 0).toLocaleString('en')} refused rows written to ${path}\n`)
}

function lineOf(job: ImportJobView): string {
  if (job.undo && job.status === 'undoing') return `job ${job.id}: undoing, ${(job.undo.done ?? 0).toLocaleString('en')} records taken back`
  const { progress } = job
  const percent = progress.totalBytes > 0 ? ` (${Math.floor((100 * progress.bytesRead) / progress.totalBytes)} %)` : ''

  return `job ${job.id} ${job.module}: ${progress.rows.toLocaleString('en')} rows read${percent}, ${progress.created.toLocaleString('en')} created, ${progress.updated} updated, ${progress.skipped} skipped, ${progress.refused} refused`
}

function outcomeOf(job: ImportJobView) {
  return {
    job: job.id,
    module: job.module,
    status: job.status,
    ...(job.result
      ? {
          counts: job.result.counts,
          encoding: job.result.encoding,
          delimiter: job.result.delimiter,
          warnings: job.result.warnings,
          errors: job.result.errors.slice(0, 20),
        }
      : { progress: job.progress }),
    ...(job.error ? { error: job.error } : {}),
    ...(job.undo ? { undo: job.undo } : {}),
  }
}

import { copyFileSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { importJobsOf } from '../../engine/core/csv/import-job-service.ts'
import { createEngine } from '../../engine/core/engine.ts'

/**
 * Child process of the import kill test: opens the database given as
 * argv[2], starts an import job of the CSV file argv[3] in batches of 500
 * rows and prints the job's last committed line as it moves, so the parent
 * can kill it in the middle.
 */
const engine = await createEngine({ databaseUrl: process.argv[2] })
const jobs = importJobsOf(engine)
mkdirSync(jobs.uploadFolder, { recursive: true })
const path = join(jobs.uploadFolder, 'upload-kill-test.csv')
copyFileSync(process.argv[3], path)
const admin = { id: 1, isAdmin: true }
const job = await jobs.start(
  'potentials',
  { path, name: 'deals.csv', bytes: statSync(path).size },
  { batchSize: 500 },
  admin,
)
process.stdout.write(`job ${job.id}\n`)
for (;;) {
  const seen = await jobs.get(job.id, admin)
  process.stdout.write(`committed ${seen.progress.lastLine}\n`)
  if (seen.status !== 'running') break
  await new Promise((resolve) => setTimeout(resolve, 5))
}
process.stdout.write('finished\n')

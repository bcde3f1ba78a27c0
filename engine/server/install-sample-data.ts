import { fileURLToPath } from 'node:url'
import { runImportPlan } from '../core/csv/run-import-plan.ts'
import type { Engine } from '../core/engine.ts'
import type { SessionUser } from '../core/users/auth-service.ts'
import type { Logger } from './logger.ts'

const SAMPLE_PLAN = fileURLToPath(new URL('../../modules/sample-data/crm-sales-opportunities/import-plan.json', import.meta.url))

/**
 * Imports the sample data set through the ordinary CSV importer, as its
 * import plan says, and reports per module what was imported and refused.
 */
export async function installSampleData(engine: Engine, admin: SessionUser, logger: Logger): Promise<void> {
  logger.info({ plan: SAMPLE_PLAN }, 'importing the sample data set')
  const started = performance.now()
  const report = await runImportPlan(engine, SAMPLE_PLAN, admin)
  logger.info({ report, durationMs: Math.round(performance.now() - started) }, 'sample data imported')
  process.stdout.write(`\nSample data imported:\n${JSON.stringify(report, null, 2)}\n\n`)
}

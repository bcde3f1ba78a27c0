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
  const lines = report.steps.map((step) => `  ${step.id.padEnd(18)} ${step.module.padEnd(11)} ${String(step.counts.rows).padStart(6)} rows  ${String(step.counts.created).padStart(6)} created  ${String(step.counts.updated).padStart(4)} updated  ${String(step.counts.skipped).padStart(4)} skipped  ${String(step.counts.refused).padStart(4)} refused`)
  process.stdout.write(`\nSample data imported (${report.plan}):\n${lines.join('\n')}\n\n`)
}

import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { fileSource } from './decode-bytes.ts'
import { importCsv } from './import-csv.ts'
import type { ImportOptions, ImportProgress, ImportResult, RowError } from './import-types.ts'

/** One step of an import plan: a CSV file of the plan's folder into a module, with its options. */
export interface ImportPlanStep {
  id: string
  module: string
  /** Path relative to the plan file; it may not leave the plan's folder. */
  file: string
  /** Why the step is there and what its mapping decides; for people. */
  why?: string
  options?: Omit<ImportOptions, 'onProgress'>
}

export interface ImportPlan {
  name: string
  description?: string
  steps: ImportPlanStep[]
}

export interface ImportPlanReport {
  plan: string
  steps: {
    id: string
    module: string
    file: string
    counts: ImportResult['counts']
    errors: RowError[]
  }[]
}

/**
 * Runs an import plan (a JSON file listing CSV imports in order) through the
 * ordinary importer: every quirk of the data is handled by the plan's
 * mappings, not by code. Answers the counts of each step and its first
 * errors. A plan that cannot be read, or a step whose file cannot be read,
 * throws CSV_INVALID; refused rows never throw.
 *
 * @example
 * const report = await runImportPlan(engine, 'modules/sample-data/crm-sales-opportunities/import-plan.json', admin)
 */
export async function runImportPlan(
  engine: Engine,
  planPath: string,
  actor: Actor,
  options: { dryRun?: boolean; onProgress?: (step: string, progress: ImportProgress) => void } = {},
): Promise<ImportPlanReport> {
  const plan = readPlan(planPath)
  const folder = dirname(resolve(planPath))
  const report: ImportPlanReport = { plan: plan.name, steps: [] }
  for (const step of plan.steps) {
    const file = resolve(folder, step.file)
    const inside = relative(folder, file)
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new EngineError(
        'CSV_INVALID',
        `step "${step.id}" names ${step.file}, outside the plan's folder`,
        { step: step.id },
      )
    }
    const result = await importCsv(
      engine,
      step.module,
      fileSource(file),
      {
        ...step.options,
        dryRun: options.dryRun ?? step.options?.dryRun,
        onProgress: (progress) => options.onProgress?.(step.id, progress),
      },
      actor,
    )
    report.steps.push({
      id: step.id,
      module: step.module,
      file: step.file,
      counts: result.counts,
      errors: result.errors.slice(0, 20),
    })
  }

  return report
}

function readPlan(planPath: string): ImportPlan {
  let plan: ImportPlan
  try {
    plan = JSON.parse(readFileSync(planPath, 'utf8')) as ImportPlan
  } catch (error) {
    throw new EngineError(
      'CSV_INVALID',
      `the import plan ${planPath} cannot be read: ${(error as Error).message}`,
      {},
      error,
    )
  }
  const steps = Array.isArray(plan?.steps) ? plan.steps : undefined
  const bad = steps?.find(
    (step) =>
      typeof step?.id !== 'string' ||
      typeof step.module !== 'string' ||
      typeof step.file !== 'string',
  )
  if (!steps || bad !== undefined || typeof plan.name !== 'string') {
    throw new EngineError(
      'CSV_INVALID',
      `the import plan ${planPath} needs a name and steps, each with an id, a module and a file`,
      {},
    )
  }

  return plan
}

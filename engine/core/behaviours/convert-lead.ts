import { assertCan, canSee } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { composeRecord, type FieldValues } from '../records/compose-record.ts'
import type { LabelledRecord } from '../records/resolve-labels.ts'
import { runWriteHooks, type WriteHook } from '../records/write-hooks.ts'
import type { Executor } from '../storage/open-database.ts'
import { insertRecords, selectRecord, updateRecordRow } from '../storage/record-queries.ts'
import type { StoredRecord } from '../storage/record-rows.ts'
import { translateSqliteError } from '../storage/translate-sqlite-error.ts'
import { readConversionRequest } from './conversion-request.ts'
import { planConversion, type ConversionPlan, type PlannedStep } from './plan-conversion.ts'

export type { ConversionPlan } from './plan-conversion.ts'

/** What a conversion did: the converted record as it is now and each target's record. */
export interface ConversionResult {
  lead: LabelledRecord
  records: Record<string, { module: string; id: number; action: 'create' | 'reuse' } | null>
  plan: ConversionPlan
}

/**
 * Shows what converting a record (a lead) would do, by its definition's
 * conversion mapping, without writing anything: which records are made or
 * reused, which values go where, which are kept, and every reason the
 * conversion would be refused (as `issues`; `ok` is false then).
 * Throws RECORD_NOT_FOUND when the actor may not see the record, FORBIDDEN
 * without the right to edit it, QUERY_INVALID for a malformed request.
 *
 * @example
 * const plan = await previewConversion(engine, 'leads', 7, { createPotential: true, potential: { sales_stage: 'Qualification', closingdate: '2026-09-30' } }, actor)
 */
export async function previewConversion(
  engine: Engine,
  module: string,
  id: number,
  body: unknown,
  actor: Actor,
): Promise<ConversionPlan> {
  const source = convertibleOrThrow(engine, module, actor)
  const request = readConversionRequest(body, source.definition.behaviours!.conversion!)

  return engine.db.read(async (reader) => {
    const lead = await visibleOrThrow(reader, source, id, actor)

    return (await planConversion(reader, contextOf(engine), source, lead, request, actor)).plan
  })
}

/**
 * Converts a record (a lead) as `previewConversion` describes it, all in one
 * transaction: the records are made or filled in the mapping's order, each
 * link takes the id of the record made before it, and the lead is marked
 * converted (its converted-at field and one link per target), which makes it
 * read-only for everyone but admins. A refusal throws CONVERSION_REFUSED with
 * the preview's issues and writes nothing; a failure half-way (a unique value
 * taken) rolls everything back, so no account exists without its contact.
 *
 * @example
 * const { records } = await convertLead(engine, 'leads', 7, { createPotential: true, potential: { sales_stage: 'Qualification', closingdate: '2026-09-30' } }, actor)
 */
export async function convertLead(
  engine: Engine,
  module: string,
  id: number,
  body: unknown,
  actor: Actor,
): Promise<ConversionResult> {
  const source = convertibleOrThrow(engine, module, actor)
  const request = readConversionRequest(body, source.definition.behaviours!.conversion!)

  const done = await engine.db.write(async (trx) => {
    const lead = await visibleOrThrow(trx, source, id, actor)
    const { plan, steps } = await planConversion(
      trx,
      contextOf(engine),
      source,
      lead,
      request,
      actor,
    )
    if (!plan.ok) {
      throw new EngineError(
        'CONVERSION_REFUSED',
        `the ${source.definition.label.singular.toLowerCase()} cannot be converted: ${plan.issues.map((issue) => issue.message).join('; ')}`,
        { issues: plan.issues, plan },
      )
    }
    const ids = await executeSteps(trx, engine.records.hooks, steps, actor)
    await markConverted(trx, engine.records.hooks, source, lead, ids, actor)

    return { plan, ids }
  })

  const records: ConversionResult['records'] = {}
  for (const target of done.plan.targets) {
    const recordId = done.ids.get(target.name)
    records[target.name] =
      recordId === undefined || target.action === 'skip'
        ? null
        : { module: target.module, id: recordId, action: target.action }
  }

  return { lead: await engine.records.get(module, id, actor), records, plan: done.plan }
}

function convertibleOrThrow(engine: Engine, module: string, actor: Actor): ModuleRuntime {
  const source = engine.runtime(module)
  if (!source.definition.behaviours?.conversion) {
    throw new EngineError(
      'CONVERSION_REFUSED',
      `${source.definition.label.plural} do not convert: their definition has no conversion mapping`,
      { module },
    )
  }
  assertCan(actor, source, 'edit')

  return source
}

async function visibleOrThrow(
  db: Executor,
  source: ModuleRuntime,
  id: number,
  actor: Actor,
): Promise<StoredRecord> {
  const lead = await selectRecord(db, source, id)
  if (!lead || !canSee(actor, source, lead)) {
    throw new EngineError(
      'RECORD_NOT_FOUND',
      `${source.definition.label.singular} ${id} does not exist or is in the recycle bin`,
      { module: source.name, id },
    )
  }

  return lead
}

function contextOf(engine: Engine) {
  return { runtimes: engine.runtimes(), checkReferences: engine.records.checkReferences }
}

/** Makes or fills each target's record in order; links take the ids made before them. */
async function executeSteps(
  trx: Executor,
  hooks: readonly WriteHook[],
  steps: PlannedStep[],
  actor: Actor,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const step of steps) {
    if (step.plan.action === 'skip' || !step.runtime) continue
    const runtime = step.runtime
    const input: FieldValues = { ...step.input }
    for (const [field, target] of step.links) input[field] = ids.get(target) ?? null

    if (step.plan.action === 'reuse') {
      const existing = step.existing!
      ids.set(step.plan.name, existing.id)
      if (Object.keys(input).length > 0)
        await fillRecord(trx, hooks, runtime, existing, input, actor)
      continue
    }
    const composed = composedOrThrow(runtime, composeRecord(runtime, input, { actorId: actor.id }))
    const [created] = await insertRecords(trx, runtime, [composed], actor.id).catch(
      (error: unknown) => {
        throw translateSqliteError(error)
      },
    )
    await runWriteHooks(hooks, trx, {
      module: runtime.name,
      id: created,
      action: 'create',
      before: null,
      after: composed,
      actorId: actor.id,
    })
    ids.set(step.plan.name, created)
  }

  return ids
}

async function fillRecord(
  trx: Executor,
  hooks: readonly WriteHook[],
  runtime: ModuleRuntime,
  existing: StoredRecord,
  input: FieldValues,
  actor: Actor,
): Promise<void> {
  const composed = composedOrThrow(runtime, composeRecord(runtime, input, { stored: existing }))
  await writeOrThrow(trx, runtime, existing, composed)
  await runWriteHooks(hooks, trx, {
    module: runtime.name,
    id: existing.id,
    action: 'update',
    before: fieldValuesOf(runtime, existing),
    after: composed,
    actorId: actor.id,
  })
}

/** Sets the converted-at field and the link to each target's record, through the same composition as any write. */
async function markConverted(
  trx: Executor,
  hooks: readonly WriteHook[],
  source: ModuleRuntime,
  lead: StoredRecord,
  ids: Map<string, number>,
  actor: Actor,
): Promise<void> {
  const conversion = source.definition.behaviours!.conversion!
  const system: FieldValues = { [conversion.convertedAt]: new Date().toISOString() }
  for (const [name, spec] of Object.entries(conversion.targets))
    system[spec.leadField] = ids.get(name) ?? null
  // These fields are read-only to writers: the engine sets them as system values.
  const composed = composedOrThrow(source, composeRecord(source, {}, { stored: lead, system }))
  await writeOrThrow(trx, source, lead, composed)
  await runWriteHooks(hooks, trx, {
    module: source.name,
    id: lead.id,
    action: 'update',
    before: fieldValuesOf(source, lead),
    after: composed,
    actorId: actor.id,
  })
}

async function writeOrThrow(
  trx: Executor,
  runtime: ModuleRuntime,
  stored: StoredRecord,
  values: FieldValues,
): Promise<void> {
  const written = await updateRecordRow(trx, runtime, stored.id, values, stored.version).catch(
    (error: unknown) => {
      throw translateSqliteError(error)
    },
  )
  if (!written)
    throw new EngineError(
      'RECORD_STALE',
      `${runtime.definition.label.singular} ${stored.id} changed during the conversion; try again`,
    )
}

function composedOrThrow(
  runtime: ModuleRuntime,
  composed: { values: FieldValues; issues: { message: string }[] },
): FieldValues {
  if (composed.issues.length === 0) return composed.values

  throw new EngineError(
    'CONVERSION_REFUSED',
    `${runtime.definition.label.singular}: ${composed.issues.map((issue) => issue.message).join('; ')}`,
    { issues: composed.issues },
  )
}

function fieldValuesOf(runtime: ModuleRuntime, record: Record<string, unknown>): FieldValues {
  return Object.fromEntries([...runtime.fields.keys()].map((name) => [name, record[name] ?? null]))
}

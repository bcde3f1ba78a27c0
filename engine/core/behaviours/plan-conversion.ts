import { canSee, checkWritable, permissionOf } from '../access/access-policy.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type {
  ConversionDefinition,
  ConversionTarget,
  FieldDefinition,
} from '../definition/types.ts'
import type { Actor } from '../engine.ts'
import type { Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { composeRecord, type FieldValues } from '../records/compose-record.ts'
import { titlesOf } from '../records/resolve-labels.ts'
import type { Executor } from '../storage/open-database.ts'
import { selectRecord } from '../storage/record-queries.ts'
import type { StoredRecord } from '../storage/record-rows.ts'
import type { ConversionRequest } from './conversion-request.ts'
import { findMatches } from './match-existing.ts'

/** The rule for records that are reused, as the conversion dialog shows it. */
export const FILL_RULE =
  'an existing record keeps every value it has; only its empty fields are filled from the lead'

/** One value a conversion would write, or keep, on a target record. */
export interface ValuePlan {
  field: string
  label: string
  /** The lead field it comes from, `request` for a value given in the dialog, or `target:<name>` for a link. */
  from: string
  value: unknown
  /** `set` on a new record, `fill` an empty field of a reused one, `keep` a reused record's own value. */
  action: 'set' | 'fill' | 'keep'
  /** The reused record's value that is kept. */
  existing?: unknown
}

/** What a conversion would do with one target. */
export interface TargetPlan {
  name: string
  module: string
  label: string
  action: 'create' | 'reuse' | 'skip'
  /** The reused record; `by` says why: the match field's value, or the dialog's choice. */
  record?: { id: number; title: string; by: 'match' | 'chosen' }
  /** Records whose value is close (accents differ): confirm with `ignoreSimilar` or choose one with `link`. */
  similar?: { id: number; title: string }[]
  values: ValuePlan[]
}

/** A conversion's preview: what is made or reused, which values go where, and why it would be refused. */
export interface ConversionPlan {
  module: string
  id: number
  ok: boolean
  rule: string
  targets: TargetPlan[]
  /** Lead fields with a value that no target takes: they stay on the lead only. */
  unmapped: { field: string; label: string }[]
  issues: Issue[]
  warnings: string[]
}

/** A plan step with what executing it needs; links to records made in this conversion are still open. */
export interface PlannedStep {
  plan: TargetPlan
  runtime?: ModuleRuntime
  /** Values to store: a new record's input, or a reused record's empty fields to fill. */
  input: FieldValues
  existing?: StoredRecord
  /** Target field → earlier target whose record id it takes. */
  links: Map<string, string>
}

export interface PlanContext {
  runtimes: ReadonlyMap<string, ModuleRuntime>
  checkReferences: (
    db: Executor,
    runtime: ModuleRuntime,
    records: FieldValues[],
    actor?: Actor,
  ) => Promise<Map<number, Issue[]>>
}

/**
 * Plans the conversion of one stored record by its definition's mapping,
 * without writing: for each target, in order, whether an existing record is
 * reused (found by the match field among those the actor sees) or a new one
 * is made, and every value that would be set, filled or kept. Refusals are
 * collected as issues, all of them, so one preview says everything.
 */
export async function planConversion(
  db: Executor,
  context: PlanContext,
  source: ModuleRuntime,
  lead: StoredRecord,
  request: ConversionRequest,
  actor: Actor,
): Promise<{ plan: ConversionPlan; steps: PlannedStep[] }> {
  const conversion = source.definition.behaviours!.conversion!
  const issues: Issue[] = []
  const warnings: string[] = []
  if (lead[conversion.convertedAt] != null) {
    issues.push({
      path: '',
      field: conversion.convertedAt,
      code: 'converted',
      message: `${source.definition.label.singular} ${lead.id} was converted already on ${String(lead[conversion.convertedAt]).slice(0, 10)}`,
    })
  }

  const steps: PlannedStep[] = []
  for (const [name, spec] of Object.entries(conversion.targets)) {
    const step = await planTarget(db, context, {
      source,
      lead,
      request,
      actor,
      name,
      spec,
      issues,
      warnings,
      earlier: steps,
    })
    steps.push(step)
  }
  const plans = steps.map((step) => step.plan)
  const plan = {
    module: source.name,
    id: lead.id,
    ok: issues.length === 0,
    rule: FILL_RULE,
    targets: plans,
    unmapped: unmappedFields(source, lead, conversion, plans),
    issues,
    warnings,
  }

  return { plan, steps }
}

interface TargetInput {
  source: ModuleRuntime
  lead: StoredRecord
  request: ConversionRequest
  actor: Actor
  name: string
  spec: ConversionTarget
  issues: Issue[]
  warnings: string[]
  earlier: PlannedStep[]
}

async function planTarget(
  db: Executor,
  context: PlanContext,
  input: TargetInput,
): Promise<PlannedStep> {
  const { name, spec, request, actor, issues } = input
  const runtime = context.runtimes.get(spec.module)
  const plan: TargetPlan = {
    name,
    module: spec.module,
    label: runtime?.definition.label.singular ?? spec.module,
    action: 'create',
    values: [],
  }
  if (spec.optional && !request.create.has(name))
    return { plan: { ...plan, action: 'skip' }, input: {}, links: new Map() }
  if (!runtime) {
    issues.push({
      path: `/targets/${name}`,
      code: 'module',
      message: `the conversion makes ${name} records in module "${spec.module}", which does not exist; fix the mapping in the ${input.source.definition.label.plural} definition`,
    })

    return { plan, input: {}, links: new Map() }
  }
  const problem = (field: string | undefined, code: string, message: string) =>
    issues.push({
      path: `/targets/${name}${field ? `/${field}` : ''}`,
      ...(field ? { field } : {}),
      code,
      message: `${runtime.definition.label.singular}: ${message}`,
    })

  // Values: mapped from the lead, then links to earlier targets, then what the dialog gives.
  const mapped = mapLeadValues(input, runtime, problem)
  const links = new Map<string, string>()
  const linked: FieldValues = {}
  for (const [field, target] of Object.entries(spec.links ?? {})) {
    const earlier = input.earlier.find((step) => step.plan.name === target)
    if (!earlier || earlier.plan.action === 'skip') continue
    if (earlier.plan.action === 'reuse') linked[field] = earlier.plan.record!.id
    else links.set(field, target)
    mapped.from.set(field, `target:${target}`)
  }
  const given = request.values[name] ?? {}
  for (const field of Object.keys(given)) mapped.from.set(field, 'request')
  const wanted: FieldValues = { ...mapped.values, ...linked, ...given }

  const existing = await chooseExisting(db, runtime, input, wanted, plan, problem)
  if (existing && Object.keys(given).length > 0) {
    input.warnings.push(
      `the values given for the ${name} apply to a new record only; ${plan.record!.title} keeps its own`,
    )
  }
  if (existing)
    return planReuse(db, context, runtime, input, {
      plan,
      existing,
      wanted: { ...mapped.values, ...linked },
      from: mapped.from,
      links,
      problem,
    })

  return planCreate(db, context, runtime, input, {
    plan,
    wanted,
    from: mapped.from,
    links,
    problem,
  })
}

type Problem = (field: string | undefined, code: string, message: string) => void

function mapLeadValues(
  input: TargetInput,
  runtime: ModuleRuntime,
  problem: Problem,
): { values: FieldValues; from: Map<string, string> } {
  const { spec, source, lead } = input
  const values: FieldValues = {}
  const from = new Map<string, string>()
  for (const [field, sourceField] of Object.entries(spec.fields)) {
    const target = runtime.fields.get(field)
    const origin = source.fields.get(sourceField)
    if (!target || !origin) {
      const missing = !target
        ? `${runtime.definition.label.plural}.${field}`
        : `${source.definition.label.plural}.${sourceField}`
      problem(
        field,
        'mapping',
        `the conversion maps ${sourceField} to ${field}, but ${missing} is not a live field; fix the mapping in the ${source.definition.label.plural} definition`,
      )
      continue
    }
    const raw = lead[sourceField]
    if (raw === null || raw === undefined || raw === '') continue
    const converted = convertValue(raw, target, spec.valueMaps?.[field])
    if (!converted.ok) {
      problem(
        field,
        'no-option',
        `${origin.title} "${converted.value}" has no option in ${runtime.definition.label.plural}.${target.title} and the conversion has no value map for it; add the option or map the value (valueMaps.${field})`,
      )
      continue
    }
    values[field] = converted.value
    from.set(field, sourceField)
  }

  return { values, from }
}

/**
 * A lead value as the target field takes it. Picklist values go through the
 * mapping's value map, then must be an option of the target (ignoring case,
 * stored in the option's spelling); numbers and booleans become text for text
 * fields. Everything else is validated by the target's own rules later.
 */
export function convertValue(
  raw: unknown,
  target: FieldDefinition,
  valueMap: Record<string, string> = {},
): { ok: true; value: unknown } | { ok: false; value: string } {
  const kind = target['x-kind']
  if (kind === 'picklist' || kind === 'multi-picklist') {
    const options = target.enum ?? target.items?.enum ?? []
    const list = Array.isArray(raw) ? raw.map(String) : [String(raw)]
    const mapped: string[] = []
    for (const value of list) {
      const key =
        Object.keys(valueMap).find((item) => item === value) ??
        Object.keys(valueMap).find((item) => item.toLowerCase() === value.toLowerCase())
      const wanted = key === undefined ? value : valueMap[key]
      const option =
        options.find((item) => item === wanted) ??
        options.find((item) => item.toLowerCase() === wanted.trim().toLowerCase())
      if (option === undefined) return { ok: false, value }
      mapped.push(option)
    }

    return { ok: true, value: kind === 'picklist' ? mapped[0] : mapped }
  }
  if (kindOf(target).jsonType === 'string' && (typeof raw === 'number' || typeof raw === 'boolean'))
    return { ok: true, value: String(raw) }

  return { ok: true, value: raw }
}

/** The record to reuse: chosen in the dialog, else the one whose match field holds the same value. */
async function chooseExisting(
  db: Executor,
  runtime: ModuleRuntime,
  input: TargetInput,
  wanted: FieldValues,
  plan: TargetPlan,
  problem: Problem,
): Promise<StoredRecord | undefined> {
  const { name, spec, request, actor } = input
  const chosen = request.link[name]
  if (chosen !== undefined) {
    const record = await selectRecord(db, runtime, chosen)
    if (record && permissionOf(actor, runtime.name).view && canSee(actor, runtime, record)) {
      plan.record = { id: record.id, title: await titleOf(db, runtime, record.id), by: 'chosen' }

      return record
    }
    problem(
      undefined,
      'link',
      `no ${runtime.definition.label.singular.toLowerCase()} with id ${chosen} to link`,
    )

    return undefined
  }
  const value = spec.matchBy === undefined ? undefined : wanted[spec.matchBy]
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const matches = await findMatches(db, runtime, spec.matchBy!, value, actor)
  const field = runtime.fields.get(spec.matchBy!)?.title ?? spec.matchBy!
  const describe = (items: { id: number; value: string }[]) =>
    items.map((item) => `'${item.value}' (id ${item.id})`).join(', ')
  if (matches.same.length > 1) {
    problem(
      spec.matchBy,
      'ambiguous',
      `${matches.same.length} ${runtime.definition.label.plural.toLowerCase()} have ${field} '${value.trim()}': ${describe(matches.same)}; choose one with "link": { "${name}": <id> }`,
    )

    return undefined
  }
  if (matches.same.length === 1) {
    const record = await selectRecord(db, runtime, matches.same[0].id)
    plan.record = { id: record!.id, title: await titleOf(db, runtime, record!.id), by: 'match' }

    return record
  }
  if (matches.similar.length > 0) {
    plan.similar = await Promise.all(
      matches.similar.map(async (item) => ({
        id: item.id,
        title: await titleOf(db, runtime, item.id),
      })),
    )
    if (!request.ignoreSimilar.has(name)) {
      problem(
        spec.matchBy,
        'similar',
        `no ${runtime.definition.label.singular.toLowerCase()} has ${field} '${value.trim()}', but ${describe(matches.similar)} is close; link it with "link": { "${name}": <id> } or make a new one with "ignoreSimilar": ["${name}"]`,
      )
    }
  }

  return undefined
}

interface ReuseInput {
  plan: TargetPlan
  existing: StoredRecord
  wanted: FieldValues
  from: Map<string, string>
  links: Map<string, string>
  problem: Problem
}

/** A reused record keeps its values; its empty fields are filled, when the actor may edit it. */
async function planReuse(
  db: Executor,
  context: PlanContext,
  runtime: ModuleRuntime,
  input: TargetInput,
  reuse: ReuseInput,
): Promise<PlannedStep> {
  const { plan, existing, wanted, from, links, problem } = reuse
  const fill: FieldValues = {}
  const openLinks = new Map([...links].filter(([field]) => isEmpty(existing[field])))
  for (const [field, value] of Object.entries(wanted)) {
    const label = runtime.fields.get(field)?.title ?? field
    if (isEmpty(existing[field])) fill[field] = value
    const action = isEmpty(existing[field]) ? 'fill' : 'keep'
    plan.values.push({
      field,
      label,
      from: from.get(field) ?? 'request',
      value,
      action,
      ...(action === 'keep' ? { existing: existing[field] } : {}),
    })
  }
  for (const [field, target] of links) {
    const action = openLinks.has(field) ? 'fill' : 'keep'
    plan.values.push({
      field,
      label: runtime.fields.get(field)?.title ?? field,
      from: `target:${target}`,
      value: null,
      action,
      ...(action === 'keep' ? { existing: existing[field] } : {}),
    })
  }
  const step: PlannedStep = {
    plan: { ...plan, action: 'reuse' },
    runtime,
    input: fill,
    existing,
    links: openLinks,
  }
  if (Object.keys(fill).length === 0 && openLinks.size === 0) return step
  if (!permissionOf(input.actor, runtime.name).edit) {
    input.warnings.push(
      `your role may not edit ${runtime.definition.label.plural}: the empty fields of ${plan.record!.title} stay empty`,
    )
    step.plan.values = step.plan.values.map((value) =>
      value.action === 'fill' ? { ...value, action: 'keep', existing: null } : value,
    )

    return { ...step, input: {}, links: new Map() }
  }

  const composed = composeRecord(runtime, fill, { stored: existing })
  const issues = [
    ...checkWritable(input.actor, runtime, fill, existing),
    ...composed.issues,
    ...((await context.checkReferences(db, runtime, [fill], input.actor)).get(0) ?? []),
  ]
  for (const issue of issues) problem(issue.field, issue.code, issue.message)

  return step
}

interface CreateInput {
  plan: TargetPlan
  wanted: FieldValues
  from: Map<string, string>
  links: Map<string, string>
  problem: Problem
}

/** A new record from the mapped values and the dialog's, validated as any create would be. */
async function planCreate(
  db: Executor,
  context: PlanContext,
  runtime: ModuleRuntime,
  input: TargetInput,
  create: CreateInput,
): Promise<PlannedStep> {
  const { plan, wanted, from, links, problem } = create
  if (!permissionOf(input.actor, runtime.name).create)
    problem(undefined, 'forbidden', `your role may not create ${runtime.definition.label.plural}`)
  const composed = composeRecord(runtime, wanted, { actorId: input.actor.id })
  // A link to a record this conversion makes has no id yet; its checks run when it is made.
  const open = (issue: Issue) => issue.field === undefined || !links.has(issue.field)
  const issues = [
    ...checkWritable(input.actor, runtime, wanted),
    ...composed.issues.filter(open),
    ...((await context.checkReferences(db, runtime, [composed.values], input.actor)).get(0) ?? []),
  ]
  for (const issue of issues) problem(issue.field, issue.code, issue.message)
  for (const [field, value] of Object.entries(wanted)) {
    plan.values.push({
      field,
      label: runtime.fields.get(field)?.title ?? field,
      from: from.get(field) ?? 'request',
      value: composed.values[field] ?? value,
      action: 'set',
    })
  }
  for (const [field, target] of links)
    plan.values.push({
      field,
      label: runtime.fields.get(field)?.title ?? field,
      from: `target:${target}`,
      value: null,
      action: 'set',
    })

  return { plan, runtime, input: wanted, links }
}

function unmappedFields(
  source: ModuleRuntime,
  lead: StoredRecord,
  conversion: ConversionDefinition,
  plans: TargetPlan[],
): { field: string; label: string }[] {
  const taken = new Set<string>([conversion.convertedAt])
  for (const [name, spec] of Object.entries(conversion.targets)) {
    taken.add(spec.leadField)
    if (plans.find((plan) => plan.name === name)?.action === 'skip') continue
    for (const sourceField of Object.values(spec.fields)) taken.add(sourceField)
  }
  const owner = source.definition.ownerField

  return [...source.fields]
    .filter(
      ([name, field]) =>
        !taken.has(name) && name !== owner && !kindOf(field).isGenerated && !isEmpty(lead[name]),
    )
    .map(([field, definition]) => ({ field, label: definition.title }))
}

async function titleOf(db: Executor, runtime: ModuleRuntime, id: number): Promise<string> {
  return (await titlesOf(db, runtime, [id])).get(id) ?? `#${id}`
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
}

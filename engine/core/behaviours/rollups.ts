import { sql } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { RollupDefinition } from '../definition/types.ts'
import type { Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { evaluateExpression } from './expression.ts'
import type { RecordChange, WriteHook } from '../records/write-hooks.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'
import { selectRecord, updateRecordRow } from '../storage/record-queries.ts'

/** Roll-ups deep enough for line → quote → potential, and a guard against cycles. */
const MAX_DEPTH = 5

interface Rollup extends RollupDefinition {
  /** The module that owns the target field. */
  parent: string
}

let rollupCache: { members: ModuleRuntime[]; byModule: Map<string, Rollup[]> } | undefined

/**
 * The roll-ups whose source is `module`, across every live definition. Every
 * write asks and an import writes a million records, so the answer is kept
 * while the live runtimes are the same objects (a definition change replaces
 * its module's runtime in the map).
 */
function rollupsFrom(module: string, runtimes: ReadonlyMap<string, ModuleRuntime>): Rollup[] {
  if (rollupCache === undefined || !sameMembers(rollupCache.members, runtimes)) {
    rollupCache = { members: [...runtimes.values()], byModule: new Map() }
  }
  let found = rollupCache.byModule.get(module)
  if (found === undefined) {
    found = [...runtimes.values()].flatMap((runtime) =>
      (runtime.definition.behaviours?.rollups ?? []).filter((rollup) => rollup.module === module).map((rollup) => ({ ...rollup, parent: runtime.name })),
    )
    rollupCache.byModule.set(module, found)
  }

  return found
}

function sameMembers(members: ModuleRuntime[], runtimes: ReadonlyMap<string, ModuleRuntime>): boolean {
  if (members.length !== runtimes.size) return false
  let index = 0
  for (const runtime of runtimes.values()) if (members[index++] !== runtime) return false

  return true
}

/**
 * Keeps roll-up fields right in the same transaction as the write that moves
 * them: when a quote line changes, its quote's total is summed again, and the
 * quote's own change reaches the potential the same way. A parent with no
 * related records left keeps its last value, and its field is the user's again.
 */
export function createRollupHook(
  runtimeOf: (module: string) => ModuleRuntime,
  allRuntimes: () => ReadonlyMap<string, ModuleRuntime>,
  runHooks: (trx: Executor, change: RecordChange) => Promise<void>,
): WriteHook {
  const depth = new WeakMap<object, number>()

  return async (trx, change) => {
    const level = depth.get(trx) ?? 0
    if (level >= MAX_DEPTH) return
    for (const rollup of rollupsFrom(change.module, allRuntimes())) {
      const parents = new Set(
        [change.before?.[rollup.via], change.after?.[rollup.via]].filter((value): value is number => typeof value === 'number'),
      )
      const sourceChanged = change.action !== 'update' || JSON.stringify(change.before?.[rollup.field]) !== JSON.stringify(change.after?.[rollup.field]) || change.before?.[rollup.via] !== change.after?.[rollup.via]
      if (!sourceChanged) continue
      for (const parentId of parents) {
        depth.set(trx, level + 1)
        try {
          await recomputeParent(trx, runtimeOf(rollup.parent), runtimeOf(rollup.module), rollup, parentId, change.actorId, runHooks)
        } finally {
          depth.set(trx, level)
        }
      }
    }
  }
}

async function recomputeParent(
  trx: Executor,
  parent: ModuleRuntime,
  source: ModuleRuntime,
  rollup: Rollup,
  parentId: number,
  actorId: number | null,
  runHooks: (trx: Executor, change: RecordChange) => Promise<void>,
): Promise<void> {
  const stored = await selectRecord(trx, parent, parentId)
  if (!stored) return
  const { count, value } = await aggregate(trx, source, rollup, parentId, parent.fields.get(rollup.target)!)
  if (count === 0 && rollup.aggregate !== 'count') return
  const before = Object.fromEntries([...parent.fields.keys()].map((name) => [name, stored[name] ?? null]))
  const after = { ...before, [rollup.target]: value }
  for (const [name, expression] of parent.computed) after[name] = evaluateExpression(expression, after, parent.fields.get(name)!['x-scale'] ?? 2)
  if (JSON.stringify(after) === JSON.stringify(before)) return
  await updateRecordRow(trx, parent, parentId, after, stored.version)
  await runHooks(trx, { module: parent.name, id: parentId, action: 'update', before, after, actorId })
}

async function aggregate(
  trx: Executor,
  source: ModuleRuntime,
  rollup: Rollup,
  parentId: number,
  target: NonNullable<ReturnType<ModuleRuntime['fields']['get']>>,
): Promise<{ count: number; value: unknown }> {
  const column = sql.ref(toColumnName(rollup.field))
  const aggregated = rollup.aggregate === 'count' ? sql`count(*)` : sql`${sql.raw(rollup.aggregate)}(${column})`
  const row = (await trx
    .selectFrom(source.name)
    // Sources whose field is empty (a quote without lines yet) do not take the parent's field over.
    .select([(rollup.aggregate === 'count' ? sql<number>`count(*)` : sql<number>`count(${column})`).as('count'), aggregated.as('value')])
    .where(toColumnName(rollup.via), '=', parentId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()) as { count: number; value: unknown }
  if (rollup.aggregate === 'count') return { count: Number(row.count), value: Number(row.count) }
  // The source column holds the source kind's storage form; read it as the source field, write it as the target.
  const sourceField = source.fields.get(rollup.field)!
  const value = row.value == null ? null : kindOf(sourceField).fromColumn(row.value, sourceField)

  return { count: Number(row.count), value: typeof value === 'number' ? Number(value.toFixed(target['x-scale'] ?? 2)) : value }
}

/**
 * Issues for a write that types into a field a roll-up currently fills
 * (a potential's amount while quotes are linked to it).
 */
export async function checkRollupTargets(
  trx: Executor,
  runtime: ModuleRuntime,
  id: number,
  input: Record<string, unknown>,
  stored: Record<string, unknown>,
  runtimeOf: (module: string) => ModuleRuntime,
): Promise<Issue[]> {
  const issues: Issue[] = []
  for (const rollup of runtime.definition.behaviours?.rollups ?? []) {
    if (!(rollup.target in input) || JSON.stringify(input[rollup.target]) === JSON.stringify(stored[rollup.target])) continue
    const sources = await activeSources(trx, runtimeOf(rollup.module), rollup, id)
    if (sources > 0) {
      const field = runtime.fields.get(rollup.target)
      issues.push({
        path: `/${rollup.target}`,
        field: rollup.target,
        code: 'rollup',
        message: `${field?.title ?? rollup.target} comes from ${sources} linked ${runtimeOf(rollup.module).definition.label.plural.toLowerCase()}; unlink them to type it yourself`,
      })
    }
  }

  return issues
}

/** Which fields of a record a roll-up fills right now, and from how many records. */
export async function describeRollups(
  reader: Executor,
  runtime: ModuleRuntime,
  id: number,
  runtimeOf: (module: string) => ModuleRuntime,
): Promise<Record<string, { module: string; count: number }>> {
  const result: Record<string, { module: string; count: number }> = {}
  for (const rollup of runtime.definition.behaviours?.rollups ?? []) {
    const count = await activeSources(reader, runtimeOf(rollup.module), rollup, id)
    if (count > 0) result[rollup.target] = { module: rollup.module, count }
  }

  return result
}

async function activeSources(db: Executor, source: ModuleRuntime, rollup: RollupDefinition, id: number): Promise<number> {
  const counted = rollup.aggregate === 'count' ? sql<number>`count(*)` : sql<number>`count(${sql.ref(toColumnName(rollup.field))})`
  const row = (await db
    .selectFrom(source.name)
    .select(counted.as('count'))
    .where(toColumnName(rollup.via), '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()) as { count: number }

  return Number(row.count)
}

import { assertCan, canSee, checkWritable, hiddenFields, redact, visibleOwners } from '../access/access-policy.ts'
import { checkRollupTargets, describeRollups } from '../behaviours/rollups.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { EngineError, invalid, type Issue } from '../errors.ts'
import { targetOf } from '../relations/relation-graph.ts'
import type { ListAccess, ListQuery } from '../storage/list-query.ts'
import type { Database, Executor } from '../storage/open-database.ts'
import { insertRecords, selectRecord, selectRecords, setDeleted, updateRecordRow } from '../storage/record-queries.ts'
import { translateSqliteError } from '../storage/translate-sqlite-error.ts'
import { composeRecord, type FieldValues } from './compose-record.ts'
import { resolveLabels, type LabelledRecord } from './resolve-labels.ts'
import { runWriteHooks, type WriteHook } from './write-hooks.ts'
import { assertNotConvertedOrThrow } from '../behaviours/conversion-lock.ts'
import { checkParentLinks, withWholeParentLink } from './check-parent-links.ts'

export interface MassUpdateResult {
  updated: number[]
  failed: { id: number; code: string; message: string; issues?: Issue[] }[]
}

/** Most records one mass update may touch; larger selections are split by the caller. */
export const MAX_MASS_UPDATE = 1000

export interface CreateOptions {
  /**
   * More work in the record's own transaction once it is stored (linking it
   * to another record); if it throws, the record is not created either.
   */
  alsoInTransaction?: (trx: Executor, id: number) => Promise<void>
}

export interface UpdateOptions {
  /** The version the writer read; a different stored version answers RECORD_STALE. */
  expectedVersion?: number
}

/** Create, read, update, delete and list the records of any module. */
export interface RecordService {
  create(module: string, input: FieldValues, actor: Actor, options?: CreateOptions): Promise<LabelledRecord>
  /** Reads a record; with an actor, only what their role lets them see (else RECORD_NOT_FOUND). */
  get(module: string, id: number, actor?: Actor): Promise<LabelledRecord>
  update(module: string, id: number, input: FieldValues, actor: Actor, options?: UpdateOptions): Promise<LabelledRecord>
  /**
   * Applies the same values to many records, each through the full update
   * (validation, behaviours, permissions) in its own transaction. Refusals
   * are reported per record; they never stop the others.
   */
  massUpdate(module: string, ids: number[], input: FieldValues, actor: Actor): Promise<MassUpdateResult>
  /** Moves a record to the recycle bin. */
  remove(module: string, id: number, actor: Actor): Promise<void>
  restore(module: string, id: number, actor: Actor): Promise<LabelledRecord>
  /** Lists records; with an actor, only the records and fields their role lets them see. */
  list(module: string, query: ListQuery, actor?: Actor): Promise<{ items: LabelledRecord[]; total: number }>
  /** Issues for relation, user and parent-link values that name no live record (with an actor: none they see), per record index. */
  checkReferences(db: Executor, runtime: ModuleRuntime, records: FieldValues[], actor?: Actor): Promise<Map<number, Issue[]>>
  /**
   * Work every record write runs in its transaction (the audit trail).
   * Writers that compose and store records themselves inside one transaction
   * (lead conversion, document upload) run them too.
   * @internal
   */
  readonly hooks: readonly WriteHook[]
}

export function createRecordService(
  db: Database,
  runtimeOf: (module: string) => ModuleRuntime,
  allRuntimes: () => ReadonlyMap<string, ModuleRuntime>,
  hooks: readonly WriteHook[] = [],
): RecordService {
  // A record the actor may not see answers exactly like a missing one, so ids cannot be probed.
  const labelled = async (reader: Executor, runtime: ModuleRuntime, id: number, actor?: Actor, justWritten = false) => {
    const record = await selectRecord(reader, runtime, id)
    if (!record || (actor && !justWritten && !canSee(actor, runtime, record))) throw notFound(runtime, id)
    const [result] = await resolveLabels(reader, runtime, [record], runtimeOf)
    const rollups = await describeRollups(reader, runtime, id, runtimeOf)
    // Tells forms which fields related records fill right now (a potential's amount from its quotes).
    const described = Object.keys(rollups).length > 0 ? { ...result, _rollups: rollups } : result

    return actor ? redact(actor, runtime, described) : described
  }

  async function checkReferences(reader: Executor, runtime: ModuleRuntime, records: FieldValues[], actor?: Actor) {
    const issues = await checkParentLinks(reader, runtime, allRuntimes(), records, actor)
    for (const [name, field] of runtime.fields) {
      const target = targetOf(field)
      if (target === undefined || !allRuntimes().has(target)) continue
      const ids = [...new Set(records.map((record) => record[name]).filter((value): value is number => typeof value === 'number'))]
      if (ids.length === 0) continue
      const found = new Set<number>()
      // Work goes to active users only: a deactivated one keeps what they had, but gets nothing new.
      const inactive = new Map<number, string>()
      const withStatus = target === 'users' && runtimeOf(target).fields.has('status')
      for (let start = 0; start < ids.length; start += 500) {
        const query = reader.selectFrom(target).select('id').where('id', 'in', ids.slice(start, start + 500)).where('deleted_at', 'is', null)
        const rows = (await (withStatus ? query.select(['status', 'full_name']) : query).execute()) as { id: unknown; status?: unknown; full_name?: unknown }[]
        for (const row of rows) {
          found.add(Number(row.id))
          if (withStatus && row.status === 'Inactive') inactive.set(Number(row.id), String(row.full_name ?? `user ${row.id}`))
        }
      }
      records.forEach((record, index) => {
        const value = record[name]
        if (typeof value !== 'number' || (found.has(value) && !inactive.has(value))) return
        const list = issues.get(index) ?? []
        list.push(
          inactive.has(value)
            ? { path: `/${name}`, field: name, code: 'inactive-user', message: `${field.title}: ${inactive.get(value)} is deactivated; choose an active user` }
            : { path: `/${name}`, field: name, code: 'reference', message: `${field.title}: no ${runtimeOf(target).definition.label.singular} with id ${value}` },
        )
        issues.set(index, list)
      })
    }

    return issues
  }

  async function create(module: string, input: FieldValues, actor: Actor, options: CreateOptions = {}) {
    const runtime = runtimeOf(module)
    assertCan(actor, runtime, 'create')
    objectOrThrow(input)
    const id = await db.write(async (trx) => {
      // Composed inside the queue: a definition change that landed meanwhile is the one this write follows.
      const runtime = runtimeOf(module)
      const composed = composeRecord(runtime, input, { actorId: actor.id })
      const issues = [...checkWritable(actor, runtime, input), ...composed.issues, ...((await checkReferences(trx, runtime, [composed.values], actor)).get(0) ?? [])]
      if (issues.length > 0) throw invalid('RECORD_INVALID', describe(runtime, issues), issues)
      const [created] = await insertRecords(trx, runtime, [composed.values], actor.id).catch((error) => {
        throw translateSqliteError(error)
      })
      await runWriteHooks(hooks, trx, { module, id: created, action: 'create', before: null, after: composed.values, actorId: actor.id })
      await options.alsoInTransaction?.(trx, created)

      return created
    })

    return db.read((reader) => labelled(reader, runtime, id, actor, true))
  }

  async function update(module: string, id: number, input: FieldValues, actor: Actor, options: UpdateOptions = {}) {
    const runtime = runtimeOf(module)
    assertCan(actor, runtime, 'edit')
    objectOrThrow(input)
    // Locking oneself out (deactivating, dropping admin rights or role) needs a second admin.
    if (module === 'users' && id === actor.id && ['status', 'is_admin', 'role'].some((name) => name in input)) {
      throw new EngineError('FORBIDDEN', 'you cannot change your own status, admin right or role; ask another admin')
    }
    await db.write(async (trx) => {
      const runtime = runtimeOf(module)
      const stored = await selectRecord(trx, runtime, id)
      if (!stored || !canSee(actor, runtime, stored)) throw notFound(runtime, id)
      assertNotConvertedOrThrow(actor, runtime, stored)
      if (options.expectedVersion !== undefined && options.expectedVersion !== stored.version) {
        throw new EngineError('RECORD_STALE', `${runtime.definition.label.singular} ${id} was changed by someone else (version ${stored.version}, you had ${options.expectedVersion}); reload it and apply your change again`, {
          current: redact(actor, runtime, (await resolveLabels(trx, runtime, [stored], runtimeOf))[0]),
        })
      }
      const composed = composeRecord(runtime, input, { stored })
      // References are checked where they change: a form sends the record's unchanged owner back,
      // and a deactivated owner (or a deleted account) must not block editing anything else.
      const changed = withWholeParentLink(
        runtime,
        Object.fromEntries(Object.keys(input).filter((name) => composed.values[name] !== stored[name]).map((name) => [name, composed.values[name]])),
        composed.values,
      )
      const issues = [
        ...checkWritable(actor, runtime, input, stored),
        ...composed.issues,
        ...((await checkReferences(trx, runtime, [changed], actor)).get(0) ?? []),
        ...(await checkRollupTargets(trx, runtime, id, input, stored, runtimeOf)),
      ]
      if (issues.length > 0) throw invalid('RECORD_INVALID', describe(runtime, issues), issues)
      const written = await updateRecordRow(trx, runtime, id, composed.values, stored.version).catch((error) => {
        throw translateSqliteError(error)
      })
      if (!written) throw new EngineError('RECORD_STALE', `${runtime.definition.label.singular} ${id} changed while it was being saved; try again`)
      await runWriteHooks(hooks, trx, { module, id, action: 'update', before: fieldValuesOf(runtime, stored), after: composed.values, actorId: actor.id })
    })

    // The writer sees what they saved even when they just assigned it away from their team.
    return db.read((reader) => labelled(reader, runtime, id, actor, true))
  }

  async function setInBin(module: string, id: number, actor: Actor, deleted: boolean) {
    const runtime = runtimeOf(module)
    assertCan(actor, runtime, 'delete')
    if (module === 'users' && id === actor.id) throw new EngineError('FORBIDDEN', 'you cannot delete your own user; ask another admin')
    const done = await db.write(async (trx) => {
      const stored = await selectRecord(trx, runtime, id, true)
      if (!stored || !canSee(actor, runtime, stored)) return false
      const done = await setDeleted(trx, runtime, id, deleted)
      const values = fieldValuesOf(runtime, stored)
      if (done) await runWriteHooks(hooks, trx, { module, id, action: deleted ? 'delete' : 'restore', before: values, after: deleted ? null : values, actorId: actor.id })

      return done
    })
    if (!done && deleted) throw notFound(runtime, id)
    if (!done) throw new EngineError('RECORD_NOT_FOUND', `${runtime.definition.label.singular} ${id} is not in the recycle bin`, { module, id })
  }

  async function list(module: string, query: ListQuery, actor?: Actor) {
    const runtime = runtimeOf(module)
    if (actor) assertCan(actor, runtime, 'view')
    const access = actor ? listAccessOf(actor, runtime) : {}

    return db.read(async (reader) => {
      const page = await selectRecords(reader, runtime, query, access)
      const items = await resolveLabels(reader, runtime, page.items, runtimeOf)

      return { items: actor ? items.map((item) => redact(actor, runtime, item)) : items, total: page.total }
    })
  }

  return {
    create,
    get: (module, id, actor) => {
      const runtime = runtimeOf(module)
      if (actor) assertCan(actor, runtime, 'view')

      return db.read((reader) => labelled(reader, runtime, id, actor))
    },
    update,
    async massUpdate(module, ids, input, actor) {
      const runtime = runtimeOf(module)
      assertCan(actor, runtime, 'edit')
      objectOrThrow(input)
      const unique = [...new Set(ids)]
      if (unique.length > MAX_MASS_UPDATE) throw new EngineError('QUERY_INVALID', `a mass update takes at most ${MAX_MASS_UPDATE} records; select fewer`)
      const notMassEditable = Object.keys(input).filter((name) => runtime.fields.get(name)?.['x-mass-edit'] !== true)
      if (notMassEditable.length > 0) {
        const issues = notMassEditable.map((name) => ({ path: `/${name}`, field: name, code: 'mass-edit', message: `${runtime.fields.get(name)?.title ?? name} cannot be changed by a mass update` }))
        throw invalid('RECORD_INVALID', issues.map((issue) => issue.message).join('; '), issues)
      }
      const result: MassUpdateResult = { updated: [], failed: [] }
      for (const id of unique) {
        try {
          await update(module, id, input, actor)
          result.updated.push(id)
        } catch (error) {
          if (!(error instanceof EngineError)) throw error
          const issues = error.details.issues as Issue[] | undefined
          result.failed.push({ id, code: error.code, message: error.message, ...(issues ? { issues } : {}) })
        }
      }

      return result
    },
    remove: (module, id, actor) => setInBin(module, id, actor, true),
    restore: async (module, id, actor) => {
      await setInBin(module, id, actor, false)

      return db.read((reader) => labelled(reader, runtimeOf(module), id, actor))
    },
    list,
    checkReferences,
    hooks,
  }
}

function fieldValuesOf(runtime: ModuleRuntime, record: Record<string, unknown>): FieldValues {
  return Object.fromEntries([...runtime.fields.keys()].map((name) => [name, record[name] ?? null]))
}

function notFound(runtime: ModuleRuntime, id: number): EngineError {
  return new EngineError('RECORD_NOT_FOUND', `${runtime.definition.label.singular} ${id} does not exist or is in the recycle bin`, { module: runtime.name, id })
}

function objectOrThrow(input: unknown): FieldValues {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('RECORD_INVALID', 'the body must be a JSON object of field values', [{ path: '', code: 'type', message: 'must be an object' }])
  }

  return input as FieldValues
}

function describe(runtime: ModuleRuntime, issues: Issue[]): string {
  return `the ${runtime.definition.label.singular.toLowerCase()} is invalid: ${issues.map((issue) => issue.message).join('; ')}`
}

/** What an actor may see of a module's list: owners under "own" visibility, and hidden fields. */
export function listAccessOf(actor: Actor, runtime: ModuleRuntime): ListAccess {
  return { owners: visibleOwners(actor, runtime), hidden: hiddenFields(actor, runtime), actorId: actor.id }
}

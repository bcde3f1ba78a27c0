import { fileURLToPath } from 'node:url'
import { checkDefinitionOrThrow } from './definition/check-definition.ts'
import {
  listDefinitionVersions,
  loadLiveDefinitions,
  readShippedDefinitions,
  saveDefinitionVersion,
  type DefinitionVersion,
} from './definition/definition-store.ts'
import { createModuleRuntime, type ModuleRuntime } from './definition/module-runtime.ts'
import type { LiveDefinition, ModuleDefinition } from './definition/types.ts'
import { EngineError } from './errors.ts'
import { createRecordService, type RecordService } from './records/record-service.ts'
import { createRelationService, type RelationService } from './relations/relation-service.ts'
import { createEngineTables } from './storage/engine-tables.ts'
import { createModuleTable } from './storage/module-table.ts'
import { openDatabase, type Database } from './storage/open-database.ts'
import { applySchemaPlan, planSchemaChange, type SchemaPlan } from './storage/plan-schema-change.ts'
import { createAuthService, type AuthService } from './users/auth-service.ts'

/** Who performs an action; the engine records it and checks admin-only acts. */
export interface Actor {
  id: number
  isAdmin: boolean
}

/** Typed events the engine reports instead of logging; the server decides what to log. */
export type EngineEvent =
  | { type: 'definitions.installed'; modules: string[] }
  | { type: 'schema.planned'; module: string; steps: number; issues: number }
  | { type: 'schema.applied'; module: string; version: number; steps: number }

export interface EngineOptions {
  /** `:memory:`, a file path, or a libsql URL. */
  databaseUrl: string
  /** Folder of shipped definitions installed into an empty database; defaults to `modules/`. */
  modulesDir?: string
  onEvent?: (event: EngineEvent) => void
}

export interface ModuleSummary {
  name: string
  label: { singular: string; plural: string }
  version: number
}

/**
 * The module engine: live definitions and everything derived from them, over
 * one database. Create it with `createEngine`.
 */
export interface Engine {
  readonly db: Database
  readonly records: RecordService
  readonly relations: RelationService
  readonly auth: AuthService
  /** The runtime of a module's live version; throws MODULE_NOT_FOUND. */
  runtime(module: string): ModuleRuntime
  runtimes(): ReadonlyMap<string, ModuleRuntime>
  modules(): ModuleSummary[]
  /** True when the database had no definitions and the shipped ones were installed. */
  readonly isNew: boolean
  planDefinition(module: string, change: DefinitionChange): Promise<SchemaPlan & { version: number }>
  updateDefinition(module: string, change: DefinitionChange, actor: Actor): Promise<LiveDefinition>
  versions(module: string): Promise<DefinitionVersion[]>
  emit(event: EngineEvent): void
  close(): Promise<void>
}

export interface DefinitionChange {
  baseVersion: number
  definition: unknown
  note?: string
}

const SHIPPED_MODULES = fileURLToPath(new URL('../../modules', import.meta.url))

/**
 * Opens the database, installs the shipped definitions when it is empty and
 * builds every module's runtime.
 *
 * @example
 * const engine = await createEngine({ databaseUrl: ':memory:' })
 * const deal = await engine.records.create('potentials', { potentialname: 'Fleet', ... }, actor)
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const db = openDatabase(options.databaseUrl)
  const emit = options.onEvent ?? (() => undefined)
  const runtimes = new Map<string, ModuleRuntime>()

  const isNew = await db.write(async (trx) => {
    await createEngineTables(trx)
    let live = await loadLiveDefinitions(trx)
    const fresh = live.size === 0
    if (fresh) {
      const shipped = readShippedDefinitions(options.modulesDir ?? SHIPPED_MODULES)
      for (const definition of shipped) await saveDefinitionVersion(trx, definition, 1, null, 'installed')
      live = await loadLiveDefinitions(trx)
    }
    for (const { definition } of live.values()) await createModuleTable(trx, definition)
    for (const [name, definition] of live) runtimes.set(name, createModuleRuntime(definition))

    return fresh
  })
  if (isNew) emit({ type: 'definitions.installed', modules: [...runtimes.keys()] })

  const runtime = (module: string): ModuleRuntime => {
    const found = runtimes.get(module)
    if (!found) {
      throw new EngineError('MODULE_NOT_FOUND', `module "${module}" does not exist; known: ${[...runtimes.keys()].join(', ')}`, { module })
    }

    return found
  }
  const records = createRecordService(db, runtime, () => runtimes)
  const relations = createRelationService(db, runtime, () => runtimes, records)
  const auth = createAuthService(db, runtime, records)

  async function planDefinition(module: string, change: DefinitionChange) {
    const current = runtime(module)
    if (change.baseVersion !== current.version) {
      throw new EngineError(
        'DEFINITION_STALE',
        `the definition of "${module}" is at version ${current.version}, not ${change.baseVersion}; reload it and apply your change again`,
        { currentVersion: current.version },
      )
    }
    const others = new Map([...runtimes].map(([name, item]) => [name, item.definition]))
    others.delete(module)
    const next = checkDefinitionOrThrow(change.definition, others)
    const plan = await db.read((reader) => planSchemaChange(reader, current.definition, next))
    emit({ type: 'schema.planned', module, steps: plan.steps.length, issues: plan.issues.length })

    return { ...plan, version: current.version + 1 }
  }

  async function updateDefinition(module: string, change: DefinitionChange, actor: Actor): Promise<LiveDefinition> {
    if (!actor.isAdmin) throw new EngineError('FORBIDDEN', 'only admins change module definitions')
    const others = new Map([...runtimes].map(([name, item]) => [name, item.definition]))
    others.delete(module)
    const next = checkDefinitionOrThrow(change.definition, others)

    const live = await db.write(async (trx) => {
      // The version check and the plan run inside the write so no other change slips in between.
      const current = runtime(module)
      if (change.baseVersion !== current.version) {
        throw new EngineError(
          'DEFINITION_STALE',
          `the definition of "${module}" is at version ${current.version}, not ${change.baseVersion}; reload it and apply your change again`,
          { currentVersion: current.version },
        )
      }
      const plan = await planSchemaChange(trx, current.definition, next)
      if (plan.issues.length > 0) {
        throw new EngineError('SCHEMA_CHANGE_UNSAFE', `the change cannot be applied: ${plan.issues[0].message}`, { issues: plan.issues, steps: plan.steps })
      }
      await applySchemaPlan(trx, next, plan)
      const version = current.version + 1
      await saveDefinitionVersion(trx, next, version, actor.id, change.note ?? summarize(plan))
      const result: LiveDefinition = { definition: next, version }
      // Built before commit so a definition that cannot be compiled rolls the change back.
      const nextRuntime = createModuleRuntime(result)

      return { result, nextRuntime, steps: plan.steps.length }
    })
    runtimes.set(module, live.nextRuntime)
    emit({ type: 'schema.applied', module, version: live.result.version, steps: live.steps })

    return live.result
  }

  return {
    db,
    records,
    relations,
    auth,
    isNew,
    runtime,
    runtimes: () => runtimes,
    modules: () =>
      [...runtimes.values()].map((item) => ({ name: item.name, label: item.definition.label, version: item.version })),
    planDefinition,
    updateDefinition,
    versions: async (module) => {
      runtime(module)

      return db.read((reader) => listDefinitionVersions(reader, module))
    },
    emit,
    close: () => db.close(),
  }
}

function summarize(plan: SchemaPlan): string {
  return plan.steps
    .map((step) => (step.kind === 'add-field' ? `add field ${step.field}` : step.kind === 'add-relation' ? `add relation ${step.relation}` : step.description))
    .join('; ')
}

export type { ModuleDefinition }

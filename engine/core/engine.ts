import { fileURLToPath } from 'node:url'
import { createAccessService, type AccessService } from './access/access-service.ts'
import { createRoleTable, installShippedRoles } from './access/role-store.ts'
import { createBudgetTable } from './behaviours/budgets.ts'
import { createCurrencyTable } from './behaviours/currencies.ts'
import { createHistoryHook, createHistoryTable } from './behaviours/record-history.ts'
import { createRollupHook } from './behaviours/rollups.ts'
import { createSavedViewTable } from './views/saved-views.ts'
import { runWriteHooks, type RecordChange, type WriteHook } from './records/write-hooks.ts'
import type { AccessScope } from './access/role-types.ts'
import {
  applyDefinitionChange,
  planDefinitionChange,
  type ChangeContext,
  type DefinitionChange,
  type PlannedChange,
} from './definition/change-definition.ts'
import {
  listDefinitionVersions,
  loadDefinitionVersion,
  loadLiveDefinitions,
  readShippedDefinitions,
  saveDefinitionVersion,
  type DefinitionVersion,
} from './definition/definition-store.ts'
import { createModuleRuntime, type ModuleRuntime } from './definition/module-runtime.ts'
import type { LiveDefinition, ModuleDefinition } from './definition/types.ts'
import { diffDefinitions, type DefinitionDifference } from './definition/diff-definitions.ts'
import { definitionForRestore } from './definition/restore-version.ts'
import { EngineError } from './errors.ts'
import { createRecordService, type RecordService } from './records/record-service.ts'
import { createRelationService, type RelationService } from './relations/relation-service.ts'
import { createEngineTables } from './storage/engine-tables.ts'
import { createFileStore, type FileStore } from './storage/file-store.ts'
import { createTimelineTables } from './timeline/timeline-tables.ts'
import { createModuleTable } from './storage/module-table.ts'
import { openDatabase, type Database, type Executor } from './storage/open-database.ts'
import { createAuthService, type AuthService } from './users/auth-service.ts'

/** Who performs an action; the engine records it and checks admin-only acts. */
export interface Actor {
  id: number
  isAdmin: boolean
  /** The role and visible owners of a logged-in user; internal callers without it may do everything. */
  access?: AccessScope
}

/** Typed events the engine reports instead of logging; the server decides what to log. */
export type EngineEvent =
  | { type: 'definitions.installed'; modules: string[] }
  | { type: 'schema.planned'; module: string; steps: number; issues: number }
  | { type: 'schema.applied'; module: string; version: number; steps: number }
  | { type: 'schema.progress'; module: string; field: string; done: number; total: number }
  | { type: 'schema.index-failed'; module: string; message: string }

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
  readonly access: AccessService
  /** Where the bytes of uploaded files live: beside a file database, else in the database. */
  readonly files: FileStore
  /** The hooks every record write runs in its transaction (audit trail, roll-ups); bulk writers call them too. */
  readonly writeHooks: readonly WriteHook[]
  /** The runtime of a module's live version; throws MODULE_NOT_FOUND. */
  runtime(module: string): ModuleRuntime
  runtimes(): ReadonlyMap<string, ModuleRuntime>
  modules(): ModuleSummary[]
  /** True when the database had no definitions and the shipped ones were installed. */
  readonly isNew: boolean
  /** Plans a definition change: steps with counts, previews, and why it would be refused. */
  planDefinition(module: string, change: DefinitionChange): Promise<PlannedChange>
  /** Applies a definition change in one transaction; throws DEFINITION_STALE, DEFINITION_INVALID or SCHEMA_CHANGE_UNSAFE. */
  updateDefinition(module: string, change: DefinitionChange, actor: Actor): Promise<LiveDefinition>
  versions(module: string): Promise<DefinitionVersion[]>
  /** One stored version's definition; throws DEFINITION_INVALID when there is no such version. */
  definitionAt(module: string, version: number): Promise<ModuleDefinition>
  /** What changed between two versions, as JSON pointers. */
  diffVersions(module: string, from: number, to: number): Promise<DefinitionDifference[]>
  /** The change that restores an earlier version (fields added since stay, archived); plan or apply it like any change. */
  restoreChange(module: string, version: number, baseVersion: number): Promise<DefinitionChange>
  emit(event: EngineEvent): void
  close(): Promise<void>
}

export type { DefinitionChange, PlannedChange }

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

  const { fresh: isNew, installed } = await db.write(async (trx) => {
    await createEngineTables(trx)
    await createRoleTable(trx)
    await createHistoryTable(trx)
    await createTimelineTables(trx)
    await createCurrencyTable(trx)
    await createBudgetTable(trx)
    await createSavedViewTable(trx)
    await installShippedRoles(trx)
    let live = await loadLiveDefinitions(trx)
    const fresh = live.size === 0
    // Shipped modules the database does not have yet (all of them on a first start) are installed;
    // the ones it has keep their own, possibly edited, definitions.
    const missing = readShippedDefinitions(options.modulesDir ?? SHIPPED_MODULES).filter((definition) => !live.has(definition.name))
    for (const definition of missing) await saveDefinitionVersion(trx, definition, 1, null, 'installed')
    if (missing.length > 0) live = await loadLiveDefinitions(trx)
    for (const { definition } of live.values()) await createModuleTable(trx, definition)
    for (const [name, definition] of live) runtimes.set(name, createModuleRuntime(definition))

    return { fresh, installed: missing.map((definition) => definition.name) }
  })
  if (installed.length > 0) emit({ type: 'definitions.installed', modules: installed })

  const runtime = (module: string): ModuleRuntime => {
    const found = runtimes.get(module)
    if (!found) {
      throw new EngineError('MODULE_NOT_FOUND', `module "${module}" does not exist; known: ${[...runtimes.keys()].join(', ')}`, { module })
    }

    return found
  }
  // Hooks run inside the transaction of every record write; roll-ups re-enter them for the parents they change.
  const writeHooks: WriteHook[] = []
  const runHooks = (trx: Executor, change: RecordChange) => runWriteHooks(writeHooks, trx, change)
  writeHooks.push(createHistoryHook(runtime), createRollupHook(runtime, () => runtimes, runHooks))
  const records = createRecordService(db, runtime, () => runtimes, writeHooks)
  const relations = createRelationService(db, runtime, () => runtimes, records)
  const access = createAccessService(db)
  const auth = createAuthService(db, runtime, records, access)

  const changes: ChangeContext = { db, runtimes, emit }
  const definitionAt = async (module: string, version: number) => {
    runtime(module)
    const found = await db.read((reader) => loadDefinitionVersion(reader, module, version))
    if (!found) throw new EngineError('VERSION_NOT_FOUND', `module "${module}" has no version ${version}; see GET /api/modules/${module}/versions`, { version })

    return found
  }

  return {
    db,
    records,
    relations,
    auth,
    access,
    files: createFileStore(options.databaseUrl),
    writeHooks,
    isNew,
    runtime,
    runtimes: () => runtimes,
    modules: () =>
      [...runtimes.values()].map((item) => ({ name: item.name, label: item.definition.label, version: item.version })),
    planDefinition: (module, change) => planDefinitionChange(changes, module, change),
    updateDefinition: (module, change, actor) => applyDefinitionChange(changes, module, change, actor),
    versions: async (module) => {
      runtime(module)

      return db.read((reader) => listDefinitionVersions(reader, module))
    },
    definitionAt,
    diffVersions: async (module, from, to) => diffDefinitions(await definitionAt(module, from), await definitionAt(module, to)),
    restoreChange: async (module, version, baseVersion) => ({
      baseVersion,
      definition: definitionForRestore(runtime(module).definition, await definitionAt(module, version)),
      note: `restore version ${version}`,
    }),
    emit,
    close: () => db.close(),
  }
}

export type { ModuleDefinition }

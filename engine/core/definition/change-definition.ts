import { renameInImportMappings } from '../csv/import-mappings.ts'
import type { Actor, EngineEvent } from '../engine.ts'
import { renameInSavedViews } from '../views/saved-views.ts'
import { EngineError } from '../errors.ts'
import { applySchemaPlan } from '../storage/apply-schema-change.ts'
import { createModuleIndexes, createModuleTable } from '../storage/module-table.ts'
import type { Database, Executor } from '../storage/open-database.ts'
import { planSchemaChange, type SchemaPlan } from '../storage/plan-schema-change.ts'
import { applyOperations, type ChangeOperation } from './change-operations.ts'
import { checkDefinitionOrThrow } from './check-definition.ts'
import { saveDefinitionVersion } from './definition-store.ts'
import { normalizeMigration, type MigrationOptions } from './migration-options.ts'
import { createModuleRuntime, type ModuleRuntime } from './module-runtime.ts'
import type { LiveDefinition, ModuleDefinition } from './types.ts'

/**
 * A change to a module: either a whole new definition (with migration
 * options where values move), or Layout Editor operations on the live one.
 * `baseVersion` is the version the change was made on; 0 creates a module.
 */
export interface DefinitionChange {
  baseVersion: number
  definition?: unknown
  operations?: ChangeOperation[]
  migration?: MigrationOptions
  note?: string
}

export interface PlannedChange extends SchemaPlan {
  /** The version the change would create. */
  version: number
  /** The definition the change would make live. */
  definition: ModuleDefinition
}

export interface ChangeContext {
  db: Database
  runtimes: Map<string, ModuleRuntime>
  emit: (event: EngineEvent) => void
}

/** Plans a change without writing anything: steps, counts, previews and the reasons it would be refused. */
export async function planDefinitionChange(context: ChangeContext, module: string, change: DefinitionChange): Promise<PlannedChange> {
  return context.db.read(async (reader) => {
    const planned = await planWith(reader, context, module, change)
    context.emit({ type: 'schema.planned', module, steps: planned.steps.length, issues: planned.issues.length })

    return planned
  })
}

/**
 * Plans and applies a change in one transaction and makes the new version
 * live. A refused plan throws SCHEMA_CHANGE_UNSAFE with its issues and
 * changes nothing; a failure half-way rolls everything back.
 */
export async function applyDefinitionChange(context: ChangeContext, module: string, change: DefinitionChange, actor: Actor): Promise<LiveDefinition> {
  if (!actor.isAdmin) throw new EngineError('FORBIDDEN', 'only admins change module definitions')
  const applied = await context.db.write(async (trx) => {
    const planned = await planWith(trx, context, module, change)
    if (planned.issues.length > 0) {
      throw new EngineError('SCHEMA_CHANGE_UNSAFE', `the change cannot be applied: ${planned.issues[0].message}`, { issues: planned.issues, steps: planned.steps, preview: planned.preview })
    }
    const current = context.runtimes.get(module)
    const unchanged = current && JSON.stringify(current.definition) === JSON.stringify(planned.definition) && planned.steps.every((step) => step.kind === 'metadata')
    // Nothing to change: no new version, so history only holds real changes.
    if (current && unchanged) return { live: { definition: current.definition, version: current.version }, runtime: current, steps: 0 }
    if (current) {
      const migration = migrationOf(current.definition, change)
      await applySchemaPlan(trx, current.definition, planned.definition, planned, migration, (progress) =>
        context.emit({ type: 'schema.progress', module, ...progress }),
      )
      // Saved views name fields: they follow a rename in the same transaction.
      await renameInSavedViews(trx, module, migration.renames)
      // Saved import mappings name fields and picklist values: they follow in the same transaction.
      await renameInImportMappings(trx, module, migration.renames, migration.valueMaps)
    } else {
      await createModuleTable(trx, planned.definition)
    }
    await saveDefinitionVersion(trx, planned.definition, planned.version, actor.id, change.note ?? summarize(planned))
    const live: LiveDefinition = { definition: planned.definition, version: planned.version }

    // Built before commit, so a definition that cannot be compiled rolls the change back.
    return { live, runtime: createModuleRuntime(live), steps: planned.steps.length }
  })
  if (applied.steps === 0) return applied.live
  context.runtimes.set(module, applied.runtime)
  context.emit({ type: 'schema.applied', module, version: applied.live.version, steps: applied.steps })
  // Index builds scan the table, so they run as their own queued unit after the change is live
  // and the change itself costs the same on any table size. A unique index that could not be
  // built was refused by the plan already (it counts duplicates).
  void context.db
    .write((trx) => createModuleIndexes(trx, applied.live.definition))
    .catch((error: unknown) => context.emit({ type: 'schema.index-failed', module, message: String(error) }))

  return applied.live
}

async function planWith(db: Executor, context: ChangeContext, module: string, change: DefinitionChange): Promise<PlannedChange> {
  const current = context.runtimes.get(module)
  const currentVersion = current?.version ?? 0
  if (change.baseVersion !== currentVersion) {
    throw new EngineError(
      'DEFINITION_STALE',
      `the definition of "${module}" is at version ${currentVersion}, not ${change.baseVersion}; reload it and apply your change again`,
      { currentVersion },
    )
  }
  const others = new Map([...context.runtimes].filter(([name]) => name !== module).map(([name, item]) => [name, item.definition]))
  if (!current) {
    const definition = checkDefinitionOrThrow(change.definition, others)
    if (definition.name !== module) throw new EngineError('DEFINITION_INVALID', `the definition is named "${definition.name}", not "${module}"`)

    return { uses: {}, steps: [{ kind: 'metadata', description: `create module ${module}` }], issues: [], preview: {}, version: 1, definition }
  }
  const candidate = change.operations ? applyOperations(current.definition, change.operations).definition : change.definition
  const definition = checkDefinitionOrThrow(candidate, others)
  const plan = await planSchemaChange(db, current.definition, definition, migrationOf(current.definition, change), current.version + 1)

  return { ...plan, version: current.version + 1, definition }
}

function migrationOf(current: ModuleDefinition, change: DefinitionChange) {
  const explicit = normalizeMigration(change.migration)
  if (!change.operations) return explicit
  const derived = applyOperations(current, change.operations).migration

  return {
    renames: { ...derived.renames, ...explicit.renames },
    conversions: { ...derived.conversions, ...explicit.conversions },
    backfill: { ...derived.backfill, ...explicit.backfill },
    keepGaps: [...derived.keepGaps, ...explicit.keepGaps],
    valueMaps: { ...derived.valueMaps, ...explicit.valueMaps },
    purge: [...derived.purge, ...explicit.purge],
  }
}

function summarize(plan: SchemaPlan): string {
  return plan.steps
    .map((step) => {
      switch (step.kind) {
        case 'add-field':
          return `add field ${step.field}`
        case 'rename-field':
          return `rename ${step.field} to ${step.to}`
        case 'convert-field':
          return `convert ${step.field} from ${step.from} to ${step.to} (${step.convertible} converted, ${step.failing} cleared, originals in ${step.backupColumn})`
        case 'map-values':
          return `move values of ${step.field} (${step.records} records)`
        case 'backfill':
          return `fill ${step.field} with ${JSON.stringify(step.value)} (${step.records} records)`
        case 'keep-gaps':
          return `make ${step.field} mandatory, ${step.records} old records left empty`
        case 'purge-field':
          return `purge ${step.field}`
        case 'add-relation':
          return `add relation ${step.relation}`
        default:
          return step.description
      }
    })
    .join('; ')
}

import { assertCan } from '../access/access-policy.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import type { Executor } from '../storage/open-database.ts'
import { checkImportOptionsOrThrow } from './check-import-options.ts'
import type { FieldMapping, HeaderMapping, ImportOptions } from './import-types.ts'

/** Saved import mappings, one per module and name. */
export const IMPORT_MAPPINGS_TABLE = '_import_mappings'

/** The options a saved mapping may hold: how to read a file, never what to do with one run. */
export type SavedMappingOptions = Omit<
  ImportOptions,
  'mappingName' | 'dryRun' | 'jobId' | 'onProgress' | 'batchSize' | 'previewRows' | 'maxErrors'
>

export interface SavedMapping {
  module: string
  name: string
  options: SavedMappingOptions
  updatedAt: string
  updatedBy: number | null
}

const RUN_ONLY = [
  'mappingName',
  'dryRun',
  'jobId',
  'onProgress',
  'batchSize',
  'previewRows',
  'maxErrors',
]
const MAX_NAME = 100

export async function createImportMappingTable(db: Executor): Promise<void> {
  await db.schema
    .createTable(IMPORT_MAPPINGS_TABLE)
    .ifNotExists()
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('options', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('updated_by', 'integer')
    .addPrimaryKeyConstraint(`${IMPORT_MAPPINGS_TABLE}_pk`, ['module', 'name'])
    .execute()
}

/**
 * Saves import options (mapping, defaults, value maps, formats, duplicate
 * rule) under a name for a module, replacing a mapping of that name. Options
 * that only make sense for one run (`dryRun`, `batchSize`, ...) are dropped.
 * Throws CSV_INVALID for a bad option or name, FORBIDDEN without the import right.
 *
 * @example
 * await saveImportMapping(engine, 'potentials', 'Old CRM', { mapping: { Deal: { field: 'potentialname' } } }, admin)
 * await importCsv(engine, 'potentials', bytes, { mappingName: 'Old CRM' }, admin)
 */
export async function saveImportMapping(
  engine: Engine,
  module: string,
  name: string,
  options: unknown,
  actor: Actor,
): Promise<SavedMapping> {
  assertCan(actor, engine.runtime(module), 'import')
  checkName(name)
  const checked = checkImportOptionsOrThrow(options) as Record<string, unknown>
  const kept = Object.fromEntries(
    Object.entries(checked).filter(
      ([key, value]) => !RUN_ONLY.includes(key) && value !== undefined,
    ),
  ) as SavedMappingOptions
  const saved: SavedMapping = {
    module,
    name,
    options: kept,
    updatedAt: new Date().toISOString(),
    updatedBy: actor.id,
  }
  await engine.db.write(async (trx) => {
    await createImportMappingTable(trx)
    await trx
      .insertInto(IMPORT_MAPPINGS_TABLE)
      .values({
        module,
        name,
        options: JSON.stringify(kept),
        updated_at: saved.updatedAt,
        updated_by: actor.id,
      })
      .onConflict((conflict) =>
        conflict.columns(['module', 'name']).doUpdateSet({
          options: JSON.stringify(kept),
          updated_at: saved.updatedAt,
          updated_by: actor.id,
        }),
      )
      .execute()
  })

  return saved
}

/** The saved mappings of a module, by name. */
export async function listImportMappings(engine: Engine, module: string): Promise<SavedMapping[]> {
  engine.runtime(module)
  const rows = await engine.db.read(async (db) => {
    if (!(await hasTable(db))) return []

    return db
      .selectFrom(IMPORT_MAPPINGS_TABLE)
      .selectAll()
      .where('module', '=', module)
      .orderBy('name')
      .execute()
  })

  return rows.map(toSaved)
}

/** One saved mapping; throws IMPORT_NOT_FOUND naming the saved ones when there is none by that name. */
export async function loadImportMapping(
  engine: Engine,
  module: string,
  name: string,
): Promise<SavedMapping> {
  const all = await listImportMappings(engine, module)
  const found = all.find((item) => item.name === name)
  if (!found) {
    throw new EngineError(
      'IMPORT_NOT_FOUND',
      `${engine.runtime(module).definition.label.plural} has no saved import mapping named "${name}"; saved: ${all.map((item) => item.name).join(', ') || '(none)'}`,
      { mappingName: name },
    )
  }

  return found
}

/** Deletes a saved mapping; false when there was none. */
export async function deleteImportMapping(
  engine: Engine,
  module: string,
  name: string,
  actor: Actor,
): Promise<boolean> {
  assertCan(actor, engine.runtime(module), 'import')

  return engine.db.write(async (trx) => {
    await createImportMappingTable(trx)
    const result = await trx
      .deleteFrom(IMPORT_MAPPINGS_TABLE)
      .where('module', '=', module)
      .where('name', '=', name)
      .executeTakeFirst()

    return Number(result.numDeletedRows) > 0
  })
}

/**
 * Options with the saved mapping they name as their base: the given options
 * win, and their `mapping`, `defaults` and `valueMap` entries are laid over
 * the saved ones. Options without `mappingName` come back as they are.
 */
export async function withSavedMapping(
  engine: Engine,
  module: string,
  options: ImportOptions,
): Promise<ImportOptions> {
  if (options.mappingName === undefined) return options
  const saved = await loadImportMapping(engine, module, options.mappingName).then(
    (found) => found.options,
    (error: EngineError) => {
      throw new EngineError('CSV_INVALID', error.message, error.details)
    },
  )
  const { mappingName: _name, ...given } = options

  return {
    ...saved,
    ...given,
    mapping: merged(saved.mapping, given.mapping),
    defaults: merged(saved.defaults, given.defaults),
    valueMap: merged(saved.valueMap, given.valueMap),
  }
}

/**
 * Follows a definition change in the saved mappings of the module: field
 * renames (mapping keys and targets, defaults, value maps, duplicate rules),
 * then picklist values renamed, merged or deleted (`valueMaps`, keyed by the
 * new field names): a value map or default that gave the old value gives the
 * new one, or nothing when the value was deleted without a replacement.
 * Runs in the change's own transaction, so mappings and definition never disagree.
 */
export async function renameInImportMappings(
  trx: Executor,
  module: string,
  renames: Record<string, string>,
  valueMaps: Record<string, Record<string, string | null>> = {},
): Promise<void> {
  const changesValues = Object.values(valueMaps).some((map) => Object.keys(map).length > 0)
  if ((Object.keys(renames).length === 0 && !changesValues) || !(await hasTable(trx))) return
  const rows = await trx
    .selectFrom(IMPORT_MAPPINGS_TABLE)
    .selectAll()
    .where('module', '=', module)
    .execute()
  for (const row of rows) {
    const saved = toSaved(row)
    const renamed = renameValues(renameFields(saved.options, renames), valueMaps)
    if (JSON.stringify(renamed) === JSON.stringify(saved.options)) continue
    await trx
      .updateTable(IMPORT_MAPPINGS_TABLE)
      .set({ options: JSON.stringify(renamed) })
      .where('module', '=', module)
      .where('name', '=', saved.name)
      .execute()
  }
}

function renameFields(
  options: SavedMappingOptions,
  renames: Record<string, string>,
): SavedMappingOptions {
  const to = (name: string) => (Object.hasOwn(renames, name) ? renames[name] : name)
  const rekey = <T>(record: Record<string, T> | undefined) =>
    record === undefined
      ? undefined
      : Object.fromEntries(Object.entries(record).map(([key, value]) => [to(key), value]))
  const mapping =
    options.mapping === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(options.mapping).map(([key, entry]) => {
            // A header mapping keeps its header key and has its target renamed.
            if ('field' in entry || 'relation' in entry) {
              const header = entry as HeaderMapping
              const field = typeof header.field === 'string' ? to(header.field) : header.field

              return [key, { ...header, field }]
            }

            return [to(key), entry as FieldMapping]
          }),
        )

  return withoutUndefined({
    ...options,
    mapping,
    defaults: rekey(options.defaults),
    valueMap: rekey(options.valueMap),
    duplicates: options.duplicates && {
      ...options.duplicates,
      match: options.duplicates.match.map(to),
    },
  })
}

function renameValues(
  options: SavedMappingOptions,
  valueMaps: Record<string, Record<string, string | null>>,
): SavedMappingOptions {
  const follow = (field: string, map: Record<string, string | null> | undefined) => {
    const changed = Object.hasOwn(valueMaps, field) ? valueMaps[field] : undefined
    if (map === undefined || changed === undefined) return map

    return Object.fromEntries(
      Object.entries(map).map(([text, value]) =>
        value !== null && Object.hasOwn(changed, value) ? [text, changed[value]] : [text, value],
      ),
    )
  }
  const followDefault = (field: string, text: string | undefined) => {
    const changed = Object.hasOwn(valueMaps, field) ? valueMaps[field] : undefined

    return text !== undefined && changed !== undefined && Object.hasOwn(changed, text) ? (changed[text] ?? undefined) : text
  }
  const mapping =
    options.mapping === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(options.mapping).map(([key, entry]) => {
            const field = 'field' in entry || 'relation' in entry ? (entry as HeaderMapping).field : key
            if (typeof field !== 'string') return [key, entry]

            return [key, withoutUndefined({ ...entry, valueMap: follow(field, entry.valueMap), default: followDefault(field, entry.default) })]
          }),
        )

  return withoutUndefined({
    ...options,
    mapping,
    defaults:
      options.defaults &&
      (withoutUndefined(Object.fromEntries(Object.entries(options.defaults).map(([field, text]) => [field, followDefault(field, text)]))) as Record<string, string>),
    valueMap:
      options.valueMap &&
      Object.fromEntries(Object.entries(options.valueMap).map(([field, map]) => [field, follow(field, map)!])),
  })
}

function merged<T>(
  saved: Record<string, T> | undefined,
  given: Record<string, T> | undefined,
): Record<string, T> | undefined {
  return saved === undefined && given === undefined ? undefined : { ...saved, ...given }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T
}

function checkName(name: string): void {
  if (name.trim() === '' || name.length > MAX_NAME || /[\u0000-\u001f]/.test(name)) {
    throw new EngineError(
      'CSV_INVALID',
      `a mapping name needs 1 to ${MAX_NAME} characters without control characters`,
      { mappingName: name.slice(0, MAX_NAME) },
    )
  }
}

async function hasTable(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('sqlite_master')
    .select('name')
    .where('type', '=', 'table')
    .where('name', '=', IMPORT_MAPPINGS_TABLE)
    .executeTakeFirst()

  return row !== undefined
}

function toSaved(row: Record<string, unknown>): SavedMapping {
  return {
    module: String(row.module),
    name: String(row.name),
    options: JSON.parse(String(row.options)) as SavedMappingOptions,
    updatedAt: String(row.updated_at),
    updatedBy: row.updated_by == null ? null : Number(row.updated_by),
  }
}

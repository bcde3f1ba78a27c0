import { sql } from 'kysely'
import type { Issue } from '../errors.ts'
import type { MigrationOptions } from '../definition/migration-options.ts'
import type { FieldDefinition, ModuleDefinition } from '../definition/types.ts'
import { kindOf } from '../field-types/registry.ts'
import { createAjv } from '../validation/create-ajv.ts'
import { findFieldUses } from '../definition/field-references.ts'
import { countViewsUsing } from '../views/saved-views.ts'
import { createValueConverter, needsConversion, type Conversion } from './convert-value.ts'
import { toColumnName } from './module-table.ts'
import type { Executor } from './open-database.ts'

/** One step of a schema change, shown to the admin with its counts before it is applied. */
export type SchemaStep =
  | { kind: 'purge-field'; field: string; records: number }
  | { kind: 'rename-field'; field: string; to: string }
  | { kind: 'add-field'; field: string; label: string; columnType: string }
  | { kind: 'convert-field'; field: string; from: string; to: string; records: number; convertible: number; empty: number; failing: number; clearFailing: boolean; backupColumn: string }
  | { kind: 'map-values'; field: string; moves: Record<string, string | null>; records: number }
  | { kind: 'backfill'; field: string; value: unknown; records: number }
  | { kind: 'keep-gaps'; field: string; records: number }
  | { kind: 'add-relation'; relation: string; module: string }
  | { kind: 'metadata'; description: string }

export interface ConversionPreview {
  counts: { convertible: number; empty: number; failing: number }
  /** A sample of converted values by record id, as the new kind writes them. */
  convertible: Record<string, string>
  empty: number[]
  /** Every value that would not convert (up to 1,000), with the record's title. */
  failing: { id: number; title: string | null; value: string; message: string }[]
}

export interface SchemaPlan {
  /** What uses each field the change renames, converts, archives, purges or whose values it moves. */
  uses: Record<string, string[]>
  steps: SchemaStep[]
  /** Reasons the change cannot be applied as asked; empty when it is safe. */
  issues: Issue[]
  preview: Record<string, ConversionPreview>
}

const SAMPLE_SIZE = 100
const MAX_FAILING = 1000
const SCAN_BATCH = 5000
const ajv = createAjv()

/**
 * Compares the live definition with the next one and the stored data, and
 * lists the steps that take the table from one to the other with the number
 * of records each touches. Nothing is written. `nextVersion` names backups.
 */
export async function planSchemaChange(
  db: Executor,
  current: ModuleDefinition,
  next: ModuleDefinition,
  migration: Required<MigrationOptions>,
  nextVersion: number,
): Promise<SchemaPlan> {
  const plan: SchemaPlan = { uses: {}, steps: [], issues: [], preview: {} }
  if (next.name !== current.name) {
    plan.issues.push({ path: '/name', code: 'rename', message: `a module's name never changes; keep "${current.name}"` })

    return plan
  }
  const before = current.record.properties
  const after = next.record.properties
  const renamedTo = new Map(Object.entries(migration.renames))
  const renamedFrom = new Map([...renamedTo].map(([from, to]) => [to, from]))
  const purged = new Set(migration.purge)

  for (const name of purged) {
    if (!before[name]?.['x-archived']) {
      plan.issues.push({ path: `/record/properties/${name}`, field: name, code: 'purge', message: `only an archived field can be purged; archive "${name}" first` })
    } else {
      plan.steps.push({ kind: 'purge-field', field: name, records: await countRows(db, current.name, name) })
    }
  }
  for (const [from, to] of renamedTo) {
    if (!before[from] || !after[to]) {
      plan.issues.push({ path: `/record/properties/${to}`, field: to, code: 'rename', message: `cannot rename "${from}" to "${to}": the old field must exist and the new name must be in the definition` })
    } else {
      plan.steps.push({ kind: 'rename-field', field: from, to })
    }
  }
  for (const name of Object.keys(before)) {
    const kept = renamedTo.get(name) ?? name
    if (!purged.has(name) && after[kept] === undefined) {
      plan.issues.push({ path: `/record/properties/${name}`, field: name, code: 'removed', message: `field "${name}" cannot be removed; archive it so its values are kept (and purge it later if you must)` })
    }
  }

  for (const [name, field] of Object.entries(after)) {
    const oldName = renamedFrom.get(name) ?? name
    const old = purged.has(oldName) ? undefined : before[oldName]
    if (old === undefined) {
      plan.steps.push({ kind: 'add-field', field: name, label: field.title, columnType: kindOf(field).columnType(field) })
      continue
    }
    const isRequired = (next.record.required ?? []).includes(name)
    await planFieldChange(db, plan, current.name, { name, oldName, old, field, isRequired }, migration, nextVersion)
  }

  await planRequired(db, plan, current, next, migration, renamedFrom)
  const knownRelations = new Set((current.relations ?? []).map((relation) => relation.name))
  for (const relation of next.relations ?? []) {
    if (!knownRelations.has(relation.name)) plan.steps.push({ kind: 'add-relation', relation: relation.name, module: relation.module })
  }
  for (const relation of current.relations ?? []) {
    if (!(next.relations ?? []).some((item) => item.name === relation.name)) {
      // TODO(#3): removing a many-to-many relation with an archive of its links.
      plan.issues.push({ path: '/relations', code: 'relation-removed', message: `relation "${relation.name}" cannot be removed yet` })
    }
  }
  if (plan.steps.length === 0 && plan.issues.length === 0) {
    const same = JSON.stringify(current) === JSON.stringify(next)
    plan.steps.push({ kind: 'metadata', description: same ? 'nothing to change' : 'labels, layout or settings only' })
  }
  await listUses(db, plan, current, next)

  return plan
}

/**
 * The dependency list an admin reads before confirming: layout, list columns,
 * expressions, behaviours and aliases of the definition, and saved views.
 */
async function listUses(db: Executor, plan: SchemaPlan, current: ModuleDefinition, next: ModuleDefinition): Promise<void> {
  const touched = new Set<string>()
  for (const step of plan.steps) {
    if (step.kind === 'rename-field' || step.kind === 'convert-field' || step.kind === 'purge-field' || step.kind === 'map-values') touched.add(step.field)
  }
  for (const [name, field] of Object.entries(next.record.properties)) {
    if (field['x-archived'] && current.record.properties[name] && !current.record.properties[name]['x-archived']) touched.add(name)
  }
  for (const name of touched) {
    if (!current.record.properties[name]) continue
    const uses = findFieldUses(current, name).map((use) => use.where)
    const views = await countViewsUsing(db, current.name, name)
    if (views > 0) uses.push(`${views} saved view(s)`)
    if (uses.length > 0) plan.uses[name] = uses
  }
}

interface FieldPair {
  name: string
  oldName: string
  old: FieldDefinition
  field: FieldDefinition
  isRequired?: boolean
}

async function planFieldChange(
  db: Executor,
  plan: SchemaPlan,
  module: string,
  { name, oldName, old, field, isRequired }: FieldPair,
  migration: Required<MigrationOptions>,
  nextVersion: number,
): Promise<void> {
  const path = `/record/properties/${name}`
  if (field['x-kind'] === 'relation' && old['x-kind'] === 'relation' && old['x-relation']?.module !== field['x-relation']?.module) {
    plan.issues.push({ path: `${path}/x-relation`, field: name, code: 'retarget', message: `"${name}" cannot point to another module; add a new relation field instead` })

    return
  }
  if (needsConversion(old, field)) {
    await planConversion(db, plan, module, { name, oldName, old, field }, migration, nextVersion)
  } else {
    await planStricterRule(db, plan, module, { name, oldName, old, field })
  }
  const moves = migration.valueMaps[name] ?? migration.valueMaps[oldName]
  if (field['x-kind'] === 'picklist' && old['x-kind'] === 'picklist') {
    const removed = (old.enum ?? []).filter((value) => !(field.enum ?? []).includes(value))
    const unmapped = removed.filter((value) => !moves || !(value in moves))
    const counts = await countValues(db, module, oldName, removed)
    const lost = unmapped.filter((value) => (counts.get(value) ?? 0) > 0)
    if (lost.length > 0) {
      plan.issues.push({
        path: `${path}/enum`,
        field: name,
        code: 'picklist-in-use',
        message: lost.map((value) => `${counts.get(value)} record(s) use "${value}"`).join('; ') + ' of ' + field.title + '; give a replacement value (or merge) for them',
      })
    }
    if (moves && Object.keys(moves).length > 0) {
      const records = [...counts.values()].reduce((sum, count) => sum + count, 0)
      const toNull = Object.entries(moves).filter(([, to]) => to === null).map(([from]) => from)
      if (toNull.length > 0 && isRequired) {
        plan.issues.push({ path: `${path}/enum`, field: name, code: 'required', message: `"${name}" is mandatory; ${toNull.join(', ')} need a replacement value` })
      }
      plan.steps.push({ kind: 'map-values', field: name, moves, records })
    }
  } else if (field['x-kind'] === 'multi-picklist' && moves && Object.keys(moves).length > 0) {
    plan.steps.push({ kind: 'map-values', field: name, moves, records: await countRows(db, module, oldName) })
  }
  if (field['x-unique'] && !old['x-unique']) {
    const duplicates = await countDuplicates(db, module, oldName)
    if (duplicates > 0) plan.issues.push({ path: `${path}/x-unique`, field: name, code: 'unique', message: `${duplicates} value(s) of ${field.title} are used by more than one record; make them unique first` })
  }
}

async function planConversion(
  db: Executor,
  plan: SchemaPlan,
  module: string,
  { name, oldName, old, field }: FieldPair,
  migration: Required<MigrationOptions>,
  nextVersion: number,
): Promise<void> {
  const options = migration.conversions[name] ?? migration.conversions[oldName] ?? {}
  const preview = await scanValues(db, module, oldName, createValueConverter(old, field, options))
  plan.preview[name] = preview
  const clearFailing = options.onFailure === 'clear'
  const records = preview.counts.convertible + preview.counts.empty + preview.counts.failing
  plan.steps.push({ kind: 'convert-field', field: name, from: old['x-kind'], to: field['x-kind'], records, ...preview.counts, clearFailing, backupColumn: `_backup_v${nextVersion}_${name}` })
  if (preview.counts.failing > 0 && !clearFailing) {
    const sample = preview.failing.slice(0, 5).map((item) => `#${item.id} "${item.value}"`).join(', ')
    plan.issues.push({
      path: `/record/properties/${name}/x-kind`,
      field: name,
      code: 'conversion-failures',
      message: `${preview.counts.failing} value(s) of ${field.title} cannot become ${field['x-kind']} (${sample}); fix them, or choose to clear them (the originals are kept in a backup column)`,
    })
  }
}

/** Runs every stored value of a column through a converter, counting outcomes and keeping samples. */
async function scanValues(db: Executor, module: string, column: string, convert: (value: unknown) => Conversion): Promise<ConversionPreview> {
  const preview: ConversionPreview = { counts: { convertible: 0, empty: 0, failing: 0 }, convertible: {}, empty: [], failing: [] }
  const title = await titleColumn(db, module)
  let lastId = 0
  for (;;) {
    const rows = (await db
      .selectFrom(module)
      .select(['id', `${toColumnName(column)} as value`, ...(title ? [`${title} as title`] : [])])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(SCAN_BATCH)
      .execute()) as { id: number; value: unknown; title?: unknown }[]
    if (rows.length === 0) break
    for (const row of rows) {
      const result = convert(row.value)
      if (result.outcome === 'converted') {
        preview.counts.convertible++
        if (Object.keys(preview.convertible).length < SAMPLE_SIZE) preview.convertible[row.id] = result.shown
      } else if (result.outcome === 'empty') {
        preview.counts.empty++
        if (preview.empty.length < SAMPLE_SIZE) preview.empty.push(Number(row.id))
      } else {
        preview.counts.failing++
        if (preview.failing.length < MAX_FAILING) {
          preview.failing.push({ id: Number(row.id), title: row.title == null ? null : String(row.title), value: String(row.value), message: result.message })
        }
      }
    }
    lastId = Number(rows[rows.length - 1].id)
  }

  return preview
}

/**
 * A stricter rule on the same kind (a shorter maxLength, a narrower range):
 * stored values that break it are listed, since every later write of those
 * records would be refused.
 */
async function planStricterRule(db: Executor, plan: SchemaPlan, module: string, { name, oldName, old, field }: FieldPair): Promise<void> {
  const rule = (definition: FieldDefinition) => JSON.stringify(kindOf(definition).schemaFor(definition))
  if (rule(old) === rule(field) || field['x-kind'] === 'picklist' || field['x-kind'] === 'multi-picklist') return
  const preview = await scanValues(db, module, oldName, createValueConverter(old, field))
  if (preview.counts.failing === 0) return
  plan.preview[name] = preview
  const sample = preview.failing.slice(0, 5).map((item) => `#${item.id} ${item.message}`).join('; ')
  plan.issues.push({
    path: `/record/properties/${name}`,
    field: name,
    code: 'constraint-violations',
    message: `${preview.counts.failing} record(s) hold values of ${field.title} that the new rule refuses (${sample}); change those records first`,
  })
}

async function planRequired(
  db: Executor,
  plan: SchemaPlan,
  current: ModuleDefinition,
  next: ModuleDefinition,
  migration: Required<MigrationOptions>,
  renamedFrom: Map<string, string>,
): Promise<void> {
  const wasRequired = new Set(current.record.required ?? [])
  for (const name of next.record.required ?? []) {
    const field = next.record.properties[name]
    const oldName = renamedFrom.get(name) ?? name
    const existed = current.record.properties[oldName] !== undefined && !migration.purge.includes(oldName)
    if ((existed && wasRequired.has(oldName)) || kindOf(field).isGenerated) continue
    const gaps = existed ? await countGaps(db, current.name, oldName) : { count: await countRows(db, current.name), sample: [] as string[] }
    if (gaps.count === 0) continue
    const backfill = migration.backfill[name]
    if (backfill !== undefined) {
      const validate = ajv.compile(kindOf(field).schemaFor(field))
      if (!validate(backfill)) {
        plan.issues.push({ path: '/record/required', field: name, code: 'backfill', message: `the fill value ${JSON.stringify(backfill)} is not a valid ${field.title}: ${validate.errors?.[0]?.message}` })
      } else {
        plan.steps.push({ kind: 'backfill', field: name, value: backfill, records: gaps.count })
      }
    } else if (migration.keepGaps.includes(name)) {
      plan.steps.push({ kind: 'keep-gaps', field: name, records: gaps.count })
    } else {
      plan.issues.push({
        path: '/record/required',
        field: name,
        code: 'required-gaps',
        message: `${gaps.count} record(s) have no ${field.title}${gaps.sample.length ? ` (${gaps.sample.join(', ')})` : ''}; give a value to fill them with, or choose to leave them`,
      })
    }
  }
}

async function countRows(db: Executor, module: string, nonEmptyField?: string): Promise<number> {
  let query = db.selectFrom(module).select(sql<number>`count(*)`.as('count'))
  if (nonEmptyField) query = query.where(toColumnName(nonEmptyField), 'is not', null)
  else query = query.where('deleted_at', 'is', null)

  return Number(((await query.executeTakeFirstOrThrow()) as { count: number }).count)
}

async function countGaps(db: Executor, module: string, field: string): Promise<{ count: number; sample: string[] }> {
  const column = toColumnName(field)
  const title = await titleColumn(db, module)
  const base = db.selectFrom(module).where('deleted_at', 'is', null).where((eb) => eb.or([eb(column, 'is', null), eb(sql.ref(column), '=', '')]))
  const count = Number(((await base.select(sql<number>`count(*)`.as('count')).executeTakeFirstOrThrow()) as { count: number }).count)
  const rows = (await base.select(['id', ...(title ? [`${title} as title`] : [])]).orderBy('id').limit(20).execute()) as { id: number; title?: unknown }[]

  return { count, sample: rows.map((row) => (row.title == null ? `#${row.id}` : `${String(row.title)} (#${row.id})`)) }
}

async function countValues(db: Executor, module: string, field: string, values: string[]): Promise<Map<string, number>> {
  if (values.length === 0) return new Map()
  const column = toColumnName(field)
  const rows = (await db
    .selectFrom(module)
    .select([`${column} as value`, sql<number>`count(*)`.as('count')])
    .where(column, 'in', values)
    .groupBy(column)
    .execute()) as { value: string; count: number }[]

  return new Map(rows.map((row) => [row.value, Number(row.count)]))
}

async function countDuplicates(db: Executor, module: string, field: string): Promise<number> {
  const column = toColumnName(field)
  const rows = await db
    .selectFrom(module)
    .select(column)
    .where('deleted_at', 'is', null)
    .where(column, 'is not', null)
    .groupBy(column)
    .having(sql`count(*)`, '>', 1)
    .execute()

  return rows.length
}

/** The record title column, read from the live definition row; engine tables never have one. */
async function titleColumn(db: Executor, module: string): Promise<string | undefined> {
  const row = (await db
    .selectFrom('_definitions')
    .select('definition')
    .where('module', '=', module)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()) as { definition: string } | undefined
  const definition = row ? (JSON.parse(row.definition) as ModuleDefinition) : undefined
  const title = definition?.recordTitle

  return title && definition.record.properties[title] && !definition.record.properties[title]['x-archived'] ? toColumnName(title) : undefined
}

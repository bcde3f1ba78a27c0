import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import type { Issue } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { composeRecord, type FieldValues } from '../records/compose-record.ts'
import { linkTableName, toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'
import { insertRecords, updateRecordRow } from '../storage/record-queries.ts'
import { fromRow, selectedColumns, type StoredRecord } from '../storage/record-rows.ts'
import { translateSqliteError } from '../storage/translate-sqlite-error.ts'
import type { DuplicateRule, ImportResult, RowError } from './import-types.ts'
import type { PreparedRow } from './read-row.ts'
import { nameKey, type NameLookup } from './resolve-names.ts'

/** What one import carries from batch to batch. */
export interface ImportState {
  engine: Engine
  runtime: ModuleRuntime
  actor: Actor
  /** True for a dry run, and after a blocking warning stopped the import. */
  dryRun: boolean
  result: ImportResult
  lookups: Map<string, NameLookup>
  /** Field name to the column label, for errors found after parsing. */
  labels: Map<string, string>
  maxErrors: number
  duplicates?: DuplicateIndex
  /** Related records created by this import, by module and name, so each is created once. */
  createdRelated: Map<string, number>
  /** Stand-in ids of related records a dry run would create. */
  placeholders: Set<number>
  /** Per unique field: values this import wrote, with the row that wrote them. */
  uniqueSeen: Map<string, Map<string, number>>
}

/** Stored records by their duplicate key, and the keys rows of this import already used. */
export interface DuplicateIndex {
  rule: DuplicateRule
  stored: Map<string, { id: number; label: string }[]>
  seen: Map<string, { line: number; kind: 'created' | 'updated' | 'skipped'; label?: string }>
}

type Decision = { kind: 'create' } | { kind: 'update'; id: number; label: string } | { kind: 'done' }

const PLACEHOLDER_BASE = 2_000_000_000

/**
 * Decides, validates and writes one batch of parsed rows in one transaction
 * (a read-only pass for dry runs): duplicates first, then the whole record
 * through `composeRecord` (the API's validator), then references, then
 * multi-row inserts, updates in place and link rows. Refused rows are
 * recorded in the result; the other rows of the batch are still written.
 */
export async function writeBatch(state: ImportState, rows: PreparedRow[]): Promise<void> {
  const work = (db: Executor) => processBatch(state, db, rows)
  if (state.dryRun) await state.engine.db.read(work)
  else await state.engine.db.write(work)
}

async function processBatch(state: ImportState, db: Executor, rows: PreparedRow[]): Promise<void> {
  const { result } = state
  const marks = { errors: result.errors.length, refused: result.refusedRows.length, notices: result.notices.length }
  await decideAndWrite(state, db, rows)
  // Rows are refused at different steps; list them in file order.
  sortTail(result.errors, marks.errors)
  sortTail(result.refusedRows, marks.refused)
  sortTail(result.notices, marks.notices)
}

function sortTail(list: { row: number }[], from: number): void {
  const tail = list.splice(from).sort((left, right) => left.row - right.row)
  list.push(...tail)
}

async function decideAndWrite(state: ImportState, db: Executor, rows: PreparedRow[]): Promise<void> {
  const { runtime } = state
  const live: { row: PreparedRow; decision: Decision; key?: string }[] = []
  for (const row of rows) {
    if (row.errors.length === 0 && row.creates.length > 0) await createRelated(state, db, row)
    if (row.errors.length > 0) {
      refuse(state, row)
      continue
    }
    const key = state.duplicates ? duplicateKey(state.duplicates.rule, row.match, runtime) : undefined
    const decision = decide(state, row, key)
    if (decision.kind !== 'done') live.push({ row, decision, key })
  }

  const stored = await loadStored(db, runtime, live.flatMap((item) => (item.decision.kind === 'update' ? [item.decision.id] : [])))
  const creates: { row: PreparedRow; values: FieldValues; key?: string }[] = []
  const updates: { row: PreparedRow; values: FieldValues; changed: FieldValues; stored: StoredRecord; key?: string }[] = []
  for (const { row, decision, key } of live) {
    if (decision.kind === 'create') {
      const input = Object.fromEntries(Object.entries(row.input).filter(([, value]) => value !== null))
      const composed = composeRecord(runtime, input, { actorId: state.actor.id })
      if (composed.issues.length > 0) refuse(state, row, composed.issues, key)
      else creates.push({ row, values: composed.values, key })
    } else if (decision.kind === 'update') {
      const record = stored.get(decision.id)
      if (!record) {
        refuse(state, row, [{ path: '', code: 'deleted', message: `${decision.label} was deleted during the import` }], key)
        continue
      }
      const update = composeUpdate(state, row, record, decision.label, key)
      if (update) updates.push({ row, stored: record, key, ...update })
    }
  }

  const createIssues = await checkReferences(state, db, creates.map((item) => item.values))
  const updateIssues = await checkReferences(state, db, updates.map((item) => item.changed))
  const checkedCreates = creates.filter((item, index) => keep(state, item.row, createIssues.get(index), item.key))
  const checkedUpdates = updates.filter((item, index) => keep(state, item.row, updateIssues.get(index), item.key))
  const taken = await uniqueConflicts(state, db, [...checkedCreates.map((item) => ({ ...item, id: undefined })), ...checkedUpdates.map((item) => ({ ...item, values: item.changed, id: item.stored.id }))])
  const goodCreates = checkedCreates.filter((item) => keep(state, item.row, taken.get(item.row), item.key))
  const goodUpdates = checkedUpdates.filter((item) => keep(state, item.row, taken.get(item.row), item.key))

  await writeCreates(state, db, goodCreates)
  await writeUpdates(state, db, goodUpdates)
}

function decide(state: ImportState, row: PreparedRow, key: string | undefined): Decision {
  const { result } = state
  const index = state.duplicates
  if (!index || key === undefined) return { kind: 'create' }
  const action = index.rule.action
  const earlier = index.seen.get(key)
  if (earlier) {
    if (action === 'skip') {
      result.counts.skipped++
      notice(state, row, earlier.label ? `skipped: duplicate of ${earlier.label}` : `skipped: duplicate of row ${earlier.line} of this file`)
    } else {
      const what = earlier.kind === 'created' ? `the record created by row ${earlier.line}` : `${earlier.label}, which row ${earlier.line} already ${earlier.kind === 'updated' ? 'updated' : 'matched'}`
      refuse(state, row, [{ path: '', code: 'duplicate', message: `matches ${what} in this import; rows of one file may change a record only once` }])
    }

    return { kind: 'done' }
  }
  const matches = index.stored.get(key) ?? []
  if (matches.length > 1) {
    refuse(state, row, [{ path: '', code: 'duplicate', message: `ambiguous: matches ${matches.length} records (${matches.map((item) => item.label).join(', ')}); refine the duplicate rule` }])

    return { kind: 'done' }
  }
  if (matches.length === 0) {
    index.seen.set(key, { line: row.line, kind: 'created' })

    return { kind: 'create' }
  }
  const [match] = matches
  if (action === 'skip') {
    index.seen.set(key, { line: row.line, kind: 'skipped', label: match.label })
    result.counts.skipped++
    notice(state, row, `skipped: duplicate of ${match.label}`)

    return { kind: 'done' }
  }
  index.seen.set(key, { line: row.line, kind: 'updated', label: match.label })

  return { kind: 'update', id: match.id, label: match.label }
}

function composeUpdate(state: ImportState, row: PreparedRow, stored: StoredRecord, label: string, key?: string) {
  const { runtime } = state
  const merge = state.duplicates?.rule.action === 'merge'
  const input = Object.fromEntries(Object.entries(row.input).filter(([name]) => !merge || row.filled.has(name)))
  const composed = composeRecord(runtime, input, { stored })
  if (composed.issues.length > 0) {
    refuse(state, row, composed.issues, key)

    return undefined
  }
  const changed = Object.fromEntries([...runtime.fields.keys()].filter((name) => !same(composed.values[name], stored[name])).map((name) => [name, composed.values[name]]))
  if (Object.keys(changed).length === 0) {
    state.result.counts.skipped++
    notice(state, row, `unchanged: ${label} already holds these values`)

    return undefined
  }
  const cleared = Object.keys(input).filter((name) => input[name] === null && stored[name] !== null && stored[name] !== undefined)
  if (cleared.length > 0) {
    notice(state, row, `clears ${cleared.map((name) => runtime.fields.get(name)!.title).join(', ')} of ${label} (empty cells)`)
  }

  return { values: composed.values, changed }
}

async function writeCreates(state: ImportState, db: Executor, creates: { row: PreparedRow; values: FieldValues }[]): Promise<void> {
  const { result, runtime } = state
  result.counts.created += creates.length
  for (const { row } of creates) result.counts.links += row.links.reduce((sum, link) => sum + link.ids.length, 0)
  if (state.dryRun || creates.length === 0) return
  const ids = await insertRecords(db, runtime, creates.map((item) => item.values), state.actor.id).catch((error) => {
    throw translateSqliteError(error)
  })
  const own = state.lookups.get(runtime.name)
  creates.forEach((item, index) => own?.add(ids[index], own.namesOf(item.values)))
  await writeLinks(state, db, creates.map((item, index) => ({ id: ids[index], row: item.row })))
}

async function writeUpdates(state: ImportState, db: Executor, updates: { row: PreparedRow; values: FieldValues; stored: StoredRecord }[]): Promise<void> {
  const { result, runtime } = state
  for (const { row, values, stored } of updates) {
    if (!state.dryRun) {
      const written = await updateRecordRow(db, runtime, stored.id, values, stored.version).catch((error) => {
        throw translateSqliteError(error)
      })
      if (!written) {
        refuse(state, row, [{ path: '', code: 'stale', message: `the record (id ${stored.id}) was changed by someone else during the import; import this row again` }])
        continue
      }
    }
    result.counts.updated++
    result.counts.links += row.links.reduce((sum, link) => sum + link.ids.length, 0)
  }
  if (!state.dryRun) await writeLinks(state, db, updates.map((item) => ({ id: item.stored.id, row: item.row })))
}

async function writeLinks(state: ImportState, db: Executor, written: { id: number; row: PreparedRow }[]): Promise<void> {
  const byTable = new Map<string, { source_id: number; target_id: number; created_at: string }[]>()
  const now = new Date().toISOString()
  for (const { id, row } of written) {
    for (const link of row.links) {
      const table = linkTableName(state.runtime.name, link.relation)
      const list = byTable.get(table) ?? []
      for (const target of link.ids) list.push({ source_id: id, target_id: target, created_at: now })
      byTable.set(table, list)
    }
  }
  for (const [table, rows] of byTable) {
    for (let start = 0; start < rows.length; start += 5000) {
      await db.insertInto(table).values(rows.slice(start, start + 5000)).onConflict((conflict) => conflict.doNothing()).execute()
    }
  }
}

/** Creates the related records a row names but that do not exist yet, once per name. */
async function createRelated(state: ImportState, db: Executor, row: PreparedRow): Promise<void> {
  for (const { source, name } of row.creates) {
    const target = state.engine.runtime(source.target!)
    const cacheKey = `${target.name}\u0000${nameKey(name)}`
    let id = state.createdRelated.get(cacheKey)
    if (id === undefined) {
      const composed = composeRecord(target, { [target.titleField ?? 'id']: name }, { actorId: state.actor.id })
      if (composed.issues.length > 0) {
        const reasons = composed.issues.map((issue) => issue.message).join('; ')
        row.errors.push({ row: row.line, column: source.label, field: source.field, value: name, message: `cannot create ${target.definition.label.singular.toLowerCase()} '${name}': ${reasons}` })
        continue
      }
      if (state.dryRun) {
        id = PLACEHOLDER_BASE + state.placeholders.size
        state.placeholders.add(id)
      } else {
        ;[id] = await insertRecords(db, target, [composed.values], state.actor.id)
        state.lookups.get(target.name)?.add(id, [name])
      }
      state.createdRelated.set(cacheKey, id)
      state.result.counts.relatedCreated++
      notice(state, row, `creates ${target.definition.label.singular.toLowerCase()} '${name}'${state.dryRun ? '' : ` (id ${id})`}`)
    }
    row.input[source.field] = id
    row.match[source.field] = id
    row.filled.add(source.field)
  }
}

/**
 * Values of unique fields (a username) already used by another live record
 * or by an earlier row of this import. Checked before writing, so one such
 * row is refused instead of failing the whole batch's insert.
 */
async function uniqueConflicts(state: ImportState, db: Executor, items: { row: PreparedRow; values: FieldValues; id?: number }[]): Promise<Map<PreparedRow, Issue[]>> {
  const conflicts = new Map<PreparedRow, Issue[]>()
  for (const [name, field] of state.runtime.fields) {
    if (!field['x-unique']) continue
    const wanted = [...new Set(items.map((item) => item.values[name]).filter((value) => value !== null && value !== undefined))]
    const stored = new Map<string, number>()
    for (let start = 0; start < wanted.length; start += 500) {
      const rows = (await db.selectFrom(state.runtime.name).select(['id', toColumnName(name)]).where(toColumnName(name), 'in', wanted.slice(start, start + 500) as never[]).where('deleted_at', 'is', null).execute()) as Record<string, unknown>[]
      for (const row of rows) stored.set(String(row[toColumnName(name)]), Number(row.id))
    }
    const seen = state.uniqueSeen.get(name) ?? new Map<string, number>()
    state.uniqueSeen.set(name, seen)
    for (const item of items) {
      const value = item.values[name]
      if (value === null || value === undefined) continue
      const owner = stored.get(String(value))
      const earlier = seen.get(String(value))
      const message =
        owner !== undefined && owner !== item.id
          ? `${field.title} "${String(value)}" is already used by another ${state.runtime.definition.label.singular.toLowerCase()} (id ${owner})`
          : earlier !== undefined && earlier !== item.row.line
            ? `${field.title} "${String(value)}" is already used by row ${earlier} of this file`
            : undefined
      if (message === undefined) seen.set(String(value), item.row.line)
      else conflicts.set(item.row, [...(conflicts.get(item.row) ?? []), { path: `/${name}`, field: name, code: 'unique', message }])
    }
  }

  return conflicts
}

async function checkReferences(state: ImportState, db: Executor, records: FieldValues[]): Promise<Map<number, Issue[]>> {
  if (records.length === 0) return new Map()
  const issues = await state.engine.records.checkReferences(db, state.runtime, records)
  if (state.placeholders.size === 0) return issues
  for (const [index, list] of issues) {
    const kept = list.filter((issue) => !state.placeholders.has(records[index][issue.field ?? ''] as number))
    if (kept.length === 0) issues.delete(index)
    else issues.set(index, kept)
  }

  return issues
}

function keep(state: ImportState, row: PreparedRow, issues: Issue[] | undefined, key?: string): boolean {
  if (issues === undefined || issues.length === 0) return true
  refuse(state, row, issues, key)

  return false
}

/** Records a refused row; a duplicate key it claimed is given back. */
function refuse(state: ImportState, row: PreparedRow, issues: Issue[] = [], key?: string): void {
  const { result } = state
  const errors: RowError[] = [
    ...row.errors,
    ...issues.map((issue) => ({
      row: row.line,
      column: issue.field ? (state.labels.get(issue.field) ?? null) : null,
      field: issue.field ?? null,
      value: issue.field ? rawOf(state, row, issue.field) : null,
      message: issue.message,
    })),
  ]
  if (key !== undefined && state.duplicates?.seen.get(key)?.line === row.line) state.duplicates.seen.delete(key)
  result.counts.refused++
  if (result.refusedRows.length < state.maxErrors) result.refusedRows.push({ row: row.line, cells: row.cells })
  for (const error of errors) {
    if (result.errors.length < state.maxErrors) result.errors.push(error)
    else if (!result.warnings.some((warning) => warning.code === 'truncated')) {
      result.warnings.push({ code: 'truncated', blocking: false, message: `only the first ${state.maxErrors} errors are listed; the counts are complete` })
    }
  }
}

function notice(state: ImportState, row: PreparedRow, message: string): void {
  if (state.result.notices.length < state.maxErrors) state.result.notices.push({ row: row.line, column: null, field: null, value: null, message })
}

function rawOf(state: ImportState, row: PreparedRow, field: string): string | null {
  const source = state.result.columns.findIndex((column) => column.field === field)

  return source === -1 ? null : (row.cells[source] ?? null)
}

/** The duplicate key of a row or record; undefined when a match field is empty (never a duplicate). */
export function duplicateKey(rule: DuplicateRule, values: FieldValues, runtime: ModuleRuntime): string | undefined {
  const parts: string[] = []
  for (const name of rule.match) {
    const value = values[name]
    if (value === null || value === undefined || value === '') return undefined
    const field = runtime.fields.get(name)
    parts.push(typeof value === 'string' && field && kindOf(field).jsonType === 'string' ? nameKey(value) : JSON.stringify(value))
  }

  return parts.join('\u0000')
}

/** Reads the match fields of every live record into a duplicate index. */
export async function loadDuplicateIndex(db: Executor, runtime: ModuleRuntime, rule: DuplicateRule): Promise<DuplicateIndex> {
  const stored = new Map<string, { id: number; label: string }[]>()
  const numberField = [...runtime.fields].find(([, field]) => kindOf(field).name === 'auto-number')?.[0]
  const labelField = numberField ?? runtime.titleField
  const names = [...new Set([...rule.match, ...(labelField ? [labelField] : [])])]
  for (let after = 0; ; ) {
    const rows = (await db
      .selectFrom(runtime.name)
      .select(['id', ...names.map(toColumnName)])
      .where('deleted_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute()) as Record<string, unknown>[]
    for (const row of rows) {
      const values: FieldValues = {}
      for (const name of names) {
        const field = runtime.fields.get(name)!
        const value = row[toColumnName(name)]
        values[name] = value == null ? null : kindOf(field).fromColumn(value, field)
      }
      const key = duplicateKey(rule, values, runtime)
      if (key === undefined) continue
      const label = `${runtime.definition.label.singular} ${labelField ? String(values[labelField] ?? '') : ''} (id ${row.id})`.replace(/\s+/g, ' ')
      const list = stored.get(key) ?? []
      list.push({ id: Number(row.id), label })
      stored.set(key, list)
    }
    if (rows.length < 5000) break
    after = Number(rows[rows.length - 1].id)
  }

  return { rule, stored, seen: new Map() }
}

async function loadStored(db: Executor, runtime: ModuleRuntime, ids: number[]): Promise<Map<number, StoredRecord>> {
  const records = new Map<number, StoredRecord>()
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db.selectFrom(runtime.name).select(selectedColumns(runtime)).where('id', 'in', ids.slice(start, start + 500)).where('deleted_at', 'is', null).execute()
    for (const row of rows) {
      const record = fromRow(runtime, row as Record<string, unknown>)
      records.set(record.id, record)
    }
  }

  return records
}

function same(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null)
}

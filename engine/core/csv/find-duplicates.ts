import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { kindOf } from '../field-types/registry.ts'
import type { FieldValues } from '../records/compose-record.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'
import type { DuplicateRule } from './import-types.ts'
import { RECORD_ID } from './record-id-column.ts'
import { nameKey, withinScope, type OwnerScope } from './resolve-names.ts'

/** Stored records by their duplicate key, and the keys rows of this import already used. */
export interface DuplicateIndex {
  rule: DuplicateRule
  stored: Map<string, { id: number; label: string }[]>
  seen: Map<string, { line: number; kind: 'created' | 'updated' | 'skipped'; label?: string }>
}

/** What a duplicate rule makes of one row. */
export type DuplicateDecision =
  | { kind: 'create' }
  | { kind: 'update'; id: number; label: string }
  | { kind: 'skip'; message: string }
  | { kind: 'refuse'; message: string }

/**
 * Decides one row by its key, in file order: a key no stored record has is
 * created, a stored match is skipped or updated, and a key an earlier row of
 * the same import already used is skipped (skip) or refused (update, merge),
 * so rows of one file never race each other for one record.
 */
export function decideDuplicate(
  index: DuplicateIndex | undefined,
  line: number,
  key: string | undefined,
): DuplicateDecision {
  if (!index || key === undefined) return { kind: 'create' }
  const action = index.rule.action
  const earlier = index.seen.get(key)
  if (earlier) {
    if (action === 'skip') {
      return {
        kind: 'skip',
        message: earlier.label
          ? `skipped: duplicate of ${earlier.label}`
          : `skipped: duplicate of row ${earlier.line} of this file`,
      }
    }
    const what =
      earlier.line === 0
        ? `${earlier.label ?? 'a record'}, which an earlier row (before the import was resumed) already ${earlier.kind === 'created' ? 'created' : 'changed'}`
        : earlier.kind === 'created'
        ? `the record created by row ${earlier.line}`
        : `${earlier.label}, which row ${earlier.line} already ${earlier.kind === 'updated' ? 'updated' : 'matched'}`

    return {
      kind: 'refuse',
      message: `matches ${what} in this import; rows of one file may change a record only once`,
    }
  }
  const matches = index.stored.get(key) ?? []
  if (matches.length > 1) {
    return {
      kind: 'refuse',
      message: `ambiguous: matches ${matches.length} records (${matches.map((item) => item.label).join(', ')}); refine the duplicate rule`,
    }
  }
  if (matches.length === 0) {
    index.seen.set(key, { line, kind: 'created' })

    return { kind: 'create' }
  }
  const [match] = matches
  index.seen.set(key, { line, kind: action === 'skip' ? 'skipped' : 'updated', label: match.label })

  return action === 'skip'
    ? { kind: 'skip', message: `skipped: duplicate of ${match.label}` }
    : { kind: 'update', id: match.id, label: match.label }
}

/** The duplicate key of a row or record; undefined when a match field is empty (never a duplicate). */
export function duplicateKey(
  rule: DuplicateRule,
  values: FieldValues,
  runtime: ModuleRuntime,
): string | undefined {
  const parts: string[] = []
  for (const name of rule.match) {
    const value = values[name]
    if (value === null || value === undefined || value === '') return undefined
    const field = runtime.fields.get(name)
    parts.push(
      typeof value === 'string' && field && kindOf(field).jsonType === 'string'
        ? nameKey(value)
        : JSON.stringify(value),
    )
  }

  return parts.join('\u0000')
}

/**
 * Keeps the stored spelling of the match fields in a row's values (in place):
 * `deal a ` found the stored `Deal A` because the rule ignores case and
 * spacing, so it says nothing about how the name should be written, and an
 * update or merge must not rewrite it (a row differing only so is unchanged).
 */
export function keepMatchedSpelling(
  rule: DuplicateRule,
  runtime: ModuleRuntime,
  values: FieldValues,
  stored: Record<string, unknown>,
): void {
  for (const name of rule.match) {
    const value = values[name]
    const kept = stored[name]
    if (typeof value !== 'string' || typeof kept !== 'string' || value === kept) continue
    const field = runtime.fields.get(name)
    if (field && kindOf(field).jsonType === 'string' && nameKey(value) === nameKey(kept))
      values[name] = kept
  }
}

/** Reads the match fields of every live record the actor sees into a duplicate index. */
export async function loadDuplicateIndex(
  db: Executor,
  runtime: ModuleRuntime,
  rule: DuplicateRule,
  scope?: OwnerScope,
): Promise<DuplicateIndex> {
  const stored = new Map<string, { id: number; label: string }[]>()
  const numberField = [...runtime.fields].find(
    ([, field]) => kindOf(field).name === 'auto-number',
  )?.[0]
  const labelField = numberField ?? runtime.titleField
  // The record id (a lossless export's first column) is matched like a field, read from `id`.
  const names = [...new Set([...rule.match, ...(labelField ? [labelField] : [])])].filter((name) => name !== RECORD_ID)
  for (let after = 0; ;) {
    const rows = (await withinScope(db.selectFrom(runtime.name), scope)
      .select(['id', ...names.map(toColumnName)])
      .where('deleted_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute()) as Record<string, unknown>[]
    for (const row of rows) {
      const values: FieldValues = { [RECORD_ID]: Number(row.id) }
      for (const name of names) {
        const field = runtime.fields.get(name)!
        const value = row[toColumnName(name)]
        values[name] = value == null ? null : kindOf(field).fromColumn(value, field)
      }
      const key = duplicateKey(rule, values, runtime)
      if (key === undefined) continue
      const label =
        `${runtime.definition.label.singular} ${labelField ? String(values[labelField] ?? '') : ''} (id ${row.id})`.replace(
          /\s+/g,
          ' ',
        )
      const list = stored.get(key) ?? []
      list.push({ id: Number(row.id), label })
      stored.set(key, list)
    }
    if (rows.length < 5000) break
    after = Number(rows[rows.length - 1].id)
  }

  return { rule, stored, seen: new Map() }
}

/**
 * A resumed import starts reading after its last committed line, but the
 * rows before it used their keys all the same: the keys of the records the
 * job already wrote (from its log) count as used, so a later row hitting
 * one of them is reported as a second row for that record, as it would have
 * been in one run. Line 0 stands for "before the resume".
 */
export function markWrittenBefore(index: DuplicateIndex, written: Map<number, 'created' | 'updated'>): void {
  for (const [key, matches] of index.stored) {
    const match = matches.find((item) => written.has(item.id))
    if (match === undefined) continue
    const kind = written.get(match.id) === 'created' ? 'created' : 'updated'
    index.seen.set(key, { line: 0, kind, label: match.label })
  }
}

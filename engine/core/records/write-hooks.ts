import type { Executor } from '../storage/open-database.ts'
import type { FieldValues } from './compose-record.ts'

/** One committed-to-be write of one record, as hooks see it inside its transaction. */
export interface RecordChange {
  module: string
  id: number
  action: 'create' | 'update' | 'delete' | 'restore'
  /** Field values before the write; null on create. */
  before: FieldValues | null
  /** Field values after the write; null on delete. */
  after: FieldValues | null
  actorId: number | null
}

/**
 * Work that must happen in the same transaction as a record write: the audit
 * trail, roll-ups into parent records. A hook that throws rolls the write back.
 */
export type WriteHook = ((trx: Executor, change: RecordChange) => Promise<void>) & {
  /** Takes many changes of one transaction at once (bulk writers such as the importer); optional. */
  many?: (trx: Executor, changes: RecordChange[]) => Promise<void>
}

export async function runWriteHooks(hooks: readonly WriteHook[], trx: Executor, change: RecordChange): Promise<void> {
  for (const hook of hooks) await hook(trx, change)
}

/** Runs the hooks for many writes of one transaction: a hook's `many` form when it has one, else change by change. */
export async function runWriteHooksOnMany(hooks: readonly WriteHook[], trx: Executor, changes: RecordChange[]): Promise<void> {
  if (changes.length === 0) return
  for (const hook of hooks) {
    if (hook.many) await hook.many(trx, changes)
    else for (const change of changes) await hook(trx, change)
  }
}

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
export type WriteHook = (trx: Executor, change: RecordChange) => Promise<void>

export async function runWriteHooks(hooks: readonly WriteHook[], trx: Executor, change: RecordChange): Promise<void> {
  for (const hook of hooks) await hook(trx, change)
}

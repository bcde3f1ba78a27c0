/**
 * What a definition alone cannot say about a change: how stored values move.
 * The Layout Editor's operations produce it next to the new definition; an
 * integrator who PUTs a whole definition may send it too.
 */
export interface MigrationOptions {
  /** Field renames, old name to new name: the column is renamed in place, values kept. */
  renames?: Record<string, string>
  /** How stored values are read when a field changes kind. */
  conversions?: Record<string, ConversionOptions>
  /** A value written into every record that lacks one when a field becomes mandatory. */
  backfill?: Record<string, unknown>
  /** Fields made mandatory while old records may stay without a value (writes still need one). */
  keepGaps?: string[]
  /** Picklist value moves, old value to new value (rename, merge, delete with a replacement). */
  valueMaps?: Record<string, Record<string, string | null>>
  /** Archived fields whose column and values are dropped for good. */
  purge?: string[]
}

export interface ConversionOptions {
  decimalMark?: '.' | ','
  dateOrder?: 'YMD' | 'DMY' | 'MDY'
  /** `refuse` (default): no change while any value fails; `clear`: failing values become empty, originals kept in a backup column. */
  onFailure?: 'refuse' | 'clear'
}

export function emptyMigration(): Required<MigrationOptions> {
  return { renames: {}, conversions: {}, backfill: {}, keepGaps: [], valueMaps: {}, purge: [] }
}

/** Fills the missing parts of migration options sent by a client. */
export function normalizeMigration(options: MigrationOptions | undefined): Required<MigrationOptions> {
  return { ...emptyMigration(), ...(options ?? {}) } as Required<MigrationOptions>
}

import type { Actor } from '../engine.ts'
import type { CsvEncoding } from './decode-bytes.ts'
import type { CsvDelimiter } from './parse-csv.ts'
import type { ListQuery } from '../storage/list-query.ts'
import type { Executor } from '../storage/open-database.ts'

/** Rules for the values of one column or field; all optional. */
export interface ValueRules {
  /** Replaces whole cell values before parsing; keys match trimmed and ignoring case. `null` empties the cell. */
  valueMap?: Record<string, string | null>
  /** Text used when the cell is empty (parsed like a cell). */
  default?: string
  /** Multiplies a number after parsing, exactly (revenue in millions: `1000000`). */
  multiply?: number | string
  /**
   * How relation and user cells (and many-to-many link cells) name their records: by title
   * (default) or by id. Headers ending in ` (id)` or ` (ids)`, as the lossless export writes
   * them, are read by id without this.
   */
  by?: 'name' | 'id'
  /** Creates a missing related record (only its title is set) instead of refusing the row. */
  createMissing?: boolean
  /** Why the entry exists; ignored by the importer, read by people. */
  why?: string
}

/** Mapping entry keyed by a header: which field (or many-to-many relation) the column fills; `field: null` ignores it. */
export interface HeaderMapping extends ValueRules {
  field?: string | null
  relation?: string
}

/** Mapping entry keyed by a field (or a many-to-many relation): where its value comes from. */
export interface FieldMapping extends ValueRules {
  /** The header of the column that holds the value. */
  column?: string
  /**
   * Text built from other columns: `{header}` inserts a cell, filters
   * transform it (`{header|lower}`, `upper`, `trim`, `slug:.`,
   * `replace:GTXPro=GTX Pro`), and `[...]` is kept only when every cell
   * named inside it is non-empty.
   */
  template?: string
}

export interface DuplicateRule {
  /** Fields whose values together identify a record (text compared trimmed and ignoring case). */
  match: string[]
  /**
   * `skip` leaves the stored record alone; `update` writes every mapped
   * column (an empty cell clears an optional field); `merge` writes only the
   * non-empty cells.
   */
  action: 'skip' | 'update' | 'merge'
}

export interface ImportProgress {
  module: string
  rows: number
  created: number
  updated: number
  skipped: number
  refused: number
}

export interface ImportOptions {
  mapping?: Record<string, HeaderMapping | FieldMapping>
  /**
   * A mapping saved under this name for the module (`saveImportMapping`): its options are the
   * base, and options given here win over them.
   */
  mappingName?: string
  /** When false only `mapping` decides; otherwise other headers are matched by name, label and alias. */
  autoMatch?: boolean
  /** Text for empty cells, per field. */
  defaults?: Record<string, string>
  /** Value maps per field, applied before parsing (`Won` -> `Closed Won`). */
  valueMap?: Record<string, Record<string, string | null>>
  decimalMark?: '.' | ','
  dateOrder?: 'YMD' | 'DMY' | 'MDY'
  /** A label such as `utf-8`, `UTF8`, `cp1252`, `latin1` (read as Windows-1252), or `auto` (the default). */
  encoding?: CsvEncoding | 'auto' | (string & {})
  delimiter?: CsvDelimiter
  /** Checks everything and reports what would happen, writing nothing. */
  dryRun?: boolean
  duplicates?: DuplicateRule
  /**
   * Removes the `'` the spreadsheet-safe export puts before a cell starting with
   * `= + - @`, tab, CR or `'` (default true). A real value that starts with `'=` then loses
   * its apostrophe; turn this off for files written by the lossless export or by others.
   */
  unescapeFormulas?: boolean
  /** For optional picklists: use the field default (or empty) for unknown values, with a notice per row. */
  unknownPicklistValues?: 'refuse' | 'default'
  /**
   * Warnings found in the first batch (a number format that fails where the
   * other decimal mark would work, UTF-8 bytes read as Windows-1252) stop the
   * import before anything is written unless this is true.
   */
  acceptWarnings?: boolean
  /**
   * The import job (e.g. from `_import_jobs`) to log every created and updated record under,
   * in the batch's own transaction, so `undoImport` can take the import back.
   */
  jobId?: number
  /** Rows per write transaction (default 5000). */
  batchSize?: number
  /** Rows shown with raw and parsed values in the result (default 5). */
  previewRows?: number
  /** Most refused rows and errors kept in the result (default 10,000); counts stay exact. */
  maxErrors?: number
  onProgress?: (progress: ImportProgress) => void
}

/** A refused row as an import job stores it, with its reasons. */
export interface RefusedRow {
  row: number
  cells: string[]
  errors: RowError[]
}

/** Where an import stands after a batch committed: what an import job saves in the batch's transaction. */
export interface ImportCheckpoint {
  /** The line of the last row read into the committed batch: a resumed import continues after it. */
  lastLine: number
  counts: ImportResult['counts']
  /** The rows this batch refused, complete (the result's lists stop at `maxErrors`). */
  refused: RefusedRow[]
}

/**
 * What an import job adds to an import, beside the options a user gives:
 * resuming after the last committed line, and a checkpoint written inside
 * every batch's transaction, so the job's progress never disagrees with the data.
 */
export interface ImportControl {
  /** Called once the header is read, before any row. */
  onOpened?: (file: { headers: string[]; delimiter: CsvDelimiter; encoding: CsvEncoding }) => void
  /** Rows up to `afterLine` are read but skipped; counts start from `counts`. */
  resume?: { afterLine: number; counts: ImportResult['counts'] }
  /** Runs inside each batch's write transaction after its rows were written (never in dry runs). */
  onBatchWritten?: (trx: Executor, checkpoint: ImportCheckpoint) => Promise<void>
}

/** One refused cell or row. `row` is the file's line number, the header being line 1. */
export interface RowError {
  row: number
  column: string | null
  field: string | null
  value: string | null
  message: string
}

export interface ImportWarning {
  code:
    | 'number-format'
    | 'encoding'
    | 'unmapped-required'
    | 'ignored-column'
    | 'truncated'
    | 'auto-number-match'
  message: string
  column?: string
  /** True when it stops a real import unless `acceptWarnings` is set. */
  blocking: boolean
}

export interface ImportColumn {
  header: string
  field: string | null
  /** Set when the column links records of a many-to-many relation. */
  relation?: string
  /** Why a column is not imported (`not mapped`, `read-only: used for matching only`). */
  note?: string
}

export interface ImportResult {
  module: string
  dryRun: boolean
  /** True when a blocking warning stopped the import before anything was written. */
  stopped: boolean
  /** For a stopped import: what the rest of the run would have done (`counts` says what was written: nothing). */
  checkedCounts?: ImportResult['counts']
  encoding: CsvEncoding
  delimiter: CsvDelimiter
  columns: ImportColumn[]
  counts: {
    rows: number
    created: number
    updated: number
    /** Duplicates skipped, and in merge mode matches with nothing to change. */
    skipped: number
    refused: number
    blank: number
    /** Many-to-many link rows written (or that would be). */
    links: number
    /** Related records created for names that were missing (mapping `createMissing`). */
    relatedCreated: number
  }
  /** Line numbers of skipped blank rows (`,,,,` rows included). */
  blankLines: number[]
  errors: RowError[]
  /** Things to confirm that did not refuse a row: a cleared field, a default used for an unknown value. */
  notices: RowError[]
  warnings: ImportWarning[]
  /** The first rows with raw text beside the parsed value, for the preview. */
  preview: {
    row: number
    values: Record<string, { raw: string; value: unknown; error?: string }>
  }[]
  /** The refused rows as read, for `refusedRowsCsv`. */
  refusedRows: { row: number; cells: string[] }[]
  headers: string[]
}

/** Options of `exportCsv`. */
export interface ExportOptions {
  /** Field names in column order; default: every live field in layout order. */
  fields?: string[]
  /**
   * Many-to-many relations written after the fields, one column each (titles joined by "; ",
   * ids in the lossless flavour);
   * default: every relation the actor may view when `fields` is not given, none when it is.
   */
  relations?: string[]
  query?: ListQuery
  /**
   * `standard` (default): `,` and text cells that a spreadsheet would run as a formula start
   * with `'`. `excel`: the same with a byte order mark and `;`, as Excel in most of Europe
   * expects. `lossless`: values exactly as stored, after a "Record ID" column, and related
   * records as ids under `<label> (id)` and `<label> (ids)` headers (titles may be shared), for
   * migrating or re-importing; such a file must not be opened in a spreadsheet when its data is
   * untrusted (the importer reads it as lossless by its first header).
   */
  flavour?: 'standard' | 'excel' | 'lossless'
  /** The decimal mark of numbers: `,` by default in the excel flavour, `.` in the others. */
  decimalMark?: '.' | ','
  /** Who exports: only the records and fields their role lets them see are written. */
  actor?: Actor
}

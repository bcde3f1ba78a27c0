import type { Executor } from '../storage/open-database.ts'
import type { RefusedRow, RowError } from './import-types.ts'
import { REASON_HEADER, reasonOf } from './refused-rows-csv.ts'
import { csvLine } from './write-cell.ts'

/** The refused rows of import jobs, complete; line 1 of a job holds its header. */
export const IMPORT_REFUSED_TABLE = '_import_refused'

const PAGE = 1000

export async function createImportRefusedTable(db: Executor): Promise<void> {
  await db.schema
    .createTable(IMPORT_REFUSED_TABLE)
    .ifNotExists()
    .addColumn('job_id', 'integer', (column) => column.notNull())
    .addColumn('line', 'integer', (column) => column.notNull())
    .addColumn('cells', 'text', (column) => column.notNull())
    .addColumn('errors', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint(`${IMPORT_REFUSED_TABLE}_pk`, ['job_id', 'line'])
    .execute()
}

/** Stores refused rows in the batch's transaction (the header as line 1, once). */
export async function insertRefusedRows(
  db: Executor,
  jobId: number,
  rows: RefusedRow[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await db
      .insertInto(IMPORT_REFUSED_TABLE)
      .values(
        rows.slice(start, start + 200).map((row) => ({
          job_id: jobId,
          line: row.row,
          cells: JSON.stringify(row.cells),
          errors: JSON.stringify(row.errors),
        })),
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute()
  }
}

/** The first errors of a job's refused rows, in file order. */
export async function selectRefusedErrors(
  db: Executor,
  jobId: number,
  limit: number,
): Promise<RowError[]> {
  const errors: RowError[] = []
  const rows = await db
    .selectFrom(IMPORT_REFUSED_TABLE)
    .select('errors')
    .where('job_id', '=', jobId)
    .where('line', '>', 1)
    .orderBy('line')
    .limit(limit)
    .execute()
  for (const row of rows) errors.push(...(JSON.parse(String(row.errors)) as RowError[]))

  return errors.slice(0, limit)
}

/**
 * A job's refused rows as CSV text, page by page: its header plus a reason
 * column, then each refused row as read, as `refusedRowsCsv` writes them.
 */
export async function* refusedRowsCsvOfJob(
  read: <T>(work: (db: Executor) => Promise<T>) => Promise<T>,
  jobId: number,
  delimiter: string,
): AsyncIterable<string> {
  const header = await read((db) =>
    db
      .selectFrom(IMPORT_REFUSED_TABLE)
      .select('cells')
      .where('job_id', '=', jobId)
      .where('line', '=', 1)
      .executeTakeFirst(),
  )
  const headers = header ? (JSON.parse(String(header.cells)) as string[]) : []
  yield csvLine([...headers, REASON_HEADER], delimiter)
  for (let after = 1; ;) {
    const rows = await read((db) =>
      db
        .selectFrom(IMPORT_REFUSED_TABLE)
        .selectAll()
        .where('job_id', '=', jobId)
        .where('line', '>', after)
        .orderBy('line')
        .limit(PAGE)
        .execute(),
    )
    let text = ''
    for (const row of rows) {
      const cells = JSON.parse(String(row.cells)) as string[]
      const errors = JSON.parse(String(row.errors)) as RowError[]
      const padded = headers.map((_, index) => cells[index] ?? '')
      text += csvLine([...padded, reasonOf(Number(row.line), errors)], delimiter)
    }
    if (text !== '') yield text
    if (rows.length < PAGE) return
    after = Number(rows[rows.length - 1].line)
  }
}

import type { ImportResult, RowError } from './import-types.ts'
import { csvLine } from './write-cell.ts'

/** Header of the column that explains why a row was refused. */
export const REASON_HEADER = 'Import Error'

/**
 * The refused rows of an import as a CSV file: the original header and
 * cells, plus a column with the reasons, so a user can fix just these rows
 * and import the file again (the reason column is then reported as not
 * mapped and ignored). Cells are written as read: no formula escaping is
 * added, so the fixed file imports exactly like the original would have.
 */
export function refusedRowsCsv(
  result: Pick<ImportResult, 'headers' | 'refusedRows' | 'errors' | 'delimiter'>,
): string {
  const delimiter = result.delimiter
  const errorsByRow = new Map<number, RowError[]>()
  for (const error of result.errors) {
    const list = errorsByRow.get(error.row) ?? []
    list.push(error)
    errorsByRow.set(error.row, list)
  }
  let text = csvLine([...result.headers, REASON_HEADER], delimiter)
  for (const { row, cells } of result.refusedRows) {
    const padded = result.headers.map((_, index) => cells[index] ?? '')
    text += csvLine([...padded, reasonOf(row, errorsByRow.get(row) ?? [])], delimiter)
  }

  return text
}

/** The reason cell of a refused row: its line and every error, the column first when the message lacks it. */
export function reasonOf(line: number, errors: RowError[]): string {
  const reasons = errors.map((error) =>
    error.column && !error.message.startsWith(error.column)
      ? `[${error.column}] ${error.message}`
      : error.message,
  )

  return `line ${line}: ${(reasons.length > 0 ? reasons : ['refused']).join('; ')}`
}

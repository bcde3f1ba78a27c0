import type { ImportResult } from './import-types.ts'
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
  const reasons = new Map<number, string[]>()
  for (const error of result.errors) {
    const list = reasons.get(error.row) ?? []
    list.push(
      error.column && !error.message.startsWith(error.column)
        ? `[${error.column}] ${error.message}`
        : error.message,
    )
    reasons.set(error.row, list)
  }
  let text = csvLine([...result.headers, REASON_HEADER], delimiter)
  for (const { row, cells } of result.refusedRows) {
    const padded = result.headers.map((_, index) => cells[index] ?? '')
    text += csvLine(
      [...padded, `line ${row}: ${(reasons.get(row) ?? ['refused']).join('; ')}`],
      delimiter,
    )
  }

  return text
}

import type { ImportResult } from './import-types.ts'

/** What a report sent to a client or stored with a job keeps of an import result. */
export type ImportReport = Omit<ImportResult, 'refusedRows'>

const MAX_TEXT = 200
const MAX_MESSAGE = 600
const MAX_WARNINGS = 100

/**
 * The import result cut to a size a response or a job row can hold, whatever
 * the file: at most `errors` errors, notices and blank lines, at most 100
 * warnings, headers and quoted values cut to 200 characters, and no refused
 * rows (a job keeps those in its own table). Counts stay exact.
 */
export function capImportReport(result: ImportResult, errors: number): ImportReport {
  const { refusedRows: _refused, ...report } = result

  return {
    ...report,
    headers: result.headers.map((header) => cut(header)),
    columns: result.columns.map((column) => ({ ...column, header: cut(column.header) })),
    warnings: result.warnings.slice(0, MAX_WARNINGS).map((warning) => ({
      ...warning,
      message: cut(warning.message, MAX_MESSAGE),
      ...(warning.column === undefined ? {} : { column: cut(warning.column) }),
    })),
    errors: result.errors.slice(0, errors).map((error) => ({
      ...error,
      column: error.column === null ? null : cut(error.column),
      value: error.value === null ? null : cut(error.value),
      message: cut(error.message, MAX_MESSAGE),
    })),
    notices: result.notices.slice(0, errors).map((notice) => ({
      ...notice,
      value: notice.value === null ? null : cut(notice.value),
      message: cut(notice.message, MAX_MESSAGE),
    })),
    blankLines: result.blankLines.slice(0, errors),
    preview: result.preview.map((row) => ({
      row: row.row,
      values: Object.fromEntries(
        Object.entries(row.values).map(([field, value]) => [
          field,
          {
            ...value,
            raw: cut(value.raw),
            value: typeof value.value === 'string' ? cut(value.value) : value.value,
          },
        ]),
      ),
    })),
  }
}

function cut(text: string, length = MAX_TEXT): string {
  return text.length > length ? `${text.slice(0, length)}...` : text
}

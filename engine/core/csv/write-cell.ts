/** Cells a spreadsheet would run as a formula (or our own escape mark), per OWASP's CSV injection advice. */
const FORMULA_START = /^[=+\-@\t\r']/

/**
 * Neutralises a text cell by a leading `'`, which spreadsheets show as text.
 * The importer removes exactly one such `'` again, so an exported file
 * re-imports to the same values. Numbers and dates are never touched.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** Quotes a cell when it holds the delimiter, a quote, a line break or edge spaces. */
export function quoteCell(text: string, delimiter: string): string {
  const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text) || /^\s|\s$/.test(text)

  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV line, CRLF-terminated as RFC 4180 asks. */
export function csvLine(cells: string[], delimiter: string): string {
  return `${cells.map((cell) => quoteCell(cell, delimiter)).join(delimiter)}\r\n`
}

import { openCsvText, type CsvEncoding, type CsvSource } from './decode-bytes.ts'
import type { CsvDelimiter } from './parse-csv.ts'
import { parseCsvRows } from './parse-csv.ts'
import { sourceText, type RowContext } from './read-row.ts'

/**
 * Before an import that creates missing related records (mapping
 * `createMissing`) reads its first row: reads the file once more and tells
 * each name lookup the new names of those columns, so a name the file also
 * spells another way (`New Corp` and `Néw Corp`, `O'Brien` and `O’Brien`)
 * is refused in every row, whichever spelling comes first: which look-alike
 * would be created must not depend on row order, and is the user's call.
 * A source that can be read only once (a bare stream) is not scanned; a
 * later spelling is then refused as a near miss of the first one.
 * Returns whether the file was scanned.
 */
export async function scanNewNames(
  source: CsvSource,
  encoding: CsvEncoding,
  delimiter: CsvDelimiter,
  context: RowContext,
): Promise<boolean> {
  const sources = context.plan.sources.filter(
    (item) => item.createMissing && item.target !== undefined && item.by === 'name',
  )
  if (sources.length === 0) return false
  if (!(source instanceof Uint8Array) && typeof source !== 'function') return false
  const { chunks } = await openCsvText(source, encoding)
  const { rows } = await parseCsvRows(chunks, delimiter)
  let header = true
  for await (const row of rows) {
    if (header) {
      header = false
      continue
    }
    for (const item of sources) {
      const raw = sourceText(context, item, row.cells)
      if (raw.trim() !== '') context.lookups.get(item.target!)!.noteNewName(raw)
    }
  }

  return true
}

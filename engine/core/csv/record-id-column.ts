import type { FieldDefinition } from '../definition/types.ts'
import type { FieldSource } from './map-columns.ts'

/**
 * The header of the record id column a lossless export starts with. Ids are
 * not fields, so the column is matched by this header only: it finds the
 * records a re-import updates, in modules with no auto-number as in others.
 */
export const RECORD_ID_HEADER = 'Record ID'
/** The key the id takes in a row's match values and in duplicate rules. */
export const RECORD_ID = 'id'

const RECORD_ID_DEFINITION: FieldDefinition = {
  type: 'integer',
  'x-kind': 'integer',
  title: RECORD_ID_HEADER,
  minimum: 1,
} as FieldDefinition

/** A read-only source for the id column, when the file has one that nothing else mapped. */
export function recordIdSource(headers: string[], claimed: (index: number) => boolean): FieldSource | undefined {
  const index = headers.findIndex(
    (header, at) => !claimed(at) && header.normalize('NFC').replace(/^\ufeff/, '').trim().toLocaleLowerCase() === RECORD_ID_HEADER.toLocaleLowerCase(),
  )
  if (index === -1) return undefined

  return {
    field: RECORD_ID,
    definition: RECORD_ID_DEFINITION,
    label: headers[index],
    column: index,
    by: 'name',
    createMissing: false,
    matchOnly: true,
  }
}

import type { SchemaStep } from '../engine/core/storage/plan-schema-change.ts'

/** One step of the server's plan as a sentence for the admin, with its record counts. */
export function describeSchemaStep(step: SchemaStep): string {
  switch (step.kind) {
    case 'add-field':
      return `Add the field “${step.label}” (${step.field}), stored as ${step.columnType}.`
    case 'rename-field':
      return `Rename the field ${step.field} to ${step.to}.`
    case 'purge-field':
      return `Delete the archived field ${step.field} and its values in ${count(step.records)}.`
    case 'convert-field':
      return `Convert ${step.field} from ${step.from} to ${step.to} in ${count(step.records)}: ${step.convertible} convertible, ${step.empty} empty, ${step.failing} failing${step.failing > 0 && step.clearFailing ? ` (cleared; the originals are kept in ${step.backupColumn})` : ''}.`
    case 'map-values':
      return `Move picklist values of ${step.field} (${describeMoves(step.moves)}) in ${count(step.records)}.`
    case 'backfill':
      return `Fill ${step.field} with ${JSON.stringify(step.value)} in ${count(step.records)}.`
    case 'keep-gaps':
      return `Leave ${step.field} empty in ${count(step.records, 'existing record')}.`
    case 'add-relation':
      return `Add the relation ${step.relation} to ${step.module}.`
    case 'metadata':
      return `No data changes: ${step.description}.`
  }
}

function describeMoves(moves: Record<string, string | null>): string {
  return Object.entries(moves)
    .map(([from, to]) => `“${from}” → ${to === null ? 'empty' : `“${to}”`}`)
    .join(', ')
}

function count(number: number, noun = 'record'): string {
  return `${number.toLocaleString('en-US')} ${number === 1 ? noun : `${noun}s`}`
}

import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import { ApiError, type CrmRecord } from '../api-client.ts'
import { formatValue } from '../field-values.ts'
import { messageOf } from '../message-of.ts'

/** Why a card's move was refused and what to do about it, by the server's answer. */
export function describeMoveRefusal(
  error: unknown,
  title: string,
  to: string,
  hasCurrent: boolean,
): string {
  if (error instanceof ApiError && error.status === 412) {
    return `“${title}” was not moved: someone else changed it after this board was loaded. ${
      hasCurrent ? 'The card shows the newer values now' : 'Reload the board to see them'
    }; move it again if it still belongs in ${to}.`
  }
  if (error instanceof ApiError && error.status === 422) {
    const issues = error.issues.map((issue) => issue.message).join('; ')

    return `“${title}” cannot move to ${to}: ${issues || error.message}. Open it, complete the fields, then move it again.`
  }
  if (error instanceof ApiError && error.status === 403) {
    return `“${title}” was not moved: ${error.message}. Ask an administrator for the right to edit it.`
  }

  return `“${title}” was not moved: ${messageOf(error)}. Try again.`
}

/** ", Probability (%) is now 20.00 %" for each field the stage's picklist defaults set. */
export function describeStageDefaults(
  definition: ModuleDefinition,
  stageField: string,
  saved: CrmRecord,
): string {
  const notes = (definition.behaviours?.picklistDefaults ?? [])
    .filter((rule) => rule.source === stageField)
    .map((rule) => {
      const field = definition.record.properties[rule.target]
      if (!field || saved[rule.target] === undefined) return ''

      return `; ${field.title} is now ${formatValue(field, saved[rule.target]) || 'empty'}`
    })

  return notes.join('')
}

/** The record a 412 answer carries as the server's current version, if any. */
export function currentRecordOf(error: unknown): CrmRecord | undefined {
  if (!(error instanceof ApiError) || error.status !== 412) return undefined
  const current = error.details.current

  return isRecord(current) ? (current as CrmRecord) : undefined
}

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as CrmRecord).id === 'number'
}

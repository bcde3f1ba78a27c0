import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { EngineError } from '../errors.ts'

/** True when the record was converted: its definition declares a conversion and the converted-at field is set. */
export function isConverted(runtime: ModuleRuntime, record: Record<string, unknown>): boolean {
  const field = runtime.definition.behaviours?.conversion?.convertedAt

  return field !== undefined && record[field] !== null && record[field] !== undefined
}

/**
 * Throws FORBIDDEN when someone other than an admin changes a converted
 * record: what it became lives on in the records it produced, and the lead
 * stays as the evidence of where they came from.
 * TODO(#6): the CSV importer's update of duplicates does not ask this yet.
 */
export function assertNotConvertedOrThrow(
  actor: Actor,
  runtime: ModuleRuntime,
  stored: Record<string, unknown>,
): void {
  if (actor.isAdmin || !isConverted(runtime, stored)) return
  const convertedAt = runtime.definition.behaviours!.conversion!.convertedAt
  const singular = runtime.definition.label.singular

  throw new EngineError(
    'FORBIDDEN',
    `${singular} ${String(stored.id)} was converted on ${String(stored[convertedAt]).slice(0, 10)} and is read-only; an admin can still change it`,
    {
      module: runtime.name,
      id: stored.id,
      reason: 'converted',
    },
  )
}

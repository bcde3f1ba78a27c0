import type { ModuleDefinition } from '../engine/core/definition/types.ts'

/**
 * What a form shows after the person changed `changed`: for every declared
 * `behaviours.picklistDefaults` rule whose source is that field, the target
 * takes the chosen value's metadata (a sales stage sets its probability),
 * as the server will when saving. With the rule's default policy
 * `unless-given` a target the person typed themselves (listed in `typed`)
 * keeps their value; `always` overrides it; `never` leaves it. A value
 * without that metadata, or a target this user cannot see, changes nothing.
 *
 * @example applyPicklistDefaults(definition, 'sales_stage', values, new Set()) // probability from the stage
 */
export function applyPicklistDefaults(
  definition: ModuleDefinition,
  changed: string,
  values: Record<string, unknown>,
  typed: ReadonlySet<string>,
): Record<string, unknown> {
  const next = { ...values }
  for (const rule of definition.behaviours?.picklistDefaults ?? []) {
    const policy = rule.policy ?? 'unless-given'
    if (rule.source !== changed || policy === 'never') continue
    if (policy === 'unless-given' && typed.has(rule.target)) continue
    if (definition.record.properties[rule.target] === undefined) continue
    const chosen = values[rule.source]
    const meta = definition.record.properties[rule.source]?.['x-values']?.[String(chosen)]
    const value = meta?.[rule.key]
    if (value !== undefined) next[rule.target] = value
  }

  return next
}

/** True when some rule fills `name`, so typing into it counts as the person's own value. */
export function isPicklistDefaultTarget(definition: ModuleDefinition, name: string): boolean {
  return (definition.behaviours?.picklistDefaults ?? []).some((rule) => rule.target === name)
}

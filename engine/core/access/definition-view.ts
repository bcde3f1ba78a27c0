import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { ModuleDefinition } from '../definition/types.ts'
import type { Actor } from '../engine.ts'
import { fieldAccess, hiddenFields } from './access-policy.ts'

/**
 * The definition as one actor may see it: hidden fields taken out of the
 * record, the layout and the required list, read-only fields marked
 * `readOnly`, so generated forms show exactly what the API enforces.
 */
export function definitionFor(actor: Actor, runtime: ModuleRuntime): ModuleDefinition {
  const hidden = hiddenFields(actor, runtime)
  const readOnly = [...runtime.fields.keys()].filter((name) => fieldAccess(actor, runtime, name) === 'read')
  if (hidden.size === 0 && readOnly.length === 0) return runtime.definition
  const view = structuredClone(runtime.definition)
  for (const name of hidden) delete view.record.properties[name]
  for (const name of readOnly) if (view.record.properties[name]) view.record.properties[name].readOnly = true
  view.record.required = (view.record.required ?? []).filter((name) => !hidden.has(name))
  for (const block of view.layout.blocks) block.fields = block.fields.filter((name) => !hidden.has(name))
  if (view.layout.hidden) view.layout.hidden = view.layout.hidden.filter((name) => !hidden.has(name))

  return view
}

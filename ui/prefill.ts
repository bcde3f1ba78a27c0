import type { ModuleDefinition } from '../engine/core/definition/types.ts'
import { api } from './api-client.ts'
import { isReadOnly, recordTitleOf, targetModuleOf } from './field-values.ts'

const ID = /^[1-9]\d{0,15}$/

/**
 * Values a create form starts with, from the query of its hash:
 * `#/potentials/new?related_to=12` sets the account (the related list's
 * "Add Potential"). Only live fields a person may type into; relation and
 * user fields take a record id and come with that record's title.
 */
export async function loadPrefill(
  hash: string,
  definition: ModuleDefinition,
): Promise<{ values: Record<string, unknown>; labels: Record<string, string> }> {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''
  const values: Record<string, unknown> = {}
  const labels: Record<string, string> = {}
  const titles: Promise<void>[] = []
  for (const [name, text] of new URLSearchParams(query)) {
    const field = definition.record.properties[name]
    if (field === undefined || field['x-archived'] || isReadOnly(field)) continue
    const target = targetModuleOf(field)
    if (target !== undefined || field['x-kind'] === 'integer') {
      if (!ID.test(text)) continue
      values[name] = Number(text)
    } else if (field['x-kind'] === 'text' || field['x-kind'] === 'picklist') {
      values[name] = text
    }
    if (target !== undefined) titles.push(titleOf(target, Number(text)).then((title) => void (labels[name] = title)))
  }
  await Promise.all(titles)

  return { values, labels }
}

async function titleOf(module: string, id: number): Promise<string> {
  try {
    const [live, record] = await Promise.all([api.getModule(module), api.getRecord(module, id)])
    return recordTitleOf(live.definition, record)
  } catch {
    return `#${id}`
  }
}

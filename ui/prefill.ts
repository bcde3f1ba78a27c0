import type { ModuleDefinition } from '../engine/core/definition/types.ts'
import { api, type CrmRecord } from './api-client.ts'
import { isReadOnly, targetModuleOf } from './field-values.ts'
import { loadRecordTitle } from './record-titles.ts'

const ID = /^[1-9]\d{0,15}$/
/** `_link=potentials/12/potentials.contacts`: the record and the relation a new record joins. */
const LINK = /^([a-z][a-z0-9_]*)\/([1-9]\d{0,15})\/([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)$/

/** A record a new record is created linked to, through a many-to-many relation. */
export interface PrefillLink {
  module: string
  id: number
  relation: string
  /** "Potential “Acme radar”", for saying so above the form. */
  text: string
}

/**
 * Values a create form starts with, from the query of its hash:
 * `#/potentials/new?related_to=12` sets the account (the related list's
 * "Add Potential"). Only live fields a person may type into; relation and
 * user fields take a record id and come with that record's title.
 * `_link=potentials/12/potentials.contacts` (no field name starts with `_`)
 * names a record the new one is to be linked to through a relation without a
 * field of its own, as a deal's contacts. The new record then also starts
 * with what it shares with that record: a relation field pointing to the
 * module one of the record's fields points to takes its value (a contact
 * added from a deal starts with the deal's account), unless the query set it.
 */
export async function loadPrefill(
  hash: string,
  definition: ModuleDefinition,
): Promise<{ values: Record<string, unknown>; labels: Record<string, string>; link?: PrefillLink }> {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''
  const params = new URLSearchParams(query)
  const values: Record<string, unknown> = {}
  const labels: Record<string, string> = {}
  const titles: Promise<void>[] = []
  const link = LINK.exec(params.get('_link') ?? '')
  for (const [name, text] of params) {
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
  if (link === null) return { values, labels }
  const [, module, id, relation] = link
  await carryOver(definition, module, Number(id), values, labels)

  return { values, labels, link: { module, id: Number(id), relation, text: await describe(module, Number(id)) } }
}

/** Copies the linked record's relation values into empty relation fields to the same modules. */
async function carryOver(
  definition: ModuleDefinition,
  module: string,
  id: number,
  values: Record<string, unknown>,
  labels: Record<string, string>,
): Promise<void> {
  let source: CrmRecord
  let sourceDefinition: ModuleDefinition
  try {
    ;[source, { definition: sourceDefinition }] = await Promise.all([api.getRecord(module, id), api.getModule(module)])
  } catch {
    return
  }
  const shared = new Map<string, string>()
  for (const [name, field] of Object.entries(sourceDefinition.record.properties)) {
    const target = targetModuleOf(field)
    if (target !== undefined && field['x-kind'] !== 'user' && typeof source[name] === 'number' && !shared.has(target)) shared.set(target, name)
  }
  for (const [name, field] of Object.entries(definition.record.properties)) {
    if (field['x-archived'] || isReadOnly(field) || values[name] !== undefined) continue
    const target = targetModuleOf(field)
    const from = target === undefined || field['x-kind'] === 'user' ? undefined : shared.get(target)
    if (from === undefined || target === module) continue
    values[name] = source[from]
    const title = source._labels?.[from]
    if (title !== undefined) labels[name] = title
  }
}

/** What to create a new record with: linked through `link` when there is one. */
export function createWithLink(
  module: string,
  values: Record<string, unknown>,
  link: PrefillLink | undefined,
): Promise<CrmRecord> {
  return link
    ? api.createRelated(link.module, link.id, link.relation, values)
    : api.createRecord(module, values)
}

async function describe(module: string, id: number): Promise<string> {
  try {
    const live = await api.getModule(module)

    return `${live.definition.label.singular} “${await titleOf(module, id)}”`
  } catch {
    return `${module} #${id}`
  }
}

async function titleOf(module: string, id: number): Promise<string> {
  return (await loadRecordTitle(module, id)) ?? `#${id}`
}

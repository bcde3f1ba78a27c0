import type { ModuleDefinition } from '../engine/core/definition/types.ts'
import { api, type CrmRecord } from './api-client.ts'
import { isReadOnly, targetModuleOf } from './field-values.ts'
import { loadRecordTitle } from './record-titles.ts'

const ID = /^[1-9]\d{0,15}$/
/** `_link=potentials/12/potentials.contacts`: the record and the relation a new record joins. */
const LINK = /^([a-z][a-z0-9_]*)\/([1-9]\d{0,15})\/([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)$/

// TODO(#5): a contact added from a deal could also start with the deal's account filled in.
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
 * field of its own, as a deal's contacts.
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

  return { values, labels, link: { module, id: Number(id), relation, text: await describe(module, Number(id)) } }
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

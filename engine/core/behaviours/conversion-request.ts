import type { ConversionDefinition } from '../definition/types.ts'
import { EngineError } from '../errors.ts'
import type { FieldValues } from '../records/compose-record.ts'

/**
 * What the conversion dialog decides, read from
 * `{ createPotential: true, potential: { sales_stage, closingdate }, link: { account: 12 }, ignoreSimilar: ['contact'] }`:
 * which optional targets to make (`create<Target>`), values for new records
 * of a target (`<target>`), an existing record to use for a target (`link`),
 * and targets for which close names are no reason to stop (`ignoreSimilar`).
 */
export interface ConversionRequest {
  create: Set<string>
  values: Record<string, FieldValues>
  link: Record<string, number>
  ignoreSimilar: Set<string>
}

/** Reads a request body against the mapping's targets; throws QUERY_INVALID naming what is wrong. */
export function readConversionRequest(
  body: unknown,
  conversion: ConversionDefinition,
): ConversionRequest {
  const request: ConversionRequest = {
    create: new Set(),
    values: {},
    link: {},
    ignoreSimilar: new Set(),
  }
  if (body === undefined || body === null) return request
  if (!isObject(body)) throw refused('the body must be a JSON object')
  const targets = Object.keys(conversion.targets)
  const flags = new Map(targets.map((name) => [`create${camel(name)}`, name]))

  for (const [key, value] of Object.entries(body)) {
    if (flags.has(key)) {
      if (typeof value !== 'boolean') throw refused(`"${key}" must be true or false`)
      if (value) request.create.add(flags.get(key)!)
    } else if (targets.includes(key)) {
      if (!isObject(value)) throw refused(`"${key}" must be an object of ${key} field values`)
      request.values[key] = { ...value }
    } else if (key === 'link') {
      request.link = readLinks(value, targets)
    } else if (key === 'ignoreSimilar') {
      if (!Array.isArray(value) || value.some((name) => !targets.includes(name)))
        throw refused(`"ignoreSimilar" must list targets of the conversion: ${targets.join(', ')}`)
      request.ignoreSimilar = new Set(value as string[])
    } else {
      throw refused(
        `"${key}" is not part of a conversion request; use ${[...flags.keys(), ...targets, 'link', 'ignoreSimilar'].join(', ')}`,
      )
    }
  }

  return request
}

function readLinks(value: unknown, targets: string[]): Record<string, number> {
  if (!isObject(value)) throw refused('"link" must be an object of target name to record id')
  const links: Record<string, number> = {}
  for (const [name, id] of Object.entries(value)) {
    if (!targets.includes(name))
      throw refused(`"link.${name}" is not a target of the conversion: ${targets.join(', ')}`)
    if (!Number.isInteger(id) || (id as number) < 1)
      throw refused(`"link.${name}" must be a record id`)
    links[name] = id as number
  }

  return links
}

function camel(name: string): string {
  return name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function refused(message: string): EngineError {
  return new EngineError('QUERY_INVALID', `conversion request: ${message}`)
}

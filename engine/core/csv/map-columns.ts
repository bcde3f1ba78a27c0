import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { FieldDefinition } from '../definition/types.ts'
import { EngineError } from '../errors.ts'
import { kindOf } from '../field-types/registry.ts'
import { targetOf } from '../relations/relation-graph.ts'
import type {
  FieldMapping,
  HeaderMapping,
  ImportColumn,
  ImportOptions,
  ImportWarning,
  ValueRules,
} from './import-types.ts'
import { matchIdHeader } from './id-columns.ts'
import { recordIdSource } from './record-id-column.ts'
import { compileTemplate, type Template } from './template.ts'

/** Where one field's value comes from, and the rules that shape it. */
export interface FieldSource {
  field: string
  definition: FieldDefinition
  /** Shown in errors: the header, or the template or `default` that produced the value. */
  label: string
  column?: number
  template?: Template
  /** Used for every row when no column or template gives the value. */
  constant?: string
  default?: string
  valueMap?: Map<string, string | null>
  multiply?: string
  /** The module a relation or user field points to. */
  target?: string
  by: 'name' | 'id'
  createMissing: boolean
  /** Auto-numbers and computed fields: read for matching duplicates only, never written. */
  matchOnly: boolean
}

/** A column whose names (or ids) link records of a many-to-many relation. */
export interface LinkSource {
  relation: string
  target: string
  label: string
  /** How the cell names the linked records: by title, or by id (the lossless export's `(ids)` columns). */
  by: 'name' | 'id'
  column?: number
  template?: Template
  default?: string
  valueMap?: Map<string, string | null>
}

export interface ColumnPlan {
  columns: ImportColumn[]
  sources: FieldSource[]
  links: LinkSource[]
  warnings: ImportWarning[]
}

/** The field a runtime treats as a record's currency (its picklist of ISO codes). */
export const CURRENCY_FIELD = 'currency_code'

/**
 * Matches the header to fields: the explicit mapping first, then (unless
 * `autoMatch` is false) field name, label and `csv.aliases`, compared trimmed,
 * ignoring case and treating `_` like a space. Each field takes the first
 * column that matches it; the other columns are listed as not imported.
 * Misused options (unknown fields, headers the file lacks) throw CSV_INVALID.
 */
export function mapColumns(
  runtime: ModuleRuntime,
  headers: string[],
  options: ImportOptions,
): ColumnPlan {
  const keys = headers.map(normalizeHeader)
  const indexOf = (header: string, owner: string): number => {
    const index = keys.indexOf(normalizeHeader(header))
    if (index === -1)
      throw new EngineError(
        'CSV_INVALID',
        `the mapping of "${owner}" names the column "${header}", which the file does not have; its columns are: ${headers.join(', ')}`,
        { header },
      )

    return index
  }
  const columns: ImportColumn[] = headers.map((header) => ({ header, field: null }))
  const sources = new Map<string, FieldSource>()
  const links: LinkSource[] = []
  const claimed = new Set<number>()
  const relations = new Map(
    (runtime.definition.relations ?? []).map((relation) => [relation.name, relation]),
  )

  for (const [key, entry] of Object.entries(options.mapping ?? {})) {
    if (isHeaderMapping(runtime, key, entry)) {
      const index = indexOf(key, key)
      claimed.add(index)
      if (entry.relation !== undefined) {
        const relation = relations.get(entry.relation)
        if (!relation) throw unknownTarget(runtime, entry.relation)
        links.push({
          relation: relation.name,
          target: relation.module,
          label: headers[index],
          column: index,
          ...rulesOf(entry),
        })
        columns[index] = { header: headers[index], field: null, relation: relation.name }
      } else if (entry.field === null || entry.field === undefined) {
        columns[index].note = 'ignored by the mapping'
      } else {
        const field = fieldOrThrow(runtime, entry.field)
        sources.set(
          entry.field,
          sourceOf(runtime, entry.field, field, entry, { column: index, label: headers[index] }),
        )
        columns[index] = { header: headers[index], field: entry.field }
      }
      continue
    }
    const fieldEntry = entry as FieldMapping
    const index = fieldEntry.column === undefined ? undefined : indexOf(fieldEntry.column, key)
    if (index !== undefined) claimed.add(index)
    const template =
      fieldEntry.template === undefined
        ? undefined
        : compileTemplate(fieldEntry.template, (header) => indexOf(header, key))
    const label =
      index !== undefined
        ? headers[index]
        : fieldEntry.template !== undefined
          ? `template ${fieldEntry.template}`
          : 'default'
    if (relations.has(key) && !runtime.fields.has(key)) {
      const relation = relations.get(key)!
      links.push({
        relation: key,
        target: relation.module,
        label,
        column: index,
        template,
        ...rulesOf(fieldEntry),
      })
      if (index !== undefined)
        columns[index] = { header: headers[index], field: null, relation: key }
      continue
    }
    const field = fieldOrThrow(runtime, key)
    if (index === undefined && template === undefined && fieldEntry.default === undefined) {
      throw new EngineError(
        'CSV_INVALID',
        `the mapping of "${key}" needs a column, a template or a default`,
        { field: key },
      )
    }
    const source = sourceOf(runtime, key, field, fieldEntry, { column: index, template, label })
    if (index === undefined && template === undefined) {
      source.constant = fieldEntry.default
      source.default = undefined
    }
    sources.set(key, source)
    if (index !== undefined) columns[index] = { header: headers[index], field: key }
  }

  if (options.autoMatch !== false) {
    const candidates = matchCandidates(runtime)
    keys.forEach((key, index) => {
      if (claimed.has(index)) return
      // TODO(#4): an id column beside a name column of one relation (the id wins when present)
      // needs two sources for one field; today a column maps a relation by name or by id (`by`).
      // A lossless export heads relations written as ids `Account Name (id)`, `Products (ids)`.
      const byId = candidates.has(key) ? undefined : matchIdHeader(key, candidates, runtime, normalizeHeader)
      const field = candidates.get(key) ?? (byId && 'field' in byId ? byId.field : undefined)
      if (field !== undefined && sources.has(field)) {
        columns[index].note =
          `not imported: ${field} already comes from column "${sources.get(field)!.label}"`
      }
      if (field !== undefined && !sources.has(field)) {
        sources.set(
          field,
          sourceOf(
            runtime,
            field,
            runtime.fields.get(field)!,
            byId ? { by: 'id' } : {},
            { column: index, label: headers[index] },
          ),
        )
        columns[index] = { header: headers[index], field }
      } else {
        const relation =
          byId !== undefined
            ? 'relation' in byId ? byId.relation : undefined
            : [...relations.values()].find(
                (item) => normalizeHeader(item.name) === key || normalizeHeader(item.label) === key,
              )
        if (relation && !links.some((link) => link.relation === relation.name)) {
          links.push({
            relation: relation.name,
            target: relation.module,
            label: headers[index],
            column: index,
            by: byId ? 'id' : 'name',
          })
          columns[index] = { header: headers[index], field: null, relation: relation.name }
        }
      }
    })
  }

  for (const [field, text] of Object.entries(options.defaults ?? {})) {
    const definition = fieldOrThrow(runtime, field)
    const source = sources.get(field)
    if (source) source.default ??= text
    else
      sources.set(field, {
        ...sourceOf(runtime, field, definition, {}, { label: 'default' }),
        constant: text,
      })
  }
  for (const [field, map] of Object.entries(options.valueMap ?? {})) {
    fieldOrThrow(runtime, field)
    const source = sources.get(field)
    if (source) source.valueMap = new Map([...(source.valueMap ?? []), ...toValueMap(map)])
  }
  const idSource = sources.has('id')
    ? undefined
    : recordIdSource(headers, (index) => claimed.has(index) || columns[index].field !== null || columns[index].relation !== undefined)
  if (idSource) {
    sources.set(idSource.field, idSource)
    columns[idSource.column!] = { header: headers[idSource.column!], field: idSource.field }
  }
  for (const source of sources.values()) {
    if (source.matchOnly && source.column !== undefined)
      columns[source.column].note = 'read-only: used to find duplicates, never written'
  }
  for (const column of columns) {
    if (column.field === null && column.relation === undefined)
      column.note ??= 'not mapped: its values will not be imported'
  }

  return {
    columns,
    sources: ordered([...sources.values()]),
    links,
    warnings: warningsOf(runtime, columns, sources),
  }
}

/** The form headers are compared in: NFC, no byte order mark, trimmed, lower case, `_` as space. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFC')
    .replace(/^\ufeff/, '')
    .trim()
    .toLocaleLowerCase()
    .replace(/[\s_]+/g, ' ')
}

function isHeaderMapping(
  runtime: ModuleRuntime,
  key: string,
  entry: HeaderMapping | FieldMapping,
): entry is HeaderMapping {
  if ('field' in entry || 'relation' in entry) return true
  const known =
    runtime.fields.has(key) ||
    (runtime.definition.relations ?? []).some((relation) => relation.name === key)
  if (!known) {
    throw new EngineError(
      'CSV_INVALID',
      `the mapping names "${key}", which is neither a field nor a relation of ${runtime.definition.label.plural}; to map a column give { "field": ... }`,
      { key },
    )
  }

  return false
}

/** Name, then label, then alias: an earlier kind of match wins over a later one. */
function matchCandidates(runtime: ModuleRuntime): Map<string, string> {
  const found = new Map<string, string>()
  const add = (text: string, field: string) => {
    const key = normalizeHeader(text)
    if (!found.has(key)) found.set(key, field)
  }
  for (const name of runtime.fields.keys()) add(name, name)
  for (const [name, field] of runtime.fields) add(field.title, name)
  for (const [name, aliases] of Object.entries(runtime.definition.csv?.aliases ?? {})) {
    if (runtime.fields.has(name)) for (const alias of aliases) add(alias, name)
  }

  return found
}

function sourceOf(
  runtime: ModuleRuntime,
  name: string,
  field: FieldDefinition,
  rules: ValueRules,
  place: { column?: number; template?: Template; label: string },
): FieldSource {
  const target = targetOf(field)

  return {
    field: name,
    definition: field,
    label: place.label,
    column: place.column,
    template: place.template,
    default: rules.default,
    valueMap: rules.valueMap ? toValueMap(rules.valueMap) : undefined,
    multiply: rules.multiply === undefined ? undefined : String(rules.multiply),
    target,
    by: rules.by ?? 'name',
    createMissing: rules.createMissing === true,
    matchOnly: kindOf(field).isGenerated === true,
  }
}

function rulesOf(rules: ValueRules): Pick<LinkSource, 'default' | 'valueMap' | 'by'> {
  return {
    by: rules.by ?? 'name',
    default: rules.default,
    valueMap: rules.valueMap ? toValueMap(rules.valueMap) : undefined,
  }
}

/** Keys of value maps are compared like cells: trimmed, NFC, lower case. */
export function valueKey(text: string): string {
  return text.normalize('NFC').trim().toLocaleLowerCase()
}

function toValueMap(map: Record<string, string | null>): Map<string, string | null> {
  return new Map(Object.entries(map).map(([key, value]) => [valueKey(key), value]))
}

/** The currency field goes first: amounts of a row are read in the row's currency. */
function ordered(sources: FieldSource[]): FieldSource[] {
  return [
    ...sources.filter((source) => source.field === CURRENCY_FIELD),
    ...sources.filter((source) => source.field !== CURRENCY_FIELD),
  ]
}

function fieldOrThrow(runtime: ModuleRuntime, name: string): FieldDefinition {
  const field = runtime.fields.get(name)
  if (!field) throw unknownTarget(runtime, name)

  return field
}

function unknownTarget(runtime: ModuleRuntime, name: string): EngineError {
  return new EngineError(
    'CSV_INVALID',
    `"${name}" is not a field or relation of ${runtime.definition.label.plural}`,
    { field: name },
  )
}

function warningsOf(
  runtime: ModuleRuntime,
  columns: ImportColumn[],
  sources: Map<string, FieldSource>,
): ImportWarning[] {
  const warnings: ImportWarning[] = []
  for (const name of runtime.required) {
    const field = runtime.fields.get(name)
    if (
      !field ||
      sources.has(name) ||
      kindOf(field).isGenerated ||
      field.default !== undefined ||
      name === runtime.definition.ownerField
    )
      continue
    warnings.push({
      code: 'unmapped-required',
      blocking: false,
      message: `${field.title} is required but no column maps to it: every row will be refused unless a default is given`,
    })
  }
  for (const column of columns) {
    if (column.field === null && column.relation === undefined) {
      warnings.push({
        code: 'ignored-column',
        blocking: false,
        column: column.header,
        message: `column "${column.header}" is ${column.note}`,
      })
    }
  }

  return warnings
}

import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { EngineError, type Issue } from '../errors.ts'
import { DEFAULT_TEXT_FORMAT } from '../field-types/field-kind.ts'
import { kindOf } from '../field-types/registry.ts'
import { toColumnName } from './module-table.ts'

export type FilterOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'in' | 'empty'

export interface ListFilter {
  field: string
  operator: FilterOperator
  /** The value as text, read by the field's kind (`in` separates values with commas). */
  value: string
}

/** What a list asks for. Field names are checked against the definition. */
export interface ListQuery {
  q?: string
  filters?: ListFilter[]
  /** Field names, `-` in front for descending. */
  sort?: string[]
  limit?: number
  offset?: number
  /** The recycle bin: deleted records instead of live ones. */
  deleted?: boolean
  /** False skips counting the matches (`total` is then -1): a keyset-paged export would count the rest of the table on every page. */
  countTotal?: boolean
}

/** What the reader may see: only some owners' records, and not the hidden fields. */
export interface ListAccess {
  owners?: { field: string; ids: number[] }
  hidden?: ReadonlySet<string>
  /** The reader, so a user field can be filtered by `me`. */
  actorId?: number
}

export const MAX_PAGE_SIZE = 500
const SYSTEM_SORTABLE = new Set(['id', 'created_at', 'updated_at', 'version', 'deleted_at'])
const OPERATORS = new Set<FilterOperator>(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'in', 'empty'])
const SQL_OPERATORS = { eq: '=', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const

/**
 * Narrows a select of one module table to a list query's filters, search and
 * deleted state. Every value is a bound parameter; every name was checked.
 */
export function applyListFilters<Q extends SelectQueryBuilder<any, any, any>>(
  runtime: ModuleRuntime,
  query: Q,
  list: ListQuery,
  access: ListAccess = {},
): Q {
  const issues: Issue[] = []
  let result = query.where('deleted_at', list.deleted ? 'is not' : 'is', null) as Q
  if (access.owners) {
    const ids = access.owners.ids.length > 0 ? access.owners.ids : [0]
    result = result.where(toColumnName(access.owners.field), 'in', ids) as Q
  }
  for (const filter of list.filters ?? []) {
    // A hidden field answers like an unknown one, so filters cannot probe its values.
    const condition = access.hidden?.has(filter.field) ? unknownField(runtime, filter, issues) : filterCondition(runtime, filter, issues, access.actorId)
    if (condition) result = result.where(condition) as Q
  }
  const text = list.q?.trim()
  if (text) {
    const searchable = [...runtime.fields].filter(([name, field]) => field['x-searchable'] && !access.hidden?.has(name)).map(([name]) => toColumnName(name))
    const pattern = `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`
    if (searchable.length > 0) {
      result = result.where((eb: ExpressionBuilder<any, any>) =>
        eb.or(searchable.map((column) => sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`)),
      ) as Q
    }
  }
  if (issues.length > 0) throw new EngineError('QUERY_INVALID', issues[0].message, { issues })

  return result
}

/** Adds ORDER BY for the list's sort keys, with the id last so pages never overlap. */
export function applyListSort<Q extends SelectQueryBuilder<any, any, any>>(runtime: ModuleRuntime, query: Q, sort: string[] = [], access: ListAccess = {}): Q {
  let result = query
  for (const key of sort) {
    const descending = key.startsWith('-')
    const name = descending ? key.slice(1) : key
    if ((!runtime.fields.has(name) && !SYSTEM_SORTABLE.has(name)) || access.hidden?.has(name)) {
      throw new EngineError('QUERY_INVALID', `cannot sort by "${name}": it is not a field of ${runtime.definition.label.plural}`, {
        issues: [{ path: '/sort', field: name, code: 'sort', message: `unknown sort field "${name}"` }],
      })
    }
    result = result.orderBy(runtime.fields.has(name) ? toColumnName(name) : name, descending ? 'desc' : 'asc') as Q
  }
  if (!sort.some((key) => key.replace(/^-/, '') === 'id')) result = result.orderBy('id', 'asc') as Q

  return result
}

export function pageOf(list: ListQuery): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(list.limit ?? 50), 1), MAX_PAGE_SIZE)
  const offset = Math.max(Math.trunc(list.offset ?? 0), 0)

  return { limit, offset }
}

function unknownField(runtime: ModuleRuntime, filter: ListFilter, issues: Issue[]): null {
  issues.push({ path: `/filter/${filter.field}`, field: filter.field, code: 'filter', message: `cannot filter by "${filter.field}": it is not a field of ${runtime.definition.label.plural}` })

  return null
}

function filterCondition(runtime: ModuleRuntime, filter: ListFilter, issues: Issue[], actorId?: number) {
  const field = runtime.fields.get(filter.field)
  const systemField = filter.field === 'id' || filter.field === 'created_at' || filter.field === 'updated_at'
  const path = `/filter/${filter.field}`
  if (field === undefined && !systemField) {
    issues.push({ path, field: filter.field, code: 'filter', message: `cannot filter by "${filter.field}": it is not a field of ${runtime.definition.label.plural}` })

    return null
  }
  if (!OPERATORS.has(filter.operator)) {
    issues.push({ path, field: filter.field, code: 'filter', message: `unknown filter operator "${filter.operator}"; use one of ${[...OPERATORS].join(', ')}` })

    return null
  }
  const column = field ? toColumnName(filter.field) : filter.field
  const parse = (text: string): unknown => {
    if (!field) {
      if (filter.field !== 'id') return text
      if (/^\d{1,15}$/.test(text.trim())) return Number(text)
      issues.push({ path, field: 'id', code: 'filter', message: `filter on id: "${text}" is not a record id` })

      return null
    }
    // "Owner is me": a user field filtered by `me` means the reader.
    if (field['x-kind'] === 'user' && text.trim().toLowerCase() === 'me') {
      if (actorId !== undefined) return actorId
      issues.push({ path, field: filter.field, code: 'filter', message: `filter on ${field.title}: "me" needs a logged-in reader` })

      return null
    }
    const parsed = kindOf(field).parseText(text, field, DEFAULT_TEXT_FORMAT)
    if (!parsed.ok) {
      issues.push({ path, field: filter.field, code: 'filter', message: `filter on ${field.title}: ${parsed.message}` })

      return null
    }

    return kindOf(field).toColumn(parsed.value, field)
  }

  return (eb: ExpressionBuilder<any, any>) => {
    if (filter.operator === 'empty') return filter.value === 'false' ? eb(column, 'is not', null) : eb(column, 'is', null)
    if (filter.operator === 'contains') {
      const pattern = `%${filter.value.replace(/[\\%_]/g, (match) => `\\${match}`)}%`

      return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`
    }
    if (filter.operator === 'in') return eb(column, 'in', filter.value.split(',').map((part) => parse(part)))

    return eb(column, SQL_OPERATORS[filter.operator], parse(filter.value))
  }
}

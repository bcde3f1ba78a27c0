import type { ModuleRuntime } from '../definition/module-runtime.ts'
import { EngineError } from '../errors.ts'
import type { ListFilter } from '../storage/list-query.ts'
import type { Executor } from '../storage/open-database.ts'

/** A list view a user saved: search, filters, sort and columns of one module. */
export interface SavedView {
  id: number
  module: string
  user_id: number
  name: string
  shared: boolean
  query: SavedQuery
  /** Fields the view names that the module no longer has (archived or purged); the list shows them as removed. */
  broken: string[]
}

export interface SavedQuery {
  q?: string
  filters?: ListFilter[]
  sort?: string[]
  columns?: string[]
}

export async function createSavedViewTable(db: Executor): Promise<void> {
  await db.schema
    .createTable('_saved_views')
    .ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('user_id', 'integer', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('shared', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('query', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute()
}

/** The views a user may pick in a module: their own and the shared ones. */
export async function listSavedViews(db: Executor, runtime: ModuleRuntime, userId: number): Promise<SavedView[]> {
  const rows = (await db
    .selectFrom('_saved_views')
    .selectAll()
    .where('module', '=', runtime.name)
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('shared', '=', 1)]))
    .orderBy('name')
    .execute()) as Record<string, unknown>[]

  return rows.map((row) => toView(runtime, row))
}

/** Creates or replaces (by id) a view after checking its field names against the definition. */
export async function saveView(db: Executor, runtime: ModuleRuntime, userId: number, input: { id?: number; name: unknown; shared?: unknown; query: unknown }): Promise<SavedView> {
  const query = checkQuery(runtime, input.query)
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 100) throw new EngineError('RECORD_INVALID', 'a view needs a name of 1 to 100 characters')
  const values = { module: runtime.name, user_id: userId, name: input.name.trim(), shared: input.shared === true ? 1 : 0, query: JSON.stringify(query), created_at: new Date().toISOString() }
  let id = input.id
  if (id === undefined) {
    id = Number(((await db.insertInto('_saved_views').values(values).returning('id').executeTakeFirstOrThrow()) as { id: unknown }).id)
  } else {
    const result = await db.updateTable('_saved_views').set(values).where('id', '=', id).where('user_id', '=', userId).where('module', '=', runtime.name).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new EngineError('RECORD_NOT_FOUND', `you have no saved view ${id}`)
  }
  const row = (await db.selectFrom('_saved_views').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Record<string, unknown>

  return toView(runtime, row)
}

export async function deleteView(db: Executor, module: string, userId: number, id: number): Promise<void> {
  const result = await db.deleteFrom('_saved_views').where('id', '=', id).where('user_id', '=', userId).where('module', '=', module).executeTakeFirst()
  if (Number(result.numDeletedRows) === 0) throw new EngineError('RECORD_NOT_FOUND', `you have no saved view ${id}`)
}

/** Saved views follow a field rename in the same transaction as the schema change. */
export async function renameInSavedViews(db: Executor, module: string, renames: Record<string, string>): Promise<void> {
  if (Object.keys(renames).length === 0) return
  const swap = (name: string) => (Object.hasOwn(renames, name) ? renames[name] : name)
  const rows = (await db.selectFrom('_saved_views').select(['id', 'query']).where('module', '=', module).execute()) as { id: number; query: string }[]
  for (const row of rows) {
    const query = JSON.parse(row.query) as SavedQuery
    const next: SavedQuery = {
      ...query,
      filters: query.filters?.map((filter) => ({ ...filter, field: swap(filter.field) })),
      sort: query.sort?.map((key) => (key.startsWith('-') ? `-${swap(key.slice(1))}` : swap(key))),
      columns: query.columns?.map(swap),
    }
    if (JSON.stringify(next) !== row.query) await db.updateTable('_saved_views').set({ query: JSON.stringify(next) }).where('id', '=', row.id).execute()
  }
}

/** How many saved views of a module name a field, for the plan of a change. */
export async function countViewsUsing(db: Executor, module: string, field: string): Promise<number> {
  const rows = (await db.selectFrom('_saved_views').select('query').where('module', '=', module).execute()) as { query: string }[]

  return rows.filter((row) => fieldsOf(JSON.parse(row.query)).includes(field)).length
}

function checkQuery(runtime: ModuleRuntime, raw: unknown): SavedQuery {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EngineError('RECORD_INVALID', 'a view needs a query object { q, filters, sort, columns }')
  const input = raw as Record<string, unknown>
  const query: SavedQuery = {}
  if (typeof input.q === 'string') query.q = input.q.slice(0, 200)
  if (Array.isArray(input.filters)) {
    query.filters = input.filters.map((filter) => {
      const item = filter as Record<string, unknown>

      return { field: String(item.field), operator: String(item.operator ?? 'eq') as ListFilter['operator'], value: String(item.value ?? '') }
    })
  }
  if (Array.isArray(input.sort)) query.sort = input.sort.map(String)
  if (Array.isArray(input.columns)) query.columns = input.columns.map(String)
  const known = new Set([...runtime.fields.keys(), 'id', 'created_at', 'updated_at'])
  const unknown = fieldsOf(query).filter((name) => !known.has(name))
  if (unknown.length > 0) throw new EngineError('RECORD_INVALID', `the view names ${unknown.map((name) => `"${name}"`).join(', ')}, which are not fields of ${runtime.definition.label.plural}`)

  return query
}

function fieldsOf(query: SavedQuery): string[] {
  return [...new Set([...(query.filters ?? []).map((filter) => filter.field), ...(query.sort ?? []).map((key) => key.replace(/^-/, '')), ...(query.columns ?? [])])]
}

function toView(runtime: ModuleRuntime, row: Record<string, unknown>): SavedView {
  const query = JSON.parse(String(row.query)) as SavedQuery
  const known = new Set([...runtime.fields.keys(), 'id', 'created_at', 'updated_at'])

  return {
    id: Number(row.id),
    module: String(row.module),
    user_id: Number(row.user_id),
    name: String(row.name),
    shared: Number(row.shared) === 1,
    query,
    broken: fieldsOf(query).filter((name) => !known.has(name)),
  }
}

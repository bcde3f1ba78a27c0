import { sql } from 'kysely'
import { hiddenFields, permissionOf, redact } from '../access/access-policy.ts'
import { selectHistory, type HistoryEntry } from '../behaviours/record-history.ts'
import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor, Engine } from '../engine.ts'
import { EngineError } from '../errors.ts'
import { listAccessOf } from '../records/record-service.ts'
import { titlesOf } from '../records/resolve-labels.ts'
import { applyListFilters } from '../storage/list-query.ts'
import { toColumnName } from '../storage/module-table.ts'
import type { Executor } from '../storage/open-database.ts'
import { fromRow, selectedColumns } from '../storage/record-rows.ts'

/** One entry of a record's timeline: a comment, a record logged against it (a call, a document) or a change. */
export interface TimelineItem {
  /** `comment`, `change`, or the kind a parent-linked module declares (`activity`, `document`). */
  kind: string
  at: string
  by: { id: number; name: string } | null
  title: string
  body?: string
  /** Where the entry leads: the linked record, or its file's download. */
  link?: string
  record?: { module: string; id: number }
}

export interface TimelinePage {
  items: TimelineItem[]
  total: number
}

/** Most entries one page holds, and how deep paging may go. */
export const MAX_TIMELINE_PAGE = 100
export const MAX_TIMELINE_DEPTH = 5000

type Entry = Omit<TimelineItem, 'by'> & { byId: number | null; order: number }
type Source = { items: Entry[]; total: number }

/**
 * A record's comments, the records of every module linked to it by a parent
 * link that declares a timeline (activities, documents) and its audit trail,
 * as one list, newest first, paged. Only what the actor may see: the record
 * itself (RECORD_NOT_FOUND otherwise), linked records under their module's
 * visibility, and no hidden field's value.
 *
 * @example
 * const { items, total } = await readTimeline(engine, 'potentials', 4, actor, { limit: 20 })
 */
export async function readTimeline(
  engine: Engine,
  module: string,
  id: number,
  actor: Actor,
  page: { limit?: number; offset?: number } = {},
): Promise<TimelinePage> {
  const runtime = engine.runtime(module)
  await engine.records.get(module, id, actor)
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 20), 1), MAX_TIMELINE_PAGE)
  const offset = Math.max(Math.trunc(page.offset ?? 0), 0)
  if (offset + limit > MAX_TIMELINE_DEPTH)
    throw new EngineError(
      'QUERY_INVALID',
      `a timeline pages at most ${MAX_TIMELINE_DEPTH} entries deep; filter the history instead`,
    )
  // Each source answers its newest `depth` entries; merged, they hold the page exactly.
  const depth = offset + limit

  return engine.db.read(async (reader) => {
    const sources: Source[] = [await commentsOf(reader, module, id, depth)]
    for (const other of engine.runtimes().values())
      sources.push(await linkedRecordsOf(reader, other, { module, id }, actor, depth))
    sources.push(await changesOf(reader, runtime, id, actor, depth))
    const merged = sources
      .flatMap((source) => source.items)
      .sort((left, right) => right.at.localeCompare(left.at) || right.order - left.order)
    const items = await withAuthors(reader, engine, merged.slice(offset, offset + limit))

    return { items, total: sources.reduce((sum, source) => sum + source.total, 0) }
  })
}

async function commentsOf(
  reader: Executor,
  module: string,
  id: number,
  depth: number,
): Promise<Source> {
  const base = reader
    .selectFrom('_comments')
    .where('module', '=', module)
    .where('record_id', '=', id)
  const rows = (await base
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(depth)
    .execute()) as Record<string, unknown>[]
  const counted = (await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow()) as { total: number }

  return {
    total: Number(counted.total),
    items: rows.map((row) => ({
      kind: 'comment',
      at: String(row.created_at),
      byId: row.author_id == null ? null : Number(row.author_id),
      title: 'Comment',
      body: String(row.body),
      order: Number(row.id),
    })),
  }
}

async function linkedRecordsOf(
  reader: Executor,
  other: ModuleRuntime,
  parent: { module: string; id: number },
  actor: Actor,
  depth: number,
): Promise<Source> {
  const link = other.definition.behaviours?.parentLink
  if (!link?.timeline || !permissionOf(actor, other.name).view) return { items: [], total: 0 }
  const access = listAccessOf(actor, other)
  const base = applyListFilters(other, reader.selectFrom(other.name), {}, access)
    .where(toColumnName(link.moduleField), '=', parent.module)
    .where(toColumnName(link.idField), '=', parent.id)
  const atField =
    link.timeline.at !== undefined && !access.hidden?.has(link.timeline.at)
      ? link.timeline.at
      : undefined
  const at =
    atField === undefined
      ? sql<string>`created_at`
      : sql<string>`coalesce(${sql.ref(toColumnName(atField))}, created_at)`
  const rows = (await base
    .select([...selectedColumns(other), at.as('timeline_at')])
    .orderBy('timeline_at', 'desc')
    .orderBy('id', 'desc')
    .limit(depth)
    .execute()) as Record<string, unknown>[]
  const counted = (await base
    .select(sql<number>`count(*)`.as('total'))
    .executeTakeFirstOrThrow()) as { total: number }
  const hasFile = other.definition.behaviours?.file !== undefined

  const items = rows.map((row): Entry => {
    const record = redact(actor, other, fromRow(other, row))
    const body = link.timeline!.body === undefined ? undefined : record[link.timeline!.body]
    const title = other.titleField === undefined ? undefined : record[other.titleField]

    return {
      kind: link.timeline!.kind,
      at: String(row.timeline_at),
      byId: record.created_by,
      title:
        typeof title === 'string' && title !== ''
          ? title
          : `${other.definition.label.singular} ${record.id}`,
      ...(typeof body === 'string' && body !== '' ? { body } : {}),
      link: hasFile
        ? `/api/modules/${other.name}/records/${record.id}/file`
        : `/api/modules/${other.name}/records/${record.id}`,
      record: { module: other.name, id: record.id },
      order: record.id,
    }
  })

  return { items, total: Number(counted.total) }
}

async function changesOf(
  reader: Executor,
  runtime: ModuleRuntime,
  id: number,
  actor: Actor,
  depth: number,
): Promise<Source> {
  const page = await selectHistory(reader, runtime.name, { recordId: id, limit: depth })
  const hidden = hiddenFields(actor, runtime)

  return {
    total: page.total,
    items: page.items.map((entry) => describeChange(runtime, entry, hidden)),
  }
}

const ACTION_TITLES: Record<string, string> = {
  create: 'Created',
  delete: 'Moved to the recycle bin',
  restore: 'Restored from the recycle bin',
}

function describeChange(runtime: ModuleRuntime, entry: HistoryEntry, hidden: Set<string>): Entry {
  const changed = Object.entries(entry.changes).filter(
    ([name]) => !hidden.has(name) && runtime.fields.has(name),
  )
  const label = (name: string) => runtime.fields.get(name)!.title
  const title =
    ACTION_TITLES[entry.action] ??
    (changed.length > 0 ? `Changed ${changed.map(([name]) => label(name)).join(', ')}` : 'Changed')
  const lines =
    entry.action === 'update'
      ? changed.map(([name, [from, to]]) => `${label(name)}: ${shown(from)} → ${shown(to)}`)
      : []

  return {
    kind: 'change',
    at: entry.at,
    byId: entry.actor_id,
    title,
    ...(lines.length > 0 ? { body: lines.join('\n') } : {}),
    order: entry.id,
  }
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)'
  const text = Array.isArray(value)
    ? value.join(', ')
    : typeof value === 'string'
      ? value
      : JSON.stringify(value)

  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}

async function withAuthors(
  reader: Executor,
  engine: Engine,
  entries: Entry[],
): Promise<TimelineItem[]> {
  const ids = [
    ...new Set(
      entries.map((entry) => entry.byId).filter((value): value is number => value !== null),
    ),
  ]
  const names = await titlesOf(reader, engine.runtime('users'), ids)

  return entries.map(({ byId, order, ...item }) => ({
    ...item,
    by: byId === null ? null : { id: byId, name: names.get(byId) ?? `#${byId}` },
  }))
}

import { Hono } from 'hono'
import { hiddenFields } from '../../core/access/access-policy.ts'
import { selectHistory, type HistoryEntry } from '../../core/behaviours/record-history.ts'
import { EngineError } from '../../core/errors.ts'
import { titlesOf } from '../../core/records/resolve-labels.ts'
import type { AppEnv } from '../app-env.ts'
import { readId } from '../read-id.ts'

/**
 * The audit trail: `GET /api/modules/:m/history?field=sales_stage` for a
 * module, `GET /api/modules/:m/records/:id/history` for one record. Only
 * records the caller may see; hidden fields stay hidden.
 */
export function historyRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:module/records/:id/history', async (c) => {
    const engine = c.get('engine')
    const module = c.req.param('module')
    const id = readId(c.req.param('id'))
    await engine.records.get(module, id, c.get('user'))

    const page = await engine.db.read((db) => selectHistory(db, module, { recordId: id, ...readHistoryQuery(c.req.url, engine.runtime(module).fields) }))

    return c.json(await withActorNames(engine, withoutHidden(page, hiddenFields(c.get('user'), engine.runtime(module)))))
  })

  app.get('/:module/history', async (c) => {
    const engine = c.get('engine')
    const module = c.req.param('module')
    const user = c.get('user')
    const runtime = engine.runtime(module)
    // A module-wide trail shows records of everyone: only for roles that see all records.
    if (!user.isAdmin && user.access && (user.access.role.modules?.[module] ?? user.access.role.defaults).visibility !== 'all') {
      throw new EngineError('FORBIDDEN', 'your role sees only its own records; open the history of one record instead')
    }

    const page = await engine.db.read((db) => selectHistory(db, module, readHistoryQuery(c.req.url, runtime.fields)))

    return c.json(await withActorNames(engine, withoutHidden(page, hiddenFields(user, runtime))))
  })

  return app
}

/** Adds `actor_name` to each entry, so clients need no lookup per person. */
async function withActorNames(engine: AppEnv['Variables']['engine'], page: { items: HistoryEntry[]; total: number }) {
  const ids = [...new Set(page.items.map((item) => item.actor_id).filter((id): id is number => id !== null))]
  const names = await engine.db.read((db) => titlesOf(db, engine.runtime('users'), ids))

  return { ...page, items: page.items.map((item) => ({ ...item, actor_name: item.actor_id === null ? null : names.get(item.actor_id) ?? `#${item.actor_id}` })) }
}

function withoutHidden(page: { items: HistoryEntry[]; total: number }, hidden: Set<string>): { items: HistoryEntry[]; total: number } {
  if (hidden.size === 0) return page
  const keep = <T>(values: Record<string, T>) => Object.fromEntries(Object.entries(values).filter(([name]) => !hidden.has(name)))

  return { ...page, items: page.items.map((item) => ({ ...item, changes: keep(item.changes), snapshot: keep(item.snapshot) })) }
}

function readHistoryQuery(url: string, fields: ReadonlyMap<string, unknown>) {
  const params = new URL(url).searchParams
  const field = params.get('field') ?? undefined
  if (field !== undefined && !fields.has(field)) throw new EngineError('QUERY_INVALID', `"${field}" is not a field of this module`)
  const number = (name: string) => {
    const text = params.get(name)
    if (text === null) return undefined
    if (!/^\d{1,6}$/.test(text)) throw new EngineError('QUERY_INVALID', `${name} must be a whole number`)

    return Number(text)
  }

  return { field, limit: number('limit'), offset: number('offset') }
}

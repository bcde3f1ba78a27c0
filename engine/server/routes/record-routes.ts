import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
import { readId } from '../read-id.ts'
import { readJsonObject } from '../read-json.ts'
import { readListQuery } from './list-query-params.ts'

/** Records of any module, their relation menus, related lists, creating a linked record, link and unlink. */
export function recordRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:module/records', async (c) => c.json(await c.get('engine').records.list(c.req.param('module'), readListQuery(c.req.url), c.get('user'))))

  app.post('/:module/records', async (c) => {
    const record = await c.get('engine').records.create(c.req.param('module'), await readJsonObject(c), c.get('user'))

    return c.json(record, 201)
  })

  app.post('/:module/records/mass-update', async (c) => {
    const body = await readJsonObject(c)
    const ids = body.ids
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id) || (id as number) < 1)) badRequest('send { "ids": [record ids], "values": { field: value } }')
    if (typeof body.values !== 'object' || body.values === null || Array.isArray(body.values)) badRequest('"values" must be an object of field values')
    const result = await c.get('engine').records.massUpdate(c.req.param('module'), ids as number[], body.values as Record<string, unknown>, c.get('user'))
    c.get('logger').info({ reqId: c.get('requestId'), module: c.req.param('module'), updated: result.updated.length, failed: result.failed.length }, 'mass update')

    return c.json({ ...result, summary: `${result.updated.length} updated, ${result.failed.length} failed` })
  })

  app.get('/:module/records/:id', async (c) => {
    const record = await c.get('engine').records.get(c.req.param('module'), readId(c.req.param('id')), c.get('user'))
    c.header('ETag', `"${record.version}"`)

    return c.json(record)
  })

  app.patch('/:module/records/:id', async (c) => {
    const ifMatch = c.req.header('if-match')
    const expectedVersion = ifMatch === undefined ? undefined : readVersion(ifMatch)
    const record = await c
      .get('engine')
      .records.update(c.req.param('module'), readId(c.req.param('id')), await readJsonObject(c), c.get('user'), { expectedVersion })
    c.header('ETag', `"${record.version}"`)

    return c.json(record)
  })

  app.delete('/:module/records/:id', async (c) => {
    await c.get('engine').records.remove(c.req.param('module'), readId(c.req.param('id')), c.get('user'))

    return c.body(null, 204)
  })

  app.post('/:module/records/:id/restore', async (c) =>
    c.json(await c.get('engine').records.restore(c.req.param('module'), readId(c.req.param('id')), c.get('user'))),
  )

  app.get('/:module/records/:id/relations', async (c) =>
    c.json({ items: await c.get('engine').relations.menu(c.req.param('module'), readId(c.req.param('id')), c.get('user')) }),
  )

  app.get('/:module/records/:id/related/:relation', async (c) => {
    const { module, id, relation } = c.req.param()

    return c.json(await c.get('engine').relations.related(module, readId(id), relation, readListQuery(c.req.url), c.get('user')))
  })

  // A new record of the related module, linked to this one in the same transaction.
  app.post('/:module/records/:id/related/:relation', async (c) => {
    const { module, id, relation } = c.req.param()
    const created = await c.get('engine').relations.createRelated(module, readId(id), relation, await readJsonObject(c), c.get('user'))

    return c.json(created, 201)
  })

  app.put('/:module/records/:id/related/:relation/:otherId', async (c) => {
    const { module, id, relation, otherId } = c.req.param()
    await c.get('engine').relations.link(module, readId(id), relation, readId(otherId), c.get('user'))

    return c.body(null, 204)
  })

  app.delete('/:module/records/:id/related/:relation/:otherId', async (c) => {
    const { module, id, relation, otherId } = c.req.param()
    await c.get('engine').relations.unlink(module, readId(id), relation, readId(otherId), c.get('user'))

    return c.body(null, 204)
  })

  return app
}

/** Accepts `3`, `"3"` and `W/"3"`, as browsers and HTTP libraries send ETags. */
function readVersion(header: string): number {
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim())
  if (!match) badRequest(`If-Match must be the record's version, like "3", not ${header}`)

  return Number(match[1])
}

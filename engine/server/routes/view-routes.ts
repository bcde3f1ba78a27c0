import { Hono } from 'hono'
import { deleteView, listSavedViews, saveView } from '../../core/views/saved-views.ts'
import type { AppEnv } from '../app-env.ts'
import { readId } from '../read-id.ts'
import { readJsonObject } from '../read-json.ts'

/** Saved list views per user (`shared` ones are visible to everyone). */
export function viewRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:module/views', async (c) => {
    const runtime = c.get('engine').runtime(c.req.param('module'))

    return c.json({ items: await c.get('engine').db.read((db) => listSavedViews(db, runtime, c.get('user').id)) })
  })

  app.post('/:module/views', async (c) => {
    const runtime = c.get('engine').runtime(c.req.param('module'))
    const body = await readJsonObject(c)
    const view = await c.get('engine').db.write((trx) => saveView(trx, runtime, c.get('user').id, { name: body.name, shared: body.shared, query: body.query }))

    return c.json(view, 201)
  })

  app.put('/:module/views/:id', async (c) => {
    const runtime = c.get('engine').runtime(c.req.param('module'))
    const body = await readJsonObject(c)
    const id = readId(c.req.param('id'))

    return c.json(await c.get('engine').db.write((trx) => saveView(trx, runtime, c.get('user').id, { id, name: body.name, shared: body.shared, query: body.query })))
  })

  app.delete('/:module/views/:id', async (c) => {
    const module = c.get('engine').runtime(c.req.param('module')).name
    await c.get('engine').db.write((trx) => deleteView(trx, module, c.get('user').id, readId(c.req.param('id'))))

    return c.body(null, 204)
  })

  return app
}

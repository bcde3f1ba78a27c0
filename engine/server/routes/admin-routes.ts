import { Hono } from 'hono'
import { EngineError } from '../../core/errors.ts'
import type { AppEnv } from '../app-env.ts'
import { badRequest } from '../error-handler.ts'
import { readId } from '../read-id.ts'
import { readJsonObject } from '../read-json.ts'
import { requireAdmin } from '../session.ts'

/** Roles, passwords and API tokens. Users themselves are records of the Users module. */
export function adminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/roles', async (c) => c.json({ items: await c.get('engine').access.roles() }))

  app.put('/roles/:name', async (c) => {
    requireAdmin(c)
    const body = await readJsonObject(c)
    if (body.name !== c.req.param('name')) badRequest(`the role in the body is named "${String(body.name)}", not "${c.req.param('name')}"`)
    const role = await c.get('engine').access.saveRole(body)
    c.get('logger').info({ reqId: c.get('requestId'), role: role.name, userId: c.get('user').id }, 'role saved')

    return c.json(role)
  })

  // An admin resets anyone's password; a user changes their own by giving the current one.
  app.post('/users/:id/password', async (c) => {
    const user = c.get('user')
    const id = readId(c.req.param('id'))
    const body = await readJsonObject(c)
    const auth = c.get('engine').auth
    if (!user.isAdmin) {
      if (id !== user.id) throw new EngineError('FORBIDDEN', 'only admins set other users\' passwords')
      await auth.login(user.username, String(body.currentPassword ?? ''))
    }
    await c.get('engine').records.get('users', id)
    await auth.setPassword(id, String(body.password ?? ''))
    c.get('logger').info({ reqId: c.get('requestId'), targetUserId: id, userId: user.id }, 'password set')

    return c.body(null, 204)
  })

  app.get('/tokens', async (c) => c.json({ items: await c.get('engine').auth.listTokens(c.get('user').id) }))

  app.post('/tokens', async (c) => {
    const body = await readJsonObject(c)
    const created = await c.get('engine').auth.createToken(c.get('user').id, String(body.name ?? 'integration'))

    return c.json({ ...created, note: 'the token is shown once; store it now' }, 201)
  })

  app.delete('/tokens/:id', async (c) => {
    await c.get('engine').auth.revokeToken(c.get('user').id, readId(c.req.param('id')))

    return c.body(null, 204)
  })

  return app
}

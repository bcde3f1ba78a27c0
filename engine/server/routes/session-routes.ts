import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { EngineError } from '../../core/errors.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonObject } from '../read-json.ts'
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../session.ts'

/** Log in, see who is logged in, log out. */
export function sessionRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/', async (c) => {
    const body = await readJsonObject(c)
    const { username, password } = body
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new EngineError('AUTH_FAILED', 'send { "username": "...", "password": "..." }')
    }
    const session = await c.get('engine').auth.login(username, password, clientAddress(c))
    setSessionCookie(c, session.token, session.expiresAt)
    c.get('logger').info({ reqId: c.get('requestId'), userId: session.user.id }, 'logged in')

    return c.json({ user: session.user })
  })

  app.get('/', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    const user = token ? await c.get('engine').auth.userOfSession(token) : undefined
    if (!user) throw new EngineError('AUTH_REQUIRED', 'not logged in')

    return c.json({ user })
  })

  app.delete('/', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token) await c.get('engine').auth.logout(token)
    clearSessionCookie(c)

    return c.body(null, 204)
  })

  return app
}

/** The peer address of the connection; requests made in-process (tests) have none. */
function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { EngineError } from '../core/errors.ts'
import type { AppEnv } from './app-env.ts'

export const SESSION_COOKIE = 'crm_session'
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Requires a live session for every /api route but health and login. A
 * state-changing request authorised by the cookie must also carry
 * `X-Requested-With: crm`, which a cross-site form cannot send.
 */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get('engine').auth
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (bearer) {
      // An API token is not sent by browsers on their own, so it needs no CSRF header.
      const user = await auth.userOfToken(bearer)
      if (!user) throw new EngineError('AUTH_REQUIRED', 'the API token is unknown or revoked')
      c.set('user', user)
      await next()

      return
    }
    const token = getCookie(c, SESSION_COOKIE)
    const user = token ? await auth.userOfSession(token) : undefined
    if (!user) throw new EngineError('AUTH_REQUIRED', 'log in first: POST /api/session with your username and password')
    if (STATE_CHANGING.has(c.req.method) && c.req.header('x-requested-with') !== 'crm') {
      throw new EngineError('FORBIDDEN', 'state-changing requests need the header "X-Requested-With: crm"')
    }
    c.set('user', user)
    await next()
  }
}

export function requireAdmin(c: Context<AppEnv>): void {
  if (!c.get('user').isAdmin) throw new EngineError('FORBIDDEN', 'only admins may do this')
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    expires: new Date(expiresAt),
    secure: new URL(c.req.url).protocol === 'https:',
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
}

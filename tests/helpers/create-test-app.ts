import type { Hono } from 'hono'
import { createApp } from '../../engine/server/app.ts'
import type { AppEnv } from '../../engine/server/app-env.ts'
import { createLogger } from '../../engine/server/logger.ts'
import { createTestEngine, type TestEngine } from './create-test-engine.ts'

export interface TestApp extends TestEngine {
  app: Hono<AppEnv>
  /** Sends a request as the logged-in user (cookie and CSRF header set). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>
  login(username: string, password: string): Promise<string>
}

/** The real Hono app over a fresh in-memory engine, driven with app.request(). */
export async function createTestApp(as: 'admin' | 'user' = 'admin'): Promise<TestApp> {
  const testEngine = await createTestEngine()
  const app = createApp(testEngine.engine, { logger: createLogger('silent') })
  const login = async (username: string, password: string) => {
    const response = await app.request('/api/session', { method: 'POST', body: JSON.stringify({ username, password }), headers: { 'content-type': 'application/json' } })
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`)

    return /crm_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0]
  }
  const cookie = as === 'admin' ? await login('admin', 'admin-pass-123') : await login('sam.carter', 'sam-pass-123')
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(
      app.request(path, {
        method,
        headers: { cookie, 'x-requested-with': 'crm', ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : body instanceof FormData || typeof body === 'string' ? body : JSON.stringify(body),
      }),
    )

  return { ...testEngine, app, call, login }
}

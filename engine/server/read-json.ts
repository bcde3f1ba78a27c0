import type { Context } from 'hono'
import { badRequest } from './error-handler.ts'

/** Reads a JSON object body or answers 400 naming what was wrong with it. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    badRequest(`the body is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badRequest('the body must be a JSON object')

  return body as Record<string, unknown>
}

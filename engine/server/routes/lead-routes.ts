import { Hono } from 'hono'
import { convertLead, previewConversion } from '../../core/behaviours/convert-lead.ts'
import type { AppEnv } from '../app-env.ts'
import { readId } from '../read-id.ts'
import { readJsonObject } from '../read-json.ts'

/**
 * Lead conversion, for any module whose definition declares one:
 * `POST /:module/records/:id/convert/preview` answers what would be made,
 * reused, filled and refused; `POST /:module/records/:id/convert` does it in
 * one transaction (422 CONVERSION_REFUSED with the issues otherwise). Both
 * take `{ createPotential, potential: { sales_stage, closingdate }, link, ignoreSimilar }`.
 * TODO(#6): the web client has no conversion dialog yet; it would show the preview's values, rule and issues.
 */
export function leadRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:module/records/:id/convert/preview', async (c) => {
    const plan = await previewConversion(
      c.get('engine'),
      c.req.param('module'),
      readId(c.req.param('id')),
      await readBody(c),
      c.get('user'),
    )

    return c.json(plan)
  })

  app.post('/:module/records/:id/convert', async (c) => {
    const module = c.req.param('module')
    const id = readId(c.req.param('id'))
    const result = await convertLead(c.get('engine'), module, id, await readBody(c), c.get('user'))
    c.get('logger').info(
      { reqId: c.get('requestId'), module, id, records: result.records },
      'record converted',
    )

    return c.json(result)
  })

  return app
}

/** An empty body asks for the defaults: no optional target, nothing linked by hand. */
async function readBody(c: Parameters<typeof readJsonObject>[0]): Promise<Record<string, unknown>> {
  const length = c.req.header('content-length')
  if (length === '0' || (length === undefined && c.req.header('content-type') === undefined))
    return {}

  return readJsonObject(c)
}

import { Hono } from 'hono'
import { EngineError } from '../../core/errors.ts'
import { generateModuleTypes } from '../../core/types/module-types.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonObject } from '../read-json.ts'
import { requireAdmin } from '../session.ts'

/** Module definitions: read, plan and apply changes, version history, types. */
export function moduleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', (c) => c.json({ items: c.get('engine').modules() }))

  app.get('/:module', (c) => {
    const runtime = c.get('engine').runtime(c.req.param('module'))

    return c.json({ name: runtime.name, version: runtime.version, definition: runtime.definition })
  })

  app.put('/:module', async (c) => {
    requireAdmin(c)
    const change = readChange(await readJsonObject(c))
    const module = c.req.param('module')
    const live = await c.get('engine').updateDefinition(module, change, c.get('user'))
    c.get('logger').info({ reqId: c.get('requestId'), module, version: live.version, userId: c.get('user').id }, 'definition changed')

    return c.json({ name: module, version: live.version, definition: live.definition })
  })

  app.post('/:module/plan', async (c) => {
    requireAdmin(c)
    const plan = await c.get('engine').planDefinition(c.req.param('module'), readChange(await readJsonObject(c)))

    return c.json(plan)
  })

  app.get('/:module/versions', async (c) => c.json({ items: await c.get('engine').versions(c.req.param('module')) }))

  app.get('/:module/types.ts', async (c) => {
    const source = await generateModuleTypes(c.get('engine').runtime(c.req.param('module')))
    c.header('Content-Type', 'text/plain; charset=utf-8')

    return c.body(source)
  })

  return app
}

function readChange(body: Record<string, unknown>) {
  if (typeof body.baseVersion !== 'number' || !Number.isInteger(body.baseVersion)) {
    throw new EngineError('DEFINITION_INVALID', 'send { "baseVersion": <the version you edited>, "definition": { ... } }', {
      issues: [{ path: '/baseVersion', code: 'required', message: 'baseVersion must be the integer version the change is based on' }],
    })
  }

  return { baseVersion: body.baseVersion, definition: body.definition, note: typeof body.note === 'string' ? body.note : undefined }
}

import { Hono } from 'hono'
import type { ChangeOperation } from '../../core/definition/change-operations.ts'
import type { MigrationOptions } from '../../core/definition/migration-options.ts'
import { assertCan, permissionOf } from '../../core/access/access-policy.ts'
import { definitionFor } from '../../core/access/definition-view.ts'
import { EngineError } from '../../core/errors.ts'
import { generateModuleTypes } from '../../core/types/module-types.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonObject } from '../read-json.ts'
import { requireAdmin } from '../session.ts'
import { validatorUrlOf } from './validator-route.ts'

/** Module definitions: read, plan and apply changes, version history, types. */
export function moduleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', (c) => {
    const user = c.get('user')
    const items = c.get('engine').modules().filter((module) => permissionOf(user, module.name).view)

    return c.json({ items: items.map((module) => ({ ...module, permission: permissionOf(user, module.name) })) })
  })

  app.get('/:module', (c) => {
    const runtime = c.get('engine').runtime(c.req.param('module'))
    const user = c.get('user')
    assertCan(user, runtime, 'view')

    const definition = definitionFor(user, runtime)

    return c.json({ name: runtime.name, version: runtime.version, definition, permission: permissionOf(user, runtime.name), validator: validatorUrlOf(runtime, definition) })
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

  app.use('/:module/versions/*', async (c, next) => {
    requireAdmin(c)
    await next()
  })
  app.get('/:module/versions', async (c) => c.json({ items: await c.get('engine').versions(c.req.param('module')) }))

  app.get('/:module/versions/diff', async (c) => {
    const from = readVersionParam(c.req.query('from'), 'from')
    const to = readVersionParam(c.req.query('to'), 'to')

    return c.json({ from, to, changes: await c.get('engine').diffVersions(c.req.param('module'), from, to) })
  })

  app.get('/:module/versions/:version', async (c) => {
    const version = readVersionParam(c.req.param('version'), 'version')
    const definition = await c.get('engine').definitionAt(c.req.param('module'), version)
    c.header('Content-Disposition', `attachment; filename="${c.req.param('module')}.v${version}.json"`)

    return c.json({ name: c.req.param('module'), version, definition })
  })

  app.post('/:module/versions/:version/restore', async (c) => {
    requireAdmin(c)
    const engine = c.get('engine')
    const module = c.req.param('module')
    const body = await readJsonObject(c)
    const change = await engine.restoreChange(module, readVersionParam(c.req.param('version'), 'version'), readChange({ ...body, definition: {} }).baseVersion)
    if (c.req.query('dryRun') === '1') return c.json(await engine.planDefinition(module, change))
    const live = await engine.updateDefinition(module, change, c.get('user'))

    return c.json({ name: module, version: live.version, definition: live.definition })
  })

  app.get('/:module/types.ts', async (c) => {
    const source = await generateModuleTypes(c.get('engine').runtime(c.req.param('module')))
    c.header('Content-Type', 'text/plain; charset=utf-8')

    return c.body(source)
  })

  return app
}

function readChange(body: Record<string, unknown>) {
  if (typeof body.baseVersion !== 'number' || !Number.isInteger(body.baseVersion)) {
    throw new EngineError('DEFINITION_INVALID', 'send { "baseVersion": <the version you edited>, "operations": [...] } or { "baseVersion": ..., "definition": { ... } }', {
      issues: [{ path: '/baseVersion', code: 'required', message: 'baseVersion must be the integer version the change is based on' }],
    })
  }

  if (body.operations !== undefined && !Array.isArray(body.operations)) {
    throw new EngineError('DEFINITION_INVALID', '"operations" must be a list of Layout Editor operations')
  }
  if (body.definition === undefined && body.operations === undefined) {
    throw new EngineError('DEFINITION_INVALID', 'send a whole "definition" or a list of "operations"')
  }

  return {
    baseVersion: body.baseVersion,
    definition: body.definition,
    operations: body.operations as ChangeOperation[] | undefined,
    migration: typeof body.migration === 'object' && body.migration !== null ? (body.migration as MigrationOptions) : undefined,
    note: typeof body.note === 'string' ? body.note : undefined,
  }
}

function readVersionParam(text: string | undefined, name: string): number {
  if (!text || !/^\d{1,9}$/.test(text)) throw new EngineError('QUERY_INVALID', `${name} must be a version number`)

  return Number(text)
}

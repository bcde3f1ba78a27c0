import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { assertCan } from '../../core/access/access-policy.ts'
import { definitionFor } from '../../core/access/definition-view.ts'
import type { ModuleRuntime } from '../../core/definition/module-runtime.ts'
import type { ModuleDefinition } from '../../core/definition/types.ts'
import { EngineError } from '../../core/errors.ts'
import { recordSchemaOf } from '../../core/validation/record-validator.ts'
import { createValidatorModule, VALIDATOR_MODULE_REVISION } from '../../core/validation/validator-module.ts'
import type { AppEnv } from '../app-env.ts'

const YEAR_SECONDS = 365 * 24 * 60 * 60

// Generated sources per runtime and schema key: compiling one takes tens of milliseconds.
const sources = new WeakMap<ModuleRuntime, Map<string, string>>()
// Keys of definitions that hide nothing, which are the runtime's own object and outlive a request.
const keys = new WeakMap<ModuleDefinition, string>()

/**
 * `GET /:module/validator.js?version=&key=`: the module's record validator as
 * a JavaScript module for the web client (see `createValidatorModule`), built
 * from the definition as the user sees it, without the fields their role
 * hides. The key is a hash of that record schema, so the URL names its content
 * and the browser may keep it for good; a URL of another version or role view
 * is refused with 409 and the client falls back to the server's check.
 */
export function validatorRoute(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:module/validator.js', (c) => {
    const runtime = c.get('engine').runtime(c.req.param('module'))
    const user = c.get('user')
    assertCan(user, runtime, 'view')
    const view = definitionFor(user, runtime)
    const key = validatorKeyOf(view)
    // TODO(#5): serve an older version too (engine.definitionAt), so a form opened before a change still checks early.
    if (c.req.query('version') !== String(runtime.version) || c.req.query('key') !== key) {
      c.header('Cache-Control', 'no-store')
      throw new EngineError('DEFINITION_STALE', `the definition of "${runtime.name}" is now version ${runtime.version}; reload it and ask for ${validatorUrlOf(runtime, view)}`, { version: runtime.version })
    }
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('Cache-Control', `private, max-age=${YEAR_SECONDS}, immutable`)

    return c.body(sourceOf(runtime, view, key))
  })

  return app
}

/** Where the client loads the validator of the definition it was given (`view`, from `definitionFor`). */
export function validatorUrlOf(runtime: ModuleRuntime, view: ModuleDefinition): string {
  return `/api/modules/${encodeURIComponent(runtime.name)}/validator.js?version=${runtime.version}&key=${validatorKeyOf(view)}`
}

function sourceOf(runtime: ModuleRuntime, view: ModuleDefinition, key: string): string {
  let byKey = sources.get(runtime)
  if (byKey === undefined) sources.set(runtime, (byKey = new Map()))
  let source = byKey.get(key)
  if (source === undefined) byKey.set(key, (source = createValidatorModule(view)))

  return source
}

function validatorKeyOf(view: ModuleDefinition): string {
  let key = keys.get(view)
  if (key === undefined) {
    const text = `${VALIDATOR_MODULE_REVISION}\n${JSON.stringify(recordSchemaOf(view))}`
    key = createHash('sha256').update(text).digest('base64url').slice(0, 16)
    keys.set(view, key)
  }

  return key
}

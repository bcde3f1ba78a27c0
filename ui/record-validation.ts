import type { ErrorObject } from 'ajv'
import type { ModuleDefinition } from '../engine/core/definition/types.ts'
import { issuesOf } from '../engine/core/validation/record-issues.ts'
import type { Issue, LiveModule } from './api-client.ts'

// TODO(#5): quote lines, lead conversion and the pipeline board still leave every check to
// the server; each can call checkRecord on the record its write would store, as the forms do.

type Values = Record<string, unknown>
type StandaloneValidate = ((record: Values) => boolean) & { errors?: ErrorObject[] | null }

// One load per URL, which names the module, its version and the role's view of it.
const validators = new Map<string, Promise<StandaloneValidate | undefined>>()

/**
 * Starts loading the record validator of a definition, so it is ready before
 * the first save. Loading is cached per URL and never throws.
 */
export function preloadRecordValidator(live: LiveModule | undefined): void {
  if (live !== undefined) void validatorOf(live)
}

/**
 * The issues the server's rules find in the record a write would store,
 * limited to `fields`, the ones the form lets the person change: a field the
 * form does not offer (a required one the server fills, a hidden one) is the
 * server's to judge. The messages are the server's own (`issuesOf`). Answers
 * no issues when the validator could not be loaded: the server still checks.
 *
 * @example
 * const issues = await checkRecord(live, recordAfterWrite(live.definition, changes, stored), ['amount'])
 */
export async function checkRecord(
  live: LiveModule,
  record: Values,
  fields: Iterable<string>,
): Promise<Issue[]> {
  const validate = await validatorOf(live)
  if (validate === undefined || validate(record)) return []
  const offered = new Set(fields)
  const issues = issuesOf(validate.errors ?? [], live.definition.record.properties, record)

  return issues.filter((issue) => issue.field !== undefined && offered.has(issue.field))
}

/**
 * The record as the server will validate it after a write, the way
 * `composeRecord` builds it: the stored values for an edit, else the
 * defaults, with the changes on top, and an empty value meaning "not given"
 * on create. Generated fields (numbers, computed) are left out: the server
 * fills them and never requires them from a writer.
 */
export function recordAfterWrite(
  definition: ModuleDefinition,
  changes: Values,
  stored?: Values,
): Values {
  const record: Values = {}
  for (const [name, field] of Object.entries(definition.record.properties)) {
    const kind = field['x-kind']
    if (field['x-archived'] || kind === 'auto-number' || kind === 'computed') continue
    const base = stored ? (stored[name] ?? null) : (field.default ?? null)
    const change = name in changes ? emptyToNull(changes[name]) : undefined
    record[name] =
      change === undefined || (change === null && !stored && base !== null) ? base : change
  }

  return record
}

function validatorOf(live: LiveModule): Promise<StandaloneValidate | undefined> {
  const url = live.validator
  if (url === undefined) return Promise.resolve(undefined)
  let loading = validators.get(url)
  if (loading === undefined) {
    loading = load(url)
    validators.set(url, loading)
  }

  return loading
}

async function load(url: string): Promise<StandaloneValidate | undefined> {
  try {
    // The runtime (ajv's helpers, ajv-formats) is a chunk of its own, fetched only once a form is open.
    const [generated, runtime] = await Promise.all([
      import(/* @vite-ignore */ url) as Promise<{
        default: (require: (name: string) => unknown) => StandaloneValidate
      }>,
      import('../engine/core/validation/standalone-runtime.ts'),
    ])

    return generated.default(runtime.requireRuntime)
  } catch {
    // A stale or unreachable validator only costs the early check: the server validates every write.
    return undefined
  }
}

function emptyToNull(value: unknown): unknown {
  return value === '' || value === undefined ? null : value
}

import { beforeAll, describe, expect, it } from 'vitest'
import type { ModuleDefinition } from '../../../../engine/core/definition/types.ts'
import type { Engine } from '../../../../engine/core/engine.ts'
import type { Issue } from '../../../../engine/core/errors.ts'
import { issuesOf } from '../../../../engine/core/validation/record-issues.ts'
import { createRecordValidator } from '../../../../engine/core/validation/record-validator.ts'
import { requireRuntime } from '../../../../engine/core/validation/standalone-runtime.ts'
import { assertKnownRuntime, createValidatorModule } from '../../../../engine/core/validation/validator-module.ts'
import { createTestEngine } from '../../../helpers/create-test-engine.ts'

type Values = Record<string, unknown>

/** Imports the served module the way the browser does (an ES module, no bundler) and checks records with it. */
async function loadStandalone(definition: ModuleDefinition): Promise<(record: Values) => Issue[]> {
  const source = createValidatorModule(definition)
  const generated = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as {
    default: (require: (name: string) => unknown) => ((record: Values) => boolean) & { errors?: never[] | null }
  }
  const validate = generated.default(requireRuntime)

  return (record) => (validate(record) ? [] : issuesOf(validate.errors ?? [], definition.record.properties, record))
}

const GOOD_POTENTIAL = { potentialname: 'Fleet', closingdate: '2027-03-31', sales_stage: 'Prospecting', assigned_user_id: 1, amount: 1200.5, probability: 10 }
const GOOD_ACCOUNT = { accountname: 'Acme', assigned_user_id: 1, website: 'https://acme.example', email: 'info@acme.example', employees: 40 }
const GOOD_CONTACT = { lastname: 'Smith', assigned_user_id: 1, email: 'jo@smith.example', salutation: 'Mr.' }
const GOOD_ACTIVITY = { subject: 'Call back', activity_type: 'Call', assigned_user_id: 1, date_start: '2027-01-05T09:30:00.000Z', duration_minutes: 30 }

/** Records of several modules with the rule each breaks (the issue codes the server gives), good ones with none. */
const CASES: { module: string; record: Values; codes: string[] }[] = [
  { module: 'potentials', record: GOOD_POTENTIAL, codes: [] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, amount: 12.345 }, codes: ['x-scale'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, amount: 1e-7 }, codes: ['x-scale'] },
  // Past 15 significant digits an amount cannot be stored exactly: refused by its kind's bound.
  { module: 'potentials', record: { ...GOOD_POTENTIAL, amount: 1e21, probability: 100 }, codes: ['maximum'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, amount: 9999999999999.99, probability: 100 }, codes: [] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, sales_stage: 'Nope' }, codes: ['enum'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, potentialname: null, sales_stage: undefined }, codes: ['required', 'required'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, closingdate: '2027-02-30' }, codes: ['format'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, nextstep: 'x'.repeat(101) }, codes: ['maxLength'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, nextstep: '😀'.repeat(100) }, codes: [] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, amount: '12' }, codes: ['type'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, probability: 150 }, codes: ['maximum'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, related_to: 0 }, codes: ['minimum'] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, potential_no: 'POT1', forecast_amount: 5 }, codes: [] },
  { module: 'potentials', record: { ...GOOD_POTENTIAL, cf_nothing: 1 }, codes: ['unknown-field'] },
  { module: 'accounts', record: GOOD_ACCOUNT, codes: [] },
  { module: 'accounts', record: { ...GOOD_ACCOUNT, website: 'javascript:alert(1)', email: 'not an e-mail' }, codes: ['format', 'format'] },
  { module: 'accounts', record: { ...GOOD_ACCOUNT, website: 'https://exa mple.com' }, codes: ['format'] },
  { module: 'accounts', record: { ...GOOD_ACCOUNT, employees: 4.5, annual_revenue: 10.001 }, codes: ['type', 'x-scale'] },
  { module: 'accounts', record: { ...GOOD_ACCOUNT, accountname: 42, industry: 'Mining on Mars' }, codes: ['type', 'enum'] },
  { module: 'accounts', record: { ...GOOD_ACCOUNT, assigned_user_id: null, country: 'y'.repeat(101) }, codes: ['maxLength', 'required'] },
  { module: 'contacts', record: GOOD_CONTACT, codes: [] },
  { module: 'contacts', record: { ...GOOD_CONTACT, lastname: '', email: 'jo@' }, codes: ['format'] },
  { module: 'contacts', record: { lastname: null, email: null, full_name: 'x' }, codes: ['required', 'required'] },
  { module: 'contacts', record: { ...GOOD_CONTACT, salutation: 'Sir', firstname: ['Jo'] }, codes: ['enum', 'type'] },
  { module: 'activities', record: GOOD_ACTIVITY, codes: [] },
  { module: 'activities', record: { ...GOOD_ACTIVITY, date_start: '2027-01-05 09:30', duration_minutes: -1 }, codes: ['format', 'minimum'] },
  { module: 'activities', record: { ...GOOD_ACTIVITY, date_start: '2027-01-05T25:30:00Z', duration_minutes: true }, codes: ['format', 'type'] },
]

/** A definition with a multi-picklist, which the shipped modules lack: items, enum and uniqueItems. */
const TAGGED: ModuleDefinition = {
  name: 'tagged',
  label: { singular: 'Tagged', plural: 'Tagged' },
  record: {
    type: 'object',
    required: ['tags'],
    properties: {
      tags: { type: 'array', 'x-kind': 'multi-picklist', title: 'Tags', items: { type: 'string', enum: ['a', 'b'] } },
      done: { type: 'boolean', 'x-kind': 'boolean', title: 'Done' },
    },
  },
  layout: { blocks: [{ id: 'main', label: 'Main', fields: ['tags', 'done'] }] },
} as ModuleDefinition

describe('createValidatorModule', () => {
  let engine: Engine

  beforeAll(async () => {
    ;({ engine } = await createTestEngine())
  })

  it('finds the same issues as the server validator in good and bad records of several modules', async () => {
    const modules = [...new Set(CASES.map((item) => item.module))]
    const validators = new Map(
      await Promise.all(
        modules.map(async (module) => {
          const { definition } = engine.runtime(module)

          return [module, { server: createRecordValidator(definition), browser: await loadStandalone(definition) }] as const
        }),
      ),
    )

    for (const { module, record, codes } of CASES) {
      const { server, browser } = validators.get(module)!
      const expected = server(record)
      expect(browser(record), `${module} ${JSON.stringify(record).slice(0, 80)}`).toEqual(expected)
      expect(expected.map((issue) => issue.code).sort(), JSON.stringify(record).slice(0, 80)).toEqual([...codes].sort())
    }
  })

  it('checks multi-picklists and booleans as the server does', async () => {
    const server = createRecordValidator(TAGGED)
    const browser = await loadStandalone(TAGGED)
    const records = [{ tags: ['a'] }, { tags: ['a', 'a'] }, { tags: ['c'] }, { tags: 'a', done: 'yes' }, { tags: [], done: null }]

    for (const record of records) expect(browser(record)).toEqual(server(record))
    expect(server({ tags: ['a', 'a'] }).map((issue) => issue.code)).toEqual(['uniqueItems'])
  })

  it('needs nothing from the runtime but what it provides, for every shipped module', () => {
    for (const runtime of engine.runtimes().values()) {
      expect(() => createValidatorModule(runtime.definition), runtime.name).not.toThrow()
    }
  })

  it('is an ES module whose default export takes require and needs no eval', () => {
    const source = createValidatorModule(engine.runtime('potentials').definition)

    expect(source).toMatch(/^export default function \(require\) \{$/m)
    expect(source).not.toMatch(/\beval\(|new Function/)
  })
})

describe('assertKnownRuntime', () => {
  it('throws naming a required module the client runtime does not provide', () => {
    const code = 'const a = require("ajv/dist/runtime/ucs2length").default;const b = require("ajv/dist/runtime/uri").default'

    expect(() => assertKnownRuntime(code)).toThrow(/"ajv\/dist\/runtime\/uri", which the validator runtime does not provide/)
    expect(() => assertKnownRuntime('const a = require("ajv-formats/dist/formats").fullFormats.date')).not.toThrow()
  })
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { generateModuleTypes } from '../../../../engine/core/types/module-types.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

/**
 * Type-checks TypeScript sources with the real compiler in one program (a
 * program per file costs seconds each) and returns the diagnostics per file.
 */
function typeCheck(files: Record<string, string>): Record<string, string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'crm-types-'))
  try {
    const paths = Object.entries(files).map(([name, source]) => {
      writeFileSync(join(folder, name), source)

      return join(folder, name)
    })
    const program = ts.createProgram(paths, { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], skipLibCheck: true })
    const result: Record<string, string[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]))
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const name = diagnostic.file ? diagnostic.file.fileName.slice(folder.length + 1) : 'global'
      ;(result[name] ??= []).push(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    }

    return result
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

describe('generateModuleTypes', () => {
  it('types a stored record of every module so that it type-checks, and refuses a wrong one', async () => {
    const { engine, admin } = await createTestEngine()
    const account = await engine.records.create('accounts', { accountname: 'Acme' }, admin)
    const samples: Record<string, unknown> = {
      potentials: await engine.records.create('potentials', potentialInput({ related_to: account.id }), admin),
      accounts: account,
      contacts: await engine.records.create('contacts', { firstname: 'Ada', lastname: 'Lovelace', account_id: account.id }, admin),
      campaigns: await engine.records.create('campaigns', { campaignname: 'Spring' }, admin),
      products: await engine.records.create('products', { productname: 'GTX Pro', unit_price: 4821 }, admin),
      users: await engine.records.get('users', admin.id),
      quotes: await engine.records.create('quotes', { subject: 'Offer' }, admin),
      leads: await engine.records.create('leads', { lastname: 'Novak', company: 'Acme' }, admin),
    }
    const files: Record<string, string> = {}
    for (const [module, record] of Object.entries(samples)) {
      const types = await generateModuleTypes(engine.runtime(module))
      const name = /export interface (\w+Record)/.exec(types)![1]
      files[`${module}-types.ts`] = types
      files[`${module}-good.ts`] = `import type { ${name} } from './${module}-types'\nexport const sample: ${name} = ${JSON.stringify(record)}\n`
      files[`${module}-bad.ts`] = `import type { ${name} } from './${module}-types'\nexport const sample: ${name} = ${JSON.stringify({ ...(record as object), id: 'not a number' })}\n`
    }
    const diagnostics = typeCheck(files)
    for (const module of Object.keys(samples)) {
      expect(diagnostics[`${module}-types.ts`], module).toEqual([])
      expect(diagnostics[`${module}-good.ts`], module).toEqual([])
      expect(diagnostics[`${module}-bad.ts`].join('\n'), module).toMatch(/not assignable/)
    }
  })

  it('follows the live definition: a new field appears in the types at once', async () => {
    const { engine, admin } = await createTestEngine()
    const definition = structuredClone(engine.runtime('potentials').definition)
    definition.record.properties.cf_region = { type: 'string', 'x-kind': 'text', title: 'Region' }
    definition.layout.blocks[0].fields.push('cf_region')
    await engine.updateDefinition('potentials', { baseVersion: 1, definition }, admin)

    expect(await generateModuleTypes(engine.runtime('potentials'))).toMatch(/cf_region\?: string \| null/)
  })
})

import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createEngine } from '../core/engine.ts'
import { generateModuleTypes } from '../core/types/module-types.ts'

/**
 * `npm run types [-- --out folder]`: writes `<module>.ts` with the record
 * types of every module's live definition. It reads DATABASE_URL (default
 * ./data/crm.db) when that database exists, else the shipped definitions.
 */
const args = process.argv.slice(2)
const outIndex = args.indexOf('--out')
const out = resolve(outIndex === -1 ? 'dist/types' : args[outIndex + 1])
const databaseUrl = process.env.DATABASE_URL ?? './data/crm.db'
const source = databaseUrl === ':memory:' || existsSync(databaseUrl) || /^[a-z]+:/.test(databaseUrl) ? databaseUrl : ':memory:'

const engine = await createEngine({ databaseUrl: source })
mkdirSync(out, { recursive: true })
for (const [name, runtime] of engine.runtimes()) {
  const file = join(out, `${name}.ts`)
  writeFileSync(file, await generateModuleTypes(runtime))
  process.stdout.write(`${file}  (${runtime.definition.label.plural}, version ${runtime.version})\n`)
}
await engine.close()

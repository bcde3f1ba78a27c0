import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkDefinition } from '../../../../engine/core/definition/check-definition.ts'
import { readShippedDefinitions } from '../../../../engine/core/definition/definition-store.ts'
import type { ModuleDefinition } from '../../../../engine/core/definition/types.ts'

const shipped = readShippedDefinitions(new URL('../../../../modules', import.meta.url).pathname)
const modules = new Map(shipped.map((definition) => [definition.name, definition]))
const casesDir = new URL('../../../fixtures/definitions/', import.meta.url)

interface DefinitionCase {
  description: string
  /** JSON-pointer-like edits applied to a copy of the shipped Potentials definition. */
  edits: { path: string; value?: unknown; remove?: boolean; push?: unknown }[]
  issues: { path: string; code: string; message?: string }[]
}

describe('checkDefinition', () => {
  it('accepts every shipped definition', () => {
    expect(shipped.map((definition) => definition.name)).toEqual(expect.arrayContaining(['accounts', 'campaigns', 'contacts', 'potentials', 'products', 'quotes', 'users']))
    for (const definition of shipped) expect(checkDefinition(definition, modules)).toEqual([])
  })

  const cases = readdirSync(casesDir).filter((file) => file.endsWith('.json'))
  for (const file of cases) {
    const testCase = JSON.parse(readFileSync(new URL(file, casesDir), 'utf8')) as DefinitionCase
    it(testCase.description, () => {
      const candidate = applyEdits(structuredClone(modules.get('potentials')!), testCase.edits)
      const issues = checkDefinition(candidate, modules)
      for (const expected of testCase.issues) {
        expect(issues).toContainEqual(expect.objectContaining({ path: expected.path, code: expected.code }))
        if (expected.message) expect(issues.find((issue) => issue.path === expected.path)?.message).toContain(expected.message)
      }
    })
  }
})

function applyEdits(definition: ModuleDefinition, edits: DefinitionCase['edits']): unknown {
  for (const edit of edits) {
    const keys = edit.path.split('/').slice(1)
    const last = keys.pop()!
    let target: any = definition
    for (const key of keys) target = target[key]
    if (edit.remove) delete target[last]
    else if (edit.push !== undefined) target[last].push(edit.push)
    else target[last] = edit.value
  }

  return definition
}

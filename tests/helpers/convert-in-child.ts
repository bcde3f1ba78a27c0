import { createEngine } from '../../engine/core/engine.ts'

/**
 * Child process of the kill test: opens the database given as argv[2] and
 * converts `cf_score` from text to decimal, printing each progress report so
 * the parent can kill it in the middle.
 */
const engine = await createEngine({
  databaseUrl: process.argv[2],
  onEvent: (event) => {
    if (event.type === 'schema.progress') process.stdout.write(`progress ${event.done}/${event.total}\n`)
  },
})
await engine.updateDefinition(
  'potentials',
  { baseVersion: engine.runtime('potentials').version, operations: [{ op: 'changeKind', field: 'cf_score', kind: 'decimal' }] },
  { id: 1, isAdmin: true },
)
process.stdout.write('finished\n')

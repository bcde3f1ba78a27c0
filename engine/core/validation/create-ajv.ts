import { _, Ajv2020, str, type KeywordCxt } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { fitsScale } from './fits-scale.ts'
import { FORMATS_MODULE, X_SCALE_MODULE } from './standalone-runtime.ts'

/**
 * The engine's extension keywords. They are declared to ajv as a vocabulary so
 * strict mode stays on: a misspelt keyword in a definition is still an error.
 */
export const ANNOTATION_KEYWORDS = [
  'x-kind',
  'x-relation',
  'x-prefix',
  'x-expression',
  'x-values',
  'x-list',
  'x-quick-create',
  'x-mass-edit',
  'x-header',
  'x-searchable',
  'x-unique',
  'x-archived',
  'x-restore',
]

export interface CreateAjvOptions {
  /**
   * Keep the generated code of each compiled schema, for `ajv/dist/standalone`.
   * Its formats and the `x-scale` rule are then `require`d by the names of
   * `standalone-runtime.ts` instead of being closed over.
   */
  standalone?: boolean
}

/** An ajv instance that knows the engine's vocabulary; `x-scale` limits a number's decimals. */
export function createAjv(options: CreateAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    allowUnionTypes: true,
    logger: false,
    ...(options.standalone ? { code: { source: true, formats: _`require(${FORMATS_MODULE}).fullFormats` } } : {}),
  })
  // ajv-formats is CommonJS: under Node's ESM loader its function arrives as `default.default`.
  const applyFormats = ((addFormats as { default?: unknown }).default ?? addFormats) as (
    target: Ajv2020,
  ) => void
  applyFormats(ajv)
  ajv.addVocabulary(ANNOTATION_KEYWORDS)
  ajv.addKeyword({
    keyword: 'x-scale',
    type: 'number',
    schemaType: 'number',
    // Generated code rather than a `validate` function: standalone code can name a runtime module but not serialise a closure.
    code(cxt: KeywordCxt) {
      const check = cxt.gen.scopeValue('func', { ref: fitsScale, code: _`require(${X_SCALE_MODULE}).fitsScale` })
      cxt.fail(_`!${check}(${cxt.schema}, ${cxt.data})`)
    },
    error: {
      message: ({ schema }) => str`must have at most ${schema} decimals`,
      params: ({ schema }) => _`{scale: ${schema}}`,
    },
  })

  return ajv
}

import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { decimalPlaces, numberToDecimalText } from '../field-types/decimal-text.ts'

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

/** An ajv instance that knows the engine's vocabulary; `x-scale` limits a number's decimals. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, logger: false })
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
    errors: true,
    validate: function checkScale(scale: number, data: number) {
      if (decimalPlaces(numberToDecimalText(data)) <= scale) return true
      ;(checkScale as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: 'x-scale', message: `must have at most ${scale} decimals`, params: { scale } },
      ]

      return false
    },
  })

  return ajv
}

import { EngineError } from '../errors.ts'
import type { ImportOptions } from './import-types.ts'

type Check = (value: unknown) => boolean

const isString: Check = (value) => typeof value === 'string'
const isBoolean: Check = (value) => typeof value === 'boolean'
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const oneOf =
  (...allowed: unknown[]): Check =>
  (value) =>
    allowed.includes(value)
const wholeNumber =
  (minimum: number): Check =>
  (value) =>
    Number.isInteger(value) && (value as number) >= minimum
const recordOf =
  (check: Check): Check =>
  (value) =>
    isObject(value) && Object.values(value).every(check)
const valueMap = recordOf((value) => value === null || isString(value))

const RULES: Record<string, Check> = {
  valueMap,
  default: isString,
  multiply: (value) =>
    (typeof value === 'number' && Number.isFinite(value)) ||
    (isString(value) && /^-?\d+(\.\d+)?$/.test(value as string)),
  by: oneOf('name', 'id'),
  createMissing: isBoolean,
  why: isString,
  field: (value) => value === null || isString(value),
  relation: isString,
  column: isString,
  template: isString,
}

const OPTIONS: Record<keyof ImportOptions, Check> = {
  mapping: recordOf(
    (entry) =>
      isObject(entry) &&
      Object.entries(entry).every(([key, value]) => RULES[key]?.(value) ?? false),
  ),
  autoMatch: isBoolean,
  defaults: recordOf(isString),
  valueMap: recordOf(valueMap),
  decimalMark: oneOf('.', ','),
  dateOrder: oneOf('YMD', 'DMY', 'MDY'),
  encoding: oneOf('auto', 'utf-8', 'windows-1252', 'iso-8859-1', 'utf-16le', 'utf-16be'),
  delimiter: oneOf(',', ';', '\t', '|'),
  dryRun: isBoolean,
  duplicates: (value) =>
    isObject(value) &&
    Array.isArray(value.match) &&
    value.match.every(isString) &&
    oneOf('skip', 'update', 'merge')(value.action),
  unknownPicklistValues: oneOf('refuse', 'default'),
  unescapeFormulas: isBoolean,
  acceptWarnings: isBoolean,
  batchSize: wholeNumber(1),
  jobId: wholeNumber(1),
  previewRows: wholeNumber(0),
  maxErrors: wholeNumber(1),
  onProgress: (value) => typeof value === 'function',
}

/**
 * Checks import options from untrusted JSON (an upload form, a plan file)
 * before anything is read, so a malformed option is a CSV_INVALID naming it
 * rather than a failure half-way. Undefined values count as absent.
 */
export function checkImportOptionsOrThrow(options: unknown): ImportOptions {
  if (options === undefined) return {}
  if (!isObject(options)) throw invalid('the import options must be an object')
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
    const check = Object.hasOwn(OPTIONS, key) ? OPTIONS[key as keyof ImportOptions] : undefined
    if (check === undefined) {
      throw invalid(
        `"${key}" is not an import option; known: ${Object.keys(OPTIONS).join(', ')}`,
        key,
      )
    }
    if (!check(value)) throw invalid(`the import option "${key}" has a value it cannot take`, key)
  }

  return options as ImportOptions
}

function invalid(message: string, option?: string): EngineError {
  return new EngineError('CSV_INVALID', message, option === undefined ? {} : { option })
}

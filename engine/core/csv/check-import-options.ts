import { EngineError } from '../errors.ts'
import type { CsvEncoding } from './decode-bytes.ts'
import type { ImportOptions } from './import-types.ts'

/** A check of one option's value, and the allowed values to name when it fails. */
interface Check {
  test: (value: unknown) => boolean
  allowed: string
}

const isString = (value: unknown) => typeof value === 'string'
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const check = (test: Check['test'], allowed: string): Check => ({ test, allowed })
const oneOf = (...allowed: unknown[]): Check =>
  check((value) => allowed.includes(value), allowed.map((item) => JSON.stringify(item)).join(', '))
const boolean = check((value) => typeof value === 'boolean', 'true or false')
const text = check(isString, 'a string')
const wholeNumber = (minimum: number): Check =>
  check(
    (value) => Number.isInteger(value) && (value as number) >= minimum,
    `a whole number from ${minimum}`,
  )
const recordOf = (inner: Check): Check =>
  check(
    (value) => isObject(value) && Object.values(value).every(inner.test),
    `an object whose values are ${inner.allowed}`,
  )
const valueMap = recordOf(check((value) => value === null || isString(value), 'strings or null'))

const RULES: Record<string, Check['test']> = {
  valueMap: valueMap.test,
  default: isString,
  multiply: (value) =>
    (typeof value === 'number' && Number.isFinite(value)) ||
    (isString(value) && /^-?\d+(\.\d+)?$/.test(value as string)),
  by: oneOf('name', 'id').test,
  createMissing: boolean.test,
  why: isString,
  field: (value) => value === null || isString(value),
  relation: isString,
  column: isString,
  template: isString,
}

/**
 * Encoding labels people and tools write, to the decoder that reads them.
 * ISO-8859-1 is read with the Windows-1252 table, as browsers do: files labelled Latin-1 hold
 * curly quotes and euro signs at 0x80-0x9F far more often than C1 control characters.
 */
const ENCODING_LABELS: Record<string, CsvEncoding | 'auto'> = {
  auto: 'auto',
  utf8: 'utf-8',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  iso88591: 'windows-1252',
  isolatin1: 'windows-1252',
  cp819: 'windows-1252',
  cp1252: 'windows-1252',
  windows1252: 'windows-1252',
  win1252: 'windows-1252',
  ansi: 'windows-1252',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
}

/** The encodings named in messages. */
const KNOWN_ENCODINGS =
  'auto, utf-8, windows-1252 (cp1252), iso-8859-1 (latin1), utf-16le, utf-16be'

/**
 * The decoder for an encoding label, compared ignoring case, dashes,
 * underscores and spaces (`UTF8`, `utf_8`, `ISO-8859-1`, `Latin1`); undefined
 * when the label is unknown.
 */
export function normalizeEncoding(label: string): CsvEncoding | 'auto' | undefined {
  const key = label.toLowerCase().replace(/[\s_\-.]/g, '')

  return Object.hasOwn(ENCODING_LABELS, key) ? ENCODING_LABELS[key] : undefined
}

const OPTIONS: Record<keyof ImportOptions, Check> = {
  mapping: recordOf(
    check(
      (entry) =>
        isObject(entry) &&
        Object.entries(entry).every(([key, value]) =>
          Object.hasOwn(RULES, key) ? RULES[key](value) : false,
        ),
      `objects with ${Object.keys(RULES).join(', ')}`,
    ),
  ),
  mappingName: text,
  autoMatch: boolean,
  defaults: recordOf(text),
  valueMap: recordOf(valueMap),
  decimalMark: oneOf('.', ','),
  dateOrder: oneOf('YMD', 'DMY', 'MDY'),
  encoding: check(
    (value) => isString(value) && normalizeEncoding(value as string) !== undefined,
    KNOWN_ENCODINGS,
  ),
  delimiter: oneOf(',', ';', '\t', '|'),
  dryRun: boolean,
  duplicates: check(
    (value) =>
      isObject(value) &&
      Array.isArray(value.match) &&
      value.match.every(isString) &&
      oneOf('skip', 'update', 'merge').test(value.action),
    '{ "match": [field names], "action": "skip", "update" or "merge" }',
  ),
  unknownPicklistValues: oneOf('refuse', 'default'),
  unescapeFormulas: boolean,
  acceptWarnings: boolean,
  batchSize: wholeNumber(1),
  jobId: wholeNumber(1),
  previewRows: wholeNumber(0),
  maxErrors: wholeNumber(1),
  onProgress: check((value) => typeof value === 'function', 'a function'),
}

/**
 * Checks import options from untrusted JSON (an upload form, a plan file)
 * before anything is read, so a malformed option is a CSV_INVALID naming it
 * and the values it takes, rather than a failure half-way. Undefined values
 * count as absent. Answers the options with the encoding label normalised
 * (`UTF8` → `utf-8`, `latin1` → `windows-1252`).
 */
export function checkImportOptionsOrThrow(options: unknown): ImportOptions {
  if (options === undefined) return {}
  if (!isObject(options)) throw invalid('the import options must be an object')
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
    const rule = Object.hasOwn(OPTIONS, key) ? OPTIONS[key as keyof ImportOptions] : undefined
    if (rule === undefined) {
      throw invalid(
        `"${key}" is not an import option; known: ${Object.keys(OPTIONS).join(', ')}`,
        key,
      )
    }
    if (!rule.test(value)) {
      throw new EngineError(
        'CSV_INVALID',
        `the import option "${key}" cannot be ${describe(value)}; use ${rule.allowed}`,
        { option: key, allowed: rule.allowed },
      )
    }
  }
  const checked = options as ImportOptions

  return checked.encoding === undefined
    ? checked
    : { ...checked, encoding: normalizeEncoding(checked.encoding) }
}

/** The offending value in a message: short, and never a whole pasted file. */
function describe(value: unknown): string {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))

  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function invalid(message: string, option?: string): EngineError {
  return new EngineError('CSV_INVALID', message, option === undefined ? {} : { option })
}

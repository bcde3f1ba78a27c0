/**
 * Exact decimal handling for money, percent and decimal fields. Values are
 * stored as scaled integers (minor units) so SQL sorts and sums them exactly;
 * they travel as plain decimal strings between the steps, never as floats.
 */

const CURRENCY_SIGNS: Record<string, string> = {
  '€': 'EUR',
  $: 'USD',
  US$: 'USD',
  '£': 'GBP',
  '¥': 'JPY',
  Fr: 'CHF',
}

const CURRENCY_CODE = /^[A-Z]{3}$/

export type DecimalParse = { ok: true; value: string } | { ok: false; message: string }

export interface DecimalTextOptions {
  decimalMark: '.' | ','
  /** Currency of the value; a sign or code of another currency is refused. */
  currency?: string
  /** Accept a trailing `%` (percent fields). */
  allowPercent?: boolean
  /** Accept currency signs and codes (currency fields). */
  allowCurrency?: boolean
}

/**
 * Reads a number written by a person or a spreadsheet, such as `1.234,56 €`,
 * `"$1,500.00"` or `25 %`, into a canonical decimal string like `1234.56`.
 * Thousands separators are accepted only in groups of three, so `1,12` is
 * refused in en-US instead of silently becoming 112.
 */
export function parseDecimalText(raw: string, options: DecimalTextOptions): DecimalParse {
  let text = raw.replace(/[\u00a0\u202f]/g, ' ').trim()
  if (text === '') return { ok: false, message: 'is empty' }

  if (options.allowPercent && text.endsWith('%')) text = text.slice(0, -1).trim()

  const withoutCurrency = stripCurrency(text, options)
  if (!withoutCurrency.ok) return withoutCurrency
  text = withoutCurrency.value

  let sign = ''
  if (text.startsWith('-') || text.startsWith('+')) {
    sign = text[0] === '-' ? '-' : ''
    text = text.slice(1).trim()
  }

  const body = normaliseDigits(text, options.decimalMark)
  if (body === null) {
    const example = options.decimalMark === ',' ? '1.234,56' : '1,234.56'
    return { ok: false, message: `"${raw}" is not a number in the chosen format (like ${example})` }
  }

  return { ok: true, value: canonical(sign + body) }
}

function stripCurrency(text: string, options: DecimalTextOptions): DecimalParse {
  const match = /^([^\d\s.,+-]+)?\s*([+-]?[\d.,' ]*\d[\d.,' ]*)\s*([^\d\s.,]+)?$/u.exec(text)
  if (!match) return { ok: true, value: text }
  const [, before, number, after] = match
  const marks = [before, after].filter((mark): mark is string => mark !== undefined)
  if (marks.length === 0) return { ok: true, value: text }
  if (marks.length > 1 || !options.allowCurrency) {
    return { ok: false, message: `"${text}" holds "${marks.join('", "')}", which is not part of a number` }
  }
  const mark = marks[0]
  const code = CURRENCY_SIGNS[mark] ?? (CURRENCY_CODE.test(mark) ? mark : undefined)
  if (code === undefined) return { ok: false, message: `"${mark}" is not a known currency sign or code` }
  if (options.currency !== undefined && code !== options.currency) {
    return {
      ok: false,
      message: `"${text}" is in ${code} but the record's currency is ${options.currency}; convert it or set the currency column`,
    }
  }

  return { ok: true, value: number.trim() }
}

/** Thousands separators: the group mark, an apostrophe or a space (built once, not per cell). */
const DOT_GROUPS = /[.' ]/
const COMMA_GROUPS = /[,' ]/

/** Turns `1.234,56` (with `,` as the decimal mark) into `1234.56`; null when malformed. */
function normaliseDigits(text: string, decimalMark: '.' | ','): string | null {
  const group = decimalMark === '.' ? ',' : '.'
  const [integerPart, fraction, extra] = text.split(decimalMark)
  if (extra !== undefined) return null
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return null
  const integer = integerPart === '' && fraction !== undefined ? '0' : integerPart

  const groups = integer.split(group === '.' ? DOT_GROUPS : COMMA_GROUPS)
  if (groups.length > 1) {
    const [head, ...rest] = groups
    if (!/^\d{1,3}$/.test(head) || rest.some((part) => !/^\d{3}$/.test(part))) return null
  } else if (!/^\d+$/.test(integer)) {
    return null
  }
  const digits = groups.join('')

  return fraction === undefined ? digits : `${digits}.${fraction}`
}

/** Drops leading zeros and a trailing `.`; keeps fraction digits as written. */
function canonical(value: string): string {
  const negative = value.startsWith('-')
  const unsigned = negative ? value.slice(1) : value
  const [integer, fraction] = unsigned.split('.')
  const trimmed = integer.replace(/^0+(?=\d)/, '')
  const text = fraction === undefined || fraction === '' ? trimmed : `${trimmed}.${fraction}`
  const isZero = /^0(\.0*)?$/.test(text)

  return negative && !isZero ? `-${text}` : text
}

/** Counts the decimals of a canonical decimal string. */
export function decimalPlaces(value: string): number {
  const dot = value.indexOf('.')

  return dot === -1 ? 0 : value.length - dot - 1
}

/** `1234.5` with scale 2 becomes 123450; null when the value has more decimals than the scale. */
export function toScaledInteger(value: string, scale: number): number | null {
  const negative = value.startsWith('-')
  const unsigned = negative ? value.slice(1) : value
  const [integer, fraction = ''] = unsigned.split('.')
  if (fraction.replace(/0+$/, '').length > scale) return null
  const digits = integer + fraction.padEnd(scale, '0').slice(0, scale)
  const scaled = Number(digits)

  return negative && scaled !== 0 ? -scaled : scaled
}

/** Below this many minor units two decimals of the scale are never one double apart, so the test below is exact. */
const EXACT_SCALED = 2 ** 49
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, power) => Number(`1e${power}`))

/**
 * A JSON number as minor units, like `toScaledInteger(numberToDecimalText(value), scale)`
 * but without strings (the insert of a million imported records): when the
 * rounded product divides back to the very same double, that double's
 * shortest text has at most `scale` decimals and these are its digits.
 */
export function numberToScaledInteger(value: number, scale: number): number | null {
  const power = POWERS_OF_TEN[scale]
  if (power !== undefined) {
    const scaled = Math.round(value * power)
    if (Math.abs(scaled) < EXACT_SCALED && scaled / power === value) return scaled === 0 ? 0 : scaled
  }

  return toScaledInteger(numberToDecimalText(value), scale)
}

/** The inverse of toScaledInteger, as a canonical decimal string with `scale` decimals. */
export function fromScaledInteger(scaled: number, scale: number): string {
  const negative = scaled < 0
  const digits = String(Math.abs(Math.trunc(scaled))).padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`

  return negative ? `-${text}` : text
}

/**
 * Writes a JSON number as its shortest exact decimal string. JavaScript's
 * number-to-string gives the shortest round-trip form, so 0.1 stays `0.1`;
 * exponents are expanded.
 */
export function numberToDecimalText(value: number): string {
  const text = String(value)
  if (!/e/i.test(text)) return text

  return expandExponent(text)
}

function expandExponent(text: string): string {
  const [mantissa, exponentText] = text.toLowerCase().split('e')
  const exponent = Number(exponentText)
  const negative = mantissa.startsWith('-')
  const [integer, fraction = ''] = mantissa.replace('-', '').split('.')
  const digits = integer + fraction
  const point = integer.length + exponent
  let result: string
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length)
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`

  return (negative ? '-' : '') + canonical(result)
}

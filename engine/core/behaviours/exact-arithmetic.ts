import type { Expression } from './expression.ts'

/**
 * The fast path of `evaluateExpression`: a decimal as a safe integer and a
 * count of decimals (12.5 is `{ digits: 125, places: 1 }`). Amounts and
 * percentages of a computed field (`amount * probability / 100`) fit in it,
 * and working on integers saves the decimal.js objects an import of a million
 * records would otherwise build three times each.
 *
 * It gives up (`undefined`) wherever its result could differ from decimal.js
 * in any bit: text values, functions, numbers in exponent notation or with
 * more than 15 digits, results beyond 2^53, zeros added or subtracted (whose
 * sign decimal.js decides by its own rules), division by anything but a power
 * of ten. The caller then evaluates with decimal.js as before.
 */
interface Exact {
  digits: number
  places: number
}

/** Most decimals kept: 10^22 is the largest power of ten a double holds exactly. */
const MAX_PLACES = 22
const PLAIN_NUMBER = /^(-?)(\d+)(?:\.(\d+))?$/
/** Powers of ten as literals: each is exact, whatever `**` would round to. */
const POWERS = Array.from({ length: MAX_PLACES + 1 }, (_, power) => Number(`1e${power}`))

/** The value of an arithmetic expression, `null` when an operand is empty, `undefined` to use decimal.js. */
export function exactValue(expression: Expression, record: Record<string, unknown>): Exact | null | undefined {
  switch (expression.kind) {
    case 'number':
      return fromText(expression.value)
    case 'field': {
      const raw = record[expression.name]
      if (raw === null || raw === undefined || raw === '') return null

      return typeof raw === 'number' ? fromText(String(raw)) : undefined
    }
    case 'unary': {
      const operand = exactValue(expression.operand, record)

      return operand ? { digits: -operand.digits, places: operand.places } : operand
    }
    case 'binary': {
      const left = exactValue(expression.left, record)
      if (left === undefined) return undefined
      const right = exactValue(expression.right, record)
      if (right === undefined) return undefined
      if (left === null || right === null) return null

      return combine(expression.operator, left, right)
    }
    case 'call':
      return undefined
  }
}

/**
 * Rounds half away from zero to `scale` decimals, as decimal.js's
 * `toDecimalPlaces(scale, ROUND_HALF_UP).toNumber()` does: dividing two
 * exact doubles is correctly rounded, which is what parsing the decimal's
 * text gives. A negative value that rounds to zero stays -0, as there.
 */
export function roundExact(value: Exact, scale: number): number | undefined {
  const { digits, places } = value
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_PLACES) return undefined
  if (places <= scale) return digits / POWERS[places]
  if (places - scale > 15) return undefined
  const divisor = POWERS[places - scale]
  const remainder = digits % divisor
  let rounded = (digits - remainder) / divisor
  if (Math.abs(remainder) * 2 >= divisor) rounded += digits < 0 ? -1 : 1
  if (rounded === 0) return digits < 0 || Object.is(digits, -0) ? -0 : 0

  return rounded / POWERS[scale]
}

function combine(operator: '+' | '-' | '*' | '/', left: Exact, right: Exact): Exact | null | undefined {
  if (operator === '*') return checked(left.digits * right.digits, left.places + right.places)
  if (operator === '/') {
    if (right.digits === 0) return null
    const power = powerOfTen(right.digits)
    if (power === undefined) return undefined
    const places = left.places + power - right.places
    // Dividing by 0.01 adds digits instead of places.
    return places >= 0 ? checked(left.digits, places) : -places > 15 ? undefined : checked(left.digits * POWERS[-places], 0)
  }
  if (left.digits === 0 || right.digits === 0) return undefined
  const places = Math.max(left.places, right.places)
  const a = left.digits * POWERS[places - left.places]
  const b = right.digits * POWERS[places - right.places]
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return undefined

  return checked(operator === '+' ? a + b : a - b, places)
}

function checked(digits: number, places: number): Exact | undefined {
  return Number.isSafeInteger(digits) && places <= MAX_PLACES ? { digits, places } : undefined
}

/** `k` when `digits` is 10^k (1, 10, 100, ...), else undefined. */
function powerOfTen(digits: number): number | undefined {
  for (let power = 0, value = 1; power <= 15; power++, value *= 10) if (digits === value) return power

  return undefined
}

function fromText(text: string): Exact | undefined {
  const match = PLAIN_NUMBER.exec(text)
  if (match === null) return undefined
  const [, sign, whole, fraction = ''] = match
  const all = whole + fraction
  if (all.length > 15) return undefined
  const digits = Number(all)

  return { digits: sign === '-' ? -digits : digits, places: fraction.length }
}

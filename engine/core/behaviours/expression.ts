import Decimal from 'decimal.js'
import { exactValue, roundExact } from './exact-arithmetic.ts'

/**
 * The expression language of computed fields. Grammar:
 *
 *   expression := term (("+" | "-") term)*
 *   term       := factor (("*" | "/") factor)*
 *   factor     := number | field | function "(" [expression ("," expression)*] ")"
 *               | "(" expression ")" | "-" factor
 *   function   := "join" | "coalesce" | "round"
 *
 * Numbers are exact decimals (decimal.js), never binary floats. Any empty
 * operand makes the result empty, division by zero too. Nothing is evaluated
 * with `eval`; an expression can only read the record's own fields.
 */
export type Expression =
  | { kind: 'number'; value: string }
  | { kind: 'field'; name: string }
  | { kind: 'unary'; operand: Expression }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/'; left: Expression; right: Expression }
  | { kind: 'call'; name: FunctionName; args: Expression[] }

type FunctionName = 'join' | 'coalesce' | 'round'

const FUNCTIONS = new Set<string>(['join', 'coalesce', 'round'])
const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]*)|([-+*/(),]))/y

type Value = Decimal | string | null

/** Parses an expression; throws an Error whose message says where it went wrong. */
export function parseExpression(text: string): Expression {
  const tokens = tokenize(text)
  let position = 0
  const peek = () => tokens[position]
  const take = (expected?: string) => {
    const token = tokens[position++]
    if (expected !== undefined && token !== expected) {
      throw new Error(`expected "${expected}" but found ${token === undefined ? 'the end' : `"${token}"`}`)
    }

    return token
  }

  function expression(): Expression {
    let left = term()
    while (peek() === '+' || peek() === '-') {
      const operator = take() as '+' | '-'
      left = { kind: 'binary', operator, left, right: term() }
    }

    return left
  }
  function term(): Expression {
    let left = factor()
    while (peek() === '*' || peek() === '/') {
      const operator = take() as '*' | '/'
      left = { kind: 'binary', operator, left, right: factor() }
    }

    return left
  }
  function factor(): Expression {
    const token = take()
    if (token === undefined) throw new Error('the expression ends too early')
    if (token === '-') return { kind: 'unary', operand: factor() }
    if (token === '(') {
      const inner = expression()
      take(')')

      return inner
    }
    if (/^\d/.test(token)) return { kind: 'number', value: token }
    if (/^[a-z]/.test(token)) {
      if (peek() !== '(') return { kind: 'field', name: token }
      if (!FUNCTIONS.has(token)) throw new Error(`unknown function "${token}"; known: join, coalesce, round`)
      take('(')
      const args: Expression[] = []
      while (peek() !== ')') {
        args.push(expression())
        if (peek() === ',') take(',')
        else break
      }
      take(')')

      return { kind: 'call', name: token as FunctionName, args }
    }
    throw new Error(`unexpected "${token}"`)
  }

  const result = expression()
  if (position < tokens.length) throw new Error(`unexpected "${tokens[position]}"`)

  return result
}

/** The field names an expression reads. */
export function fieldsOf(expression: Expression): string[] {
  switch (expression.kind) {
    case 'number':
      return []
    case 'field':
      return [expression.name]
    case 'unary':
      return fieldsOf(expression.operand)
    case 'binary':
      return [...fieldsOf(expression.left), ...fieldsOf(expression.right)]
    case 'call':
      return expression.args.flatMap(fieldsOf)
  }
}

/**
 * Evaluates against a record. Numeric results are rounded half away from
 * zero to `scale` decimals and returned as a JSON number; text as a string.
 */
export function evaluateExpression(
  expression: Expression,
  record: Record<string, unknown>,
  scale: number,
): number | string | null {
  const exact = exactValue(expression, record)
  if (exact === null) return null
  const rounded = exact === undefined ? undefined : roundExact(exact, scale)

  return rounded ?? evaluateWithDecimals(expression, record, scale)
}

/** `evaluateExpression` with decimal.js throughout: what the integer fast path must equal. */
export function evaluateWithDecimals(
  expression: Expression,
  record: Record<string, unknown>,
  scale: number,
): number | string | null {
  const value = evaluate(expression, record)
  if (value === null || typeof value === 'string') return value

  return value.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP).toNumber()
}

function evaluate(expression: Expression, record: Record<string, unknown>): Value {
  switch (expression.kind) {
    case 'number':
      return new Decimal(expression.value)
    case 'field':
      return toValue(record[expression.name])
    case 'unary': {
      const operand = evaluate(expression.operand, record)

      return operand instanceof Decimal ? operand.negated() : null
    }
    case 'binary':
      return applyOperator(expression.operator, evaluate(expression.left, record), evaluate(expression.right, record))
    case 'call':
      return callFunction(expression.name, expression.args.map((arg) => evaluate(arg, record)))
  }
}

function applyOperator(operator: string, left: Value, right: Value): Value {
  if (!(left instanceof Decimal) || !(right instanceof Decimal)) return null
  if (operator === '+') return left.plus(right)
  if (operator === '-') return left.minus(right)
  if (operator === '*') return left.times(right)

  return right.isZero() ? null : left.dividedBy(right)
}

function callFunction(name: FunctionName, args: Value[]): Value {
  if (name === 'join') {
    const parts = args.filter((arg) => arg !== null).map(String).filter((part) => part.trim() !== '')

    return parts.length === 0 ? null : parts.join(' ')
  }
  if (name === 'coalesce') return args.find((arg) => arg !== null) ?? null
  const [value, places] = args
  if (!(value instanceof Decimal)) return null

  return value.toDecimalPlaces(places instanceof Decimal ? places.toNumber() : 0, Decimal.ROUND_HALF_UP)
}

function toValue(raw: unknown): Value {
  if (raw === null || raw === undefined || raw === '') return null
  // String(number) is the shortest exact decimal of the stored value, so 0.1 stays 0.1.
  if (typeof raw === 'number') return new Decimal(String(raw))

  return String(raw)
}

function tokenize(text: string): string[] {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break
    const start = TOKEN.lastIndex
    const match = TOKEN.exec(text)
    if (!match) throw new Error(`unexpected character at position ${start + 1}`)
    tokens.push(match[1] ?? match[2] ?? match[3])
  }

  return tokens
}

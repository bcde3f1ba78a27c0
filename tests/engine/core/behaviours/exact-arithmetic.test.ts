import { describe, expect, it } from 'vitest'
import { evaluateExpression, evaluateWithDecimals, parseExpression } from '../../../../engine/core/behaviours/expression.ts'

// The integer fast path must give exactly what decimal.js gives, -0 and rounding ties included.
const EXPRESSIONS = [
  'amount * probability / 100',
  'amount * 1.19',
  'a + b',
  'a - b * 2',
  '-(a - b) / 0.01',
  'a / b',
  '(a + 0.005) * 3',
  'a',
  'round(a, 1) + b',
]

function randomNumber(random: () => number): number | null | string {
  const pick = random()
  if (pick < 0.05) return null
  if (pick < 0.08) return 'text'
  if (pick < 0.12) return 0
  if (pick < 0.15) return -0.001
  const places = Math.floor(random() * 6)
  const size = 10 ** Math.floor(random() * 12)
  const value = Math.round((random() - 0.3) * size * 10 ** places) / 10 ** places

  return pick < 0.2 ? value * 1e10 : value
}

/** A small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed

  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31

    return state / 2 ** 31
  }
}

describe('exact integer arithmetic of computed fields', () => {
  it('equals decimal.js on random operands and scales', () => {
    const random = seeded(4)
    for (const text of EXPRESSIONS) {
      const expression = parseExpression(text)
      for (let run = 0; run < 4000; run++) {
        const record = {
          amount: randomNumber(random),
          probability: randomNumber(random),
          a: randomNumber(random),
          b: randomNumber(random),
        }
        const scale = Math.floor(random() * 5)
        const fast = evaluateExpression(expression, record, scale)
        const slow = evaluateWithDecimals(expression, record, scale)
        expect(Object.is(fast, slow), `${text} ${JSON.stringify(record)} scale ${scale}: ${fast} vs ${slow}`).toBe(true)
      }
    }
  })

  it('rounds ties away from zero and keeps the sign of a zero', () => {
    const expression = parseExpression('a * b / 100')
    expect(evaluateExpression(expression, { a: 0.5, b: 1 }, 2)).toBe(0.01)
    expect(evaluateExpression(expression, { a: -0.5, b: 1 }, 2)).toBe(-0.01)
    expect(Object.is(evaluateExpression(expression, { a: -0.4, b: 1 }, 2), -0)).toBe(true)
    expect(Object.is(evaluateExpression(expression, { a: 0, b: -5 }, 2), -0)).toBe(true)
    expect(evaluateExpression(expression, { a: 1234.56, b: 35 }, 2)).toBe(432.1)
  })
})

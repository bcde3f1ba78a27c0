import { describe, expect, it } from 'vitest'
import {
  numberToDecimalText,
  numberToScaledInteger,
  toScaledInteger,
} from '../../../../engine/core/field-types/decimal-text.ts'

// The insert's number-only path must store exactly the minor units the text path stores.
describe('numberToScaledInteger', () => {
  it('equals the text path on random amounts, scales and awkward doubles', () => {
    let state = 7
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31

      return state / 2 ** 31
    }
    const values = [0, -0, 0.1, 0.2 + 0.1, 1.005, -1.005, 1e21, 1e-7, 123456789.123, 2 ** 49 / 100, 2 ** 53, NaN, 90071992547409.91]
    for (let index = 0; index < 20_000; index++) {
      const places = Math.floor(random() * 8)
      const size = 10 ** Math.floor(random() * 16)
      values.push(Math.round((random() - 0.5) * size * 10 ** places) / 10 ** places)
      values.push((random() - 0.5) * size)
    }
    const differences: string[] = []
    for (const value of values) {
      for (const scale of [0, 1, 2, 3, 4, 6, 15]) {
        const expected = toScaledInteger(numberToDecimalText(value), scale)
        const actual = numberToScaledInteger(value, scale)
        if (!Object.is(actual, expected)) differences.push(`${value} scale ${scale}: ${actual} vs ${expected}`)
      }
    }
    expect(differences).toEqual([])
  })
})

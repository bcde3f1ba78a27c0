import { decimalPlaces, numberToDecimalText } from '../field-types/decimal-text.ts'

/**
 * Whether a number has at most `scale` decimals, counted on its shortest exact
 * decimal text: the rule of the `x-scale` keyword. The server's validator calls
 * it directly; a standalone (browser) validator `require`s it from
 * `standalone-runtime.ts`, so both run this one function.
 */
export function fitsScale(scale: number, value: number): boolean {
  return decimalPlaces(numberToDecimalText(value)) <= scale
}

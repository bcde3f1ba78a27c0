import { badRequest } from './error-handler.ts'

/** Reads a positive integer id from a path segment or answers 400 naming it. */
export function readId(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text)) badRequest(`"${text}" is not an id`)

  return Number(text)
}

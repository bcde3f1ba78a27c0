/** The message of anything thrown, for showing to people. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

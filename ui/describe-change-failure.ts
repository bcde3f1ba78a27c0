import { ApiError, type Issue } from './api-client.ts'
import { messageOf } from './message-of.ts'

/** A refused definition change as the editor shows it. */
export interface ChangeFailure {
  message: string
  issues: Issue[]
  /** True on 409: the definition changed since it was loaded, so it must be reloaded. */
  stale: boolean
}

/**
 * Turns the answer to a plan, PUT or restore into what the admin reads:
 * 409 asks for a reload, 422 lists the server's issues, anything else says
 * that nothing was changed.
 */
export function describeChangeFailure(error: unknown, moduleLabel: string): ChangeFailure {
  if (error instanceof ApiError && error.status === 409) {
    const current = error.details.currentVersion
    const version = typeof current === 'number' ? ` (it is at version ${current} now)` : ''

    return {
      message: `Someone else changed ${moduleLabel} after you opened it${version}, so nothing was saved. Reload to see their version; your pending changes are applied to it again where they still fit.`,
      issues: [],
      stale: true,
    }
  }
  if (error instanceof ApiError && error.status === 422) {
    const why =
      error.code === 'SCHEMA_CHANGE_UNSAFE'
        ? 'the stored records do not allow it'
        : 'the definition would not be valid'

    return {
      message: `The server refused the change because ${why}: ${error.message}`,
      issues: error.issues,
      stale: false,
    }
  }

  return {
    message: `The change could not be sent: ${messageOf(error)}. Nothing was changed; try again.`,
    issues: [],
    stale: false,
  }
}

import type { Engine } from '../core/engine.ts'
import type { SessionUser } from '../core/users/auth-service.ts'
import type { Logger } from './logger.ts'

/** What every request handler finds in its context. */
export interface AppEnv {
  Variables: {
    engine: Engine
    logger: Logger
    requestId: string
    user: SessionUser
  }
}

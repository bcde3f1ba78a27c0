import { randomBytes } from 'node:crypto'
import { createEngine, type Actor, type Engine } from '../core/engine.ts'

/**
 * Opens the engine for a command-line tool and finds the admin who acts.
 * On an empty database the admin is created as on the server's first start
 * (password from CRM_ADMIN_PASSWORD, or a generated one printed once).
 */
export async function openCliEngine(database: string): Promise<{ engine: Engine; actor: Actor }> {
  const engine = await createEngine({ databaseUrl: database })
  const given = process.env.CRM_ADMIN_PASSWORD
  const password = given ?? randomBytes(12).toString('base64url')
  const { user, created } = await engine.auth.ensureAdmin('admin', password)
  if (created && given === undefined)
    process.stderr.write(`created user admin with the password ${password} (shown once)\n`)

  return { engine, actor: user }
}

/** A progress line that rewrites itself on a terminal and prints plainly elsewhere. */
export function progressLine(): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY === true
  let last = 0

  return {
    update(text) {
      const now = Date.now()
      if (!tty && now - last < 2000) return
      last = now
      process.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`)
    },
    done() {
      if (tty) process.stderr.write('\n')
    },
  }
}

import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Runs before `npm test`: the browser tests drive Debian's Chromium (its own
 * Playwright download cannot reach this network). When it is missing and we
 * may use apt-get, install it, so a fresh clone's `npm install && npm test`
 * passes on a new machine.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

if (!existsSync(CHROMIUM_PATH)) {
  const isRoot = process.getuid?.() === 0
  if (!isRoot) {
    process.stderr.write(`Chromium is missing at ${CHROMIUM_PATH}; install it with: sudo apt-get install -y chromium\n`)
    process.exit(1)
  }
  process.stderr.write('Installing Debian chromium for the browser tests (about half a minute)...\n')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
}

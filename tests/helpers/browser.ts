import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { build } from 'vite'
import type { SessionUser } from '../../engine/core/users/auth-service.ts'
import { createLogger } from '../../engine/server/logger.ts'
import { startServer, type RunningServer } from '../../engine/server/start-server.ts'

export const ADMIN_PASSWORD = 'admin-pass-123'
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots')
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A real server on an in-memory database, serving a fresh build of ui/, and one Chromium page. */
export interface UiSession {
  server: RunningServer
  page: Page
  /** The logged-in admin, for writing fixtures through the engine. */
  admin: SessionUser
  /** Loads the client afresh at a route, for example `#/potentials/new`. */
  open(hash: string): Promise<void>
  /** Logs the browser in as admin through the API, for tests that are not about the login screen. */
  logInAsAdmin(): Promise<void>
  close(): Promise<void>
}

/**
 * Builds the web client into a directory of its own (test files run in
 * parallel and must not share dist/ui), starts the server on a free port of
 * 127.0.0.1 and launches Chromium with a fresh profile.
 */
export async function startUiSession(): Promise<UiSession> {
  await mkdir(join(ROOT, 'test-results'), { recursive: true })
  const staticDir = await mkdtemp(join(ROOT, 'test-results', 'ui-build-'))
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: staticDir },
  })
  const server = await startServer({
    databaseUrl: ':memory:',
    port: 0,
    host: '127.0.0.1',
    adminPassword: ADMIN_PASSWORD,
    sampleData: false,
    staticDir,
    logger: createLogger('silent'),
  })
  const { user: admin } = await server.engine.auth.login('admin', ADMIN_PASSWORD)
  const profile = await mkdtemp(join(tmpdir(), 'crm-chromium-'))
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  })
  const page = context.pages()[0] ?? (await context.newPage())

  return {
    server,
    page,
    admin,
    open: async (hash) => {
      // A fresh document each time: going from one hash to another would not reload the client.
      await page.goto('about:blank')
      await page.goto(`${server.url}/${hash}`)
    },
    logInAsAdmin: async () => {
      const response = await page.request.post(`${server.url}/api/session`, {
        data: { username: 'admin', password: ADMIN_PASSWORD },
      })
      if (!response.ok()) throw new Error(`admin login failed with ${response.status()}`)
    },
    close: async () => {
      await context.close()
      await server.close()
      await rm(profile, { recursive: true, force: true })
      await rm(staticDir, { recursive: true, force: true })
    },
  }
}

/** Logs in through the login screen and waits for the module navigation. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('User name').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('navigation', { name: 'Modules' }).waitFor()
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

/** Waits until the locator shows the text and returns its whole text. */
export async function textOf(locator: Locator, text: string | RegExp): Promise<string> {
  await locator.filter({ hasText: text }).first().waitFor()

  return (await locator.filter({ hasText: text }).first().textContent()) ?? ''
}

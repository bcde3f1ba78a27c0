import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'
import { importJobsOf } from '../../engine/core/csv/import-job-service.ts'

/** Three deals, the second with an amount that is not a number. */
const FILE = [
  'Potential Name,Sales Stage,Expected Close Date,Amount',
  'Crane hire,Prospecting,2026-12-31,100',
  'Bad amount,Prospecting,2026-12-31,abc',
  'Dock lease,Prospecting,2026-12-31,300',
].join('\r\n')

describe('crm-recent-imports', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
  })

  afterAll(async () => {
    await session?.close()
  })

  it('lists a past import after the wizard was left, downloads its refused rows and undoes it after asking', async () => {
    const { page, server } = session
    const total = async () => (await server.engine.records.list('potentials', { limit: 1 })).total
    await session.open('#/potentials')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('link', { name: 'Import', exact: true }).click()
    const recent = page.locator('crm-recent-imports')
    await recent.getByText('No imports into Potentials yet.').waitFor()

    await page
      .locator('crm-import-wizard input[type="file"]')
      .setInputFiles({ name: 'harbour.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) })
    await page.getByRole('button', { name: 'Check the file' }).click()
    await page.getByRole('button', { name: 'Import 2 of 3 rows (1 refused)' }).click()
    await page.getByRole('heading', { name: 'The import is done' }).waitFor()
    expect(await total()).toBe(2)

    // Leave the wizard for the list, then come back to Import.
    await page.getByRole('link', { name: 'Open the list' }).click()
    await page.getByRole('link', { name: 'Import', exact: true }).click()
    const table = recent.getByRole('table', { name: 'Recent imports' })
    const row = table.getByRole('row', { name: /harbour\.csv/ })
    expect(await textOf(row, /harbour\.csv.*Administrator\s*Done\s*2\s*0\s*0\s*1/s)).toMatch(/harbour\.csv.*Administrator\s*Done\s*2\s*0\s*0\s*1/s)
    // The dry run of the check step is stored as a job too, but not listed.
    const [job] = await importJobsOf(server.engine).list('potentials', session.admin)
    const name = `harbour.csv (import ${job.id})`

    const download = page.waitForEvent('download')
    await row.getByRole('link', { name: `Download the refused rows of ${name}` }).click()
    const refused = await readFile((await (await download).path())!, 'utf8')
    expect(refused.trimEnd().split('\r\n')).toEqual([
      'Potential Name,Sales Stage,Expected Close Date,Amount,Import Error',
      expect.stringMatching(/^Bad amount,Prospecting,2026-12-31,abc,"line 3: .*not a number/),
    ])

    // Undo asks first, with the focus on the question, and writes nothing until confirmed.
    await row.getByRole('button', { name: `Undo ${name}` }).click()
    const question = table.getByRole('group', { name: `Confirm undoing ${name}` })
    const yes = question.getByRole('button', { name: `Yes, undo ${name}` })
    expect(await yes.evaluate((button) => button.matches(':focus'))).toBe(true)
    await question.getByRole('button', { name: 'Keep it' }).click()
    expect(await total()).toBe(2)
    const undo = row.getByRole('button', { name: `Undo ${name}` })
    expect(await undo.evaluate((button) => button.matches(':focus'))).toBe(true)
    await page.keyboard.press('Enter')
    await saveScreenshot(page, 'recent-imports-confirm')
    await page.keyboard.press('Enter')
    await textOf(recent.getByRole('status'), `${name}: undone.`)
    expect(await row.textContent()).toMatch(/Undone/)
    expect(await total()).toBe(0)
    await expect.poll(() => row.getByRole('button', { name: /^Undo/ }).count(), { timeout: 10_000 }).toBe(0)
    await saveScreenshot(page, 'recent-imports-undone')
  })
})

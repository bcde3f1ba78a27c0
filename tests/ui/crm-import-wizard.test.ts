import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

const ROWS = 15_000

/** A file from "another CRM": its name column is not called like any field, and row 6 has a bad amount. */
function oldCrmFile(): Buffer {
  const lines = ['Deal,Sales Stage,Expected Close Date,Amount']
  for (let index = 1; index <= ROWS; index++) {
    lines.push(
      `Deal ${index},${index % 2 ? 'Prospecting' : 'closed won'},31.12.2026,${index === 5 ? 'abc' : `${index}.50`}`,
    )
  }

  return Buffer.from(`${lines.join('\r\n')}\r\n`)
}

describe('crm-import-wizard', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
  })

  afterAll(async () => {
    await session?.close()
  })

  it('checks a file with a preview, maps a column, imports with a progress bar, offers the refused rows and undoes', async () => {
    const { page, server } = session
    await session.open('#/potentials')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('link', { name: 'Import', exact: true }).click()
    await page.getByRole('heading', { name: 'Import Potentials', exact: true }).waitFor()

    await page
      .locator('crm-import-wizard input[type="file"]')
      .setInputFiles({ name: 'old-crm.csv', mimeType: 'text/csv', buffer: oldCrmFile() })
    await page.getByLabel('Dates').selectOption('DMY')
    await page.getByRole('button', { name: 'Check the file' }).click()
    await page.getByRole('heading', { name: '2. Check the columns and the values' }).waitFor()
    // "Deal" matches no field yet: every row lacks its name.
    expect(
      await textOf(page.getByRole('list', { name: 'What the import would do' }), 'refused'),
    ).toMatch(/15000\s*refused/)

    await page.getByLabel('Field for Deal').selectOption('potentialname')
    await page.getByRole('button', { name: 'Check again' }).click()
    const preview = page.getByRole('table', { name: 'Preview' })
    expect(await textOf(preview, 'Deal 1')).toContain('from “31.12.2026”')
    expect(await preview.textContent()).toContain('2026-12-31')
    expect(await preview.textContent()).toContain('Closed Won')
    expect(
      await textOf(page.getByRole('list', { name: 'What the import would do' }), '14999'),
    ).toMatch(/14999\s*to create/)
    expect(await textOf(page.getByRole('table', { name: 'Refused rows' }), /6\s*Amount\s*abc/)).toMatch(
      /6\s*Amount\s*abc/,
    )
    await page.locator('crm-import-wizard input[name="mapping-name"]').fill('Old CRM')
    await page.getByRole('button', { name: 'Save mapping' }).click()
    await textOf(page.locator('crm-import-wizard .notice'), 'Old CRM')
    await saveScreenshot(page, 'import-wizard-check')

    // The button says what will go in: every row but the refused one.
    await page.getByRole('button', { name: `Import ${ROWS - 1} of ${ROWS} rows (1 refused)` }).click()
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor()
    await saveScreenshot(page, 'import-wizard-progress')
    await page.getByRole('heading', { name: 'The import is done' }).waitFor({ timeout: 120_000 })
    const counts = page.getByRole('list', { name: 'Import counts' })
    expect(await textOf(counts, /14999\s*created.*1\s*refused/s)).toMatch(/14999\s*created.*1\s*refused/s)
    const download = page.getByRole('link', { name: 'Download the refused rows' })
    const refused = await page.request.get(`${server.url}${await download.getAttribute('href')}`)
    expect((await refused.text()).split('\r\n')[1]).toMatch(
      /^Deal 5,Prospecting,31\.12\.2026,abc,"line 6: /,
    )
    await saveScreenshot(page, 'import-wizard-done')
    expect((await server.engine.records.list('potentials', { limit: 1 })).total).toBe(ROWS - 1)

    // Undo asks first: it is destructive.
    await page.getByRole('button', { name: 'Undo this import' }).click()
    const question = page.getByRole('group', { name: /^Confirm undoing old-crm\.csv/ })
    expect(await question.textContent()).toMatch(/records it created move to the recycle bin/)
    expect((await server.engine.records.list('potentials', { limit: 1 })).total).toBe(ROWS - 1)
    await question.getByRole('button', { name: /^Yes, undo old-crm\.csv/ }).click()
    await page.getByRole('heading', { name: 'The import was undone' }).waitFor({ timeout: 120_000 })
    expect(await textOf(page.locator('crm-import-wizard section'), `${ROWS - 1} records moved to the recycle bin`)).toContain(
      `${ROWS - 1} records moved to the recycle bin`,
    )
    expect((await server.engine.records.list('potentials', { limit: 1 })).total).toBe(0)
    await saveScreenshot(page, 'import-wizard-undone')

    // The saved mapping is offered for the next file.
    await page.getByRole('button', { name: 'Import another file' }).click()
    expect(await page.getByLabel('Saved mapping').locator('option').allTextContents()).toEqual([
      'None',
      'Old CRM',
    ])
  })
})

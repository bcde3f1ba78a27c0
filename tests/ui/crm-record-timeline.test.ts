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

describe('crm-record-timeline', () => {
  let session: UiSession
  let dealId: number

  beforeAll(async () => {
    session = await startUiSession()
    const deal = await session.server.engine.records.create(
      'potentials',
      { potentialname: 'Forklift fleet', closingdate: '2027-04-30', sales_stage: 'Prospecting' },
      session.admin,
    )
    dealId = deal.id
  })

  afterAll(async () => {
    await session?.close()
  })

  it('adds a comment shown as text, newest first, above the creation', async () => {
    const { page } = session
    await session.open(`#/potentials/${dealId}`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    const timeline = page.locator('crm-record-timeline')
    const entries = timeline.getByRole('list', { name: 'Timeline entries' }).locator('li')
    await textOf(entries, 'Created')

    await timeline.getByRole('button', { name: 'Add comment' }).click()
    expect(await textOf(timeline.locator('.error'), 'comment')).toContain('needs some text')

    const text = 'Call back on Monday <b>not bold</b>\nsecond line'
    await timeline.getByRole('textbox', { name: 'Comment' }).fill(text)
    await timeline.getByRole('button', { name: 'Add comment' }).click()
    await entries.filter({ hasText: 'Call back on Monday' }).waitFor()
    const first = entries.first()
    expect(await first.locator('.kind').textContent()).toBe('Comment')
    expect(await first.locator('.body').textContent()).toBe(text)
    await expect.poll(() => first.locator('b').count(), { timeout: 10_000 }).toBe(0)
    expect(await first.locator('.meta').textContent()).toContain('Administrator')
    expect(await timeline.getByRole('textbox', { name: 'Comment' }).inputValue()).toBe('')
  })

  it('uploads a file and downloads it as an attachment; a file over the limit says the limit', async () => {
    const { page, server } = session
    const timeline = page.locator('crm-record-timeline')
    const entries = timeline.getByRole('list', { name: 'Timeline entries' }).locator('li')
    const content = 'Offer for the forklift fleet\n12 units\n'
    await timeline.getByLabel('Attach a file').setInputFiles({
      name: 'offer <v2>.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(content),
    })
    await timeline.getByRole('button', { name: 'Upload' }).click()
    expect(await textOf(timeline.locator('#upload-note'), 'is attached')).toContain('is attached')
    const document = entries.filter({ hasText: 'Document' }).first()
    const link = document.getByRole('link')
    await link.waitFor()
    const title = (await link.textContent())!.trim()
    expect(title).toContain('offer')

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toMatch(/^offer.*\.txt$/)
    expect(await readFile((await download.path())!, 'utf8')).toBe(content)
    const response = await page.request.get(`${server.url}${await link.getAttribute('href')}`)
    expect(response.headers()['content-disposition']).toMatch(/^attachment;/)
    expect(response.headers()['x-content-type-options']).toBe('nosniff')
    await saveScreenshot(page, 'timeline-comment-document')

    await timeline.getByLabel('Attach a file').setInputFiles({
      name: 'huge.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(21 * 1024 * 1024, 1),
    })
    await timeline.getByRole('button', { name: 'Upload' }).click()
    const note = await textOf(timeline.locator('#upload-note'), 'not attached')
    expect(note).toContain('“huge.bin” was not attached')
    expect(note).toContain('20 MB')
    await saveScreenshot(page, 'timeline-upload-too-large')
  })

  it('logs an activity against the record through its parent fields', async () => {
    const { page, server } = session
    const timeline = page.locator('crm-record-timeline')
    const entries = timeline.getByRole('list', { name: 'Timeline entries' }).locator('li')
    await timeline.getByRole('button', { name: 'Log an activity' }).click()
    const form = timeline.getByRole('form', { name: 'Log an activity' })
    await form.getByRole('button', { name: 'Save activity' }).click()
    expect(await textOf(form.locator('crm-field-input[data-field="subject"] .error'), 'required')).toContain(
      'Subject',
    )

    await form.getByRole('textbox', { name: 'Subject' }).fill('Demo at the warehouse')
    await form.getByRole('combobox', { name: 'Activity Type' }).selectOption('Meeting')
    await form.getByLabel('Start').fill('2027-03-02T10:30')
    await form.getByRole('textbox', { name: 'Description' }).fill('Bring the brochure')
    await form.getByRole('button', { name: 'Save activity' }).click()
    const activity = entries.filter({ hasText: 'Demo at the warehouse' })
    await activity.waitFor()
    expect(await activity.locator('.kind').textContent()).toBe('Activity')
    expect(await activity.locator('.body').textContent()).toBe('Bring the brochure')
    expect(await activity.locator('time').textContent()).toBe('2027-03-02 10:30')
    await saveScreenshot(page, 'timeline-activity')

    const stored = await server.engine.records.list('activities', {})
    expect(
      stored.items.map((record) => [record.subject, record.activity_type, record.parent_module, record.parent_id]),
    ).toEqual([['Demo at the warehouse', 'Meeting', 'potentials', dealId]])

    await activity.getByRole('link', { name: 'Demo at the warehouse' }).click()
    await page.getByRole('heading', { name: 'Demo at the warehouse', exact: true }).waitFor()
  })

  it('pages through more entries than one page holds', async () => {
    const { page, server, admin } = session
    for (let number = 1; number <= 12; number++) {
      await server.engine.records.update('potentials', dealId, { nextstep: `Step ${number}` }, admin)
    }
    await session.open(`#/potentials/${dealId}`)
    const timeline = page.locator('crm-record-timeline')
    const pager = timeline.locator('.pager output')
    expect(await textOf(pager, /^1–10 of 16$/)).toMatch(/^1–10 of 16$/)
    const entries = timeline.getByRole('list', { name: 'Timeline entries' }).locator('li')
    // The activity starts in 2027, so it is the newest entry; the latest change follows it.
    expect(await entries.first().textContent()).toContain('Demo at the warehouse')
    expect(await entries.nth(1).textContent()).toContain('Next Step: Step 11 → Step 12')
    await timeline.getByRole('button', { name: 'Older entries' }).click()
    expect(await textOf(pager, /^11–16 of 16$/)).toMatch(/^11–16 of 16$/)
    expect(await textOf(entries.last(), 'Created')).toContain('Created')
  })
})

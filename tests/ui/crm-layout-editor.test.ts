import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-layout-editor', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
  })

  afterAll(async () => {
    await session?.close()
  })

  it('adds a field that the form of the module offers at once', async () => {
    const { page, server, admin } = session
    const deal = await server.engine.records.create(
      'potentials',
      {
        potentialname: 'Data centre move',
        closingdate: '2027-06-30',
        sales_stage: 'Needs Analysis',
      },
      admin,
    )
    await session.open('#/admin/layout/potentials')
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('heading', { name: 'Layout editor: Potentials', exact: true }).waitFor()
    await saveScreenshot(page, 'layout-editor')

    await page.getByRole('button', { name: 'Preview the change' }).click()
    expect(await textOf(page.locator('#field-label-error'), 'Enter the label')).toContain('Budget')

    await page.getByLabel('Label', { exact: true }).fill('Travel Budget')
    await page.getByLabel('Kind', { exact: true }).selectOption('currency')
    await page.getByLabel('Block', { exact: true }).selectOption({ label: 'Potential Information' })
    await page.getByLabel('Show as a list column').check()
    await page.getByRole('button', { name: 'Preview the change' }).click()
    const plan = page.locator('crm-layout-editor section', {
      has: page.getByRole('heading', { name: 'The change to save', exact: true }),
    })
    expect(await textOf(plan.locator('ol li'), 'cf_travel_budget')).toContain('Travel Budget')
    await saveScreenshot(page, 'layout-editor-plan')

    await page.getByRole('button', { name: 'Save the change' }).click()
    expect(await textOf(page.locator('crm-layout-editor .notice'), 'Travel Budget')).toContain(
      'Potential Information',
    )
    expect(await textOf(page.locator('crm-layout-editor li'), 'cf_travel_budget')).toContain(
      'currency',
    )
    await saveScreenshot(page, 'layout-editor-saved')

    await session.open(`#/potentials/${deal.id}/edit`)
    await page.getByRole('heading', { name: 'Edit Data centre move', exact: true }).waitFor()
    await page.getByRole('spinbutton', { name: 'Travel Budget', exact: true }).fill('2500')
    await saveScreenshot(page, 'form-new-field')
    await page.getByRole('button', { name: 'Save Potential' }).click()
    await page.getByRole('heading', { name: 'Data centre move', exact: true }).waitFor()
    const budget = page.locator('crm-record-detail div', {
      has: page.locator('dt', { hasText: 'Travel Budget' }),
    })
    expect(await textOf(budget.locator('dd'), '2,500.00')).toBe('2,500.00')

    const stored = await server.engine.records.get('potentials', deal.id)
    expect(stored.cf_travel_budget).toBe(2500)
    const live = server.engine.runtime('potentials').definition
    expect(live.record.properties.cf_travel_budget).toMatchObject({
      type: 'number',
      'x-kind': 'currency',
      title: 'Travel Budget',
    })
    expect(live.layout.blocks[0].fields.at(-1)).toBe('cf_travel_budget')
  })

  it('explains that the module changed meanwhile and reloads the newer layout', async () => {
    const { page, server, admin } = session
    await session.logInAsAdmin()
    await session.open('#/admin/layout/accounts')
    await page.getByRole('heading', { name: 'Layout editor: Accounts', exact: true }).waitFor()
    const live = server.engine.runtime('accounts')
    const renamed = structuredClone(live.definition)
    renamed.layout.blocks[0].label = 'Company'
    await server.engine.updateDefinition(
      'accounts',
      { baseVersion: live.version, definition: renamed },
      admin,
    )

    await page.getByLabel('Label', { exact: true }).fill('Region')
    await page.getByRole('button', { name: 'Preview the change' }).click()
    const alert = page.locator('crm-layout-editor .alert')
    expect(await textOf(alert, 'Someone else changed Accounts')).toContain('Reload the layout')
    await saveScreenshot(page, 'layout-editor-stale')

    await page.getByRole('button', { name: 'Reload the layout' }).click()
    await page.getByRole('heading', { name: 'Company', exact: true }).waitFor()
    expect(await alert.count()).toBe(0)
  })
})

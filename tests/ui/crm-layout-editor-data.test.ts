import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

// Layout Editor changes that move stored values: back-fills, conversions, picklist moves, archive.
describe('crm-layout-editor with data', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    await session.logInAsAdmin()
  })

  afterAll(async () => {
    await session?.close()
  })

  it('makes a field mandatory, shows the records without a value and back-fills them', async () => {
    const { page, server, admin } = session
    const records = server.engine.records
    await records.create('accounts', { accountname: 'Fabrikam', country: 'Norway' }, admin)
    const empty = [
      await records.create('accounts', { accountname: 'Tailspin Toys' }, admin),
      await records.create('accounts', { accountname: 'Wide World Importers' }, admin),
    ]
    await openEditor(page, session, 'accounts')

    await selectField(page, 'Country')
    await page.getByRole('button', { name: 'Make mandatory…' }).click()
    const panel = page.locator('crm-layout-field-panel')
    expect(await textOf(panel.locator('.gaps'), /2 existing records have no\s+Country/)).toMatch(
      /2 existing records have no\s+Country/,
    )
    await panel.getByLabel('Back-fill value').fill('Unknown')
    await saveScreenshot(page, 'layout-editor-mandatory')
    await panel.getByRole('button', { name: 'Make mandatory', exact: true }).click()
    await page
      .locator('crm-layout-canvas li', { hasText: 'country ·' })
      .getByText('mandatory')
      .waitFor()

    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const plan = page.locator('crm-layout-plan')
    expect((await textOf(plan.locator('ol.steps li'), 'Fill country')).trim()).toBe(
      'Fill country with "Unknown" in 2 records.',
    )
    await saveScreenshot(page, 'layout-editor-mandatory-plan')
    await plan.getByRole('button', { name: 'Apply the changes' }).click()
    await page.locator('crm-layout-editor .notice').waitFor()

    for (const account of empty) {
      expect((await records.get('accounts', account.id)).country).toBe('Unknown')
    }
    expect(server.engine.runtime('accounts').definition.record.required).toContain('country')
  })

  it('converts text to currency: lists the failing value, refuses, then clears it keeping a copy', async () => {
    const { page, server, admin } = session
    const records = server.engine.records
    const plain = await records.create('products', { productname: 'Cable', series: '1200' }, admin)
    const grouped = await records.create(
      'products',
      { productname: 'Rack', series: '3,400.50' },
      admin,
    )
    await openEditor(page, session, 'products')

    await selectField(page, 'Series')
    const kind = page.getByRole('form', { name: 'Kind' })
    await kind.getByLabel('New kind').selectOption('currency')
    await kind.getByRole('button', { name: 'Change kind' }).click()
    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const plan = page.locator('crm-layout-plan')
    expect(await textOf(plan.locator('ol.steps li'), 'Convert series')).toContain(
      '2 convertible, 0 empty, 0 failing',
    )

    // A value that cannot convert arrives after the plan: the server refuses the PUT with 422.
    const vague = await records.create(
      'products',
      { productname: 'Switch', series: 'about 5k' },
      admin,
    )
    await plan.getByRole('button', { name: 'Apply the changes' }).click()
    const alert = page.locator('crm-layout-editor > .alert, crm-layout-editor .alert').first()
    expect(await textOf(alert, 'refused')).toContain('the stored records do not allow it')
    expect(await textOf(alert.locator('li'), 'about 5k')).toContain('cannot become currency')
    await saveScreenshot(page, 'layout-editor-conversion-refused')

    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const failing = plan.getByRole('region', { name: 'Values of series that cannot be converted' })
    expect(await textOf(failing.locator('tbody tr'), 'about 5k')).toContain(`#${vague.id}`)
    expect(await textOf(plan.locator('.issues'), 'would refuse')).toContain(
      'cannot become currency',
    )
    expect(await plan.getByRole('button', { name: 'Apply the changes' }).isDisabled()).toBe(true)
    await saveScreenshot(page, 'layout-editor-conversion-plan')

    await plan
      .getByRole('button', { name: 'Clear the failing values and keep a copy of the originals' })
      .click()
    expect(await textOf(plan.locator('ol.steps li'), 'Convert series')).toContain(
      'cleared; the originals are kept in _backup_v2_series',
    )
    await plan.getByRole('button', { name: 'Apply the changes' }).click()
    await page.locator('crm-layout-editor .notice').waitFor()

    expect((await records.get('products', plain.id)).series).toBe(1200)
    expect((await records.get('products', grouped.id)).series).toBe(3400.5)
    expect((await records.get('products', vague.id)).series).toBe(null)
    expect(server.engine.runtime('products').definition.record.properties.series['x-kind']).toBe(
      'currency',
    )
  })

  it('renames a picklist value and sets its probability; records follow the new value', async () => {
    const { page, server, admin } = session
    const deal = await server.engine.records.create(
      'potentials',
      { potentialname: 'Harbour cranes', closingdate: '2027-03-01', sales_stage: 'Needs Analysis' },
      admin,
    )
    await openEditor(page, session, 'potentials')

    await selectField(page, 'Sales Stage')
    const values = page.locator('crm-layout-picklist')
    await values.getByRole('button', { name: 'Edit Needs Analysis' }).click()
    await values.getByLabel('Rename to').fill('Discovery')
    await values.getByRole('button', { name: 'Rename value' }).click()
    await values.getByRole('rowheader', { name: 'Discovery', exact: true }).waitFor()
    await values.getByLabel('Probability of Discovery').fill('35')
    await values.getByLabel('Probability of Discovery').press('Tab')
    await page
      .getByRole('region', { name: 'Pending changes' })
      .getByText('2 pending changes')
      .waitFor()
    await saveScreenshot(page, 'layout-editor-picklist')

    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const plan = page.locator('crm-layout-plan')
    expect(await textOf(plan.locator('ol.steps li'), 'Move picklist values')).toContain(
      '(“Needs Analysis” → “Discovery”) in 1 record.',
    )
    await plan.getByRole('button', { name: 'Apply the changes' }).click()
    await page.locator('crm-layout-editor .notice').waitFor()

    const stage = server.engine.runtime('potentials').definition.record.properties.sales_stage
    expect(stage.enum).toContain('Discovery')
    expect(stage['x-values']?.Discovery).toEqual({ probability: 35, outcome: 'open' })
    await session.open(`#/potentials/${deal.id}`)
    const shown = page.locator('crm-record-detail div', {
      has: page.locator('dt', { hasText: 'Sales Stage' }),
    })
    expect(await textOf(shown.locator('dd'), 'Discovery')).toBe('Discovery')
  })

  it('merges, deletes with a replacement, adds and reorders picklist values, and renames an API name', async () => {
    const { page, server, admin } = session
    const records = server.engine.records
    const software = await records.create(
      'accounts',
      { accountname: 'Contoso', industry: 'Software', employees: 40, country: 'Peru' },
      admin,
    )
    const tech = await records.create(
      'accounts',
      { accountname: 'Litware', industry: 'Technology', country: 'Peru' },
      admin,
    )
    const marketing = await records.create(
      'accounts',
      { accountname: 'Adventure Works', industry: 'Marketing', country: 'Peru' },
      admin,
    )
    await openEditor(page, session, 'accounts')

    await selectField(page, 'Industry')
    const values = page.locator('crm-layout-picklist')
    await values.getByRole('button', { name: 'Edit Technology' }).click()
    await values.getByLabel('Merge into').selectOption('Software')
    await values.getByRole('button', { name: 'Merge value' }).click()
    await values.getByRole('button', { name: 'Edit Marketing' }).click()
    await values.getByLabel('Records with “Marketing” get').selectOption('Services')
    await values.getByRole('button', { name: 'Delete value' }).click()
    await values.getByLabel('New value').fill('Biotech')
    await values.getByRole('button', { name: 'Add value' }).click()
    await values.getByRole('button', { name: 'Move Biotech up' }).click()
    const order = await values.getByRole('rowheader').allTextContents()
    expect(order.slice(-2)).toEqual(['Biotech', 'Other'])
    expect(order).not.toContain('Technology')

    await selectField(page, 'Employees')
    await page.getByLabel('New API name').fill('headcount')
    await page.getByRole('button', { name: 'Rename API name' }).click()
    await page.locator('crm-layout-canvas li', { hasText: 'headcount · integer' }).waitFor()
    await page.getByRole('heading', { name: 'Field: Employees', exact: true }).waitFor()

    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const steps = page.locator('crm-layout-plan ol.steps li')
    expect(await textOf(steps, 'Rename the field')).toContain('employees to headcount')
    expect(await textOf(steps, 'Move picklist values of industry')).toContain('in 2 records')
    await saveScreenshot(page, 'layout-editor-picklist-plan')
    await page.locator('crm-layout-plan').getByRole('button', { name: 'Apply the changes' }).click()
    await page.locator('crm-layout-editor .notice').waitFor()

    expect((await records.get('accounts', tech.id)).industry).toBe('Software')
    expect((await records.get('accounts', marketing.id)).industry).toBe('Services')
    const stored = await records.get('accounts', software.id)
    expect([stored.headcount, stored.employees]).toEqual([40, undefined])
    const industry = server.engine.runtime('accounts').definition.record.properties.industry
    expect(industry.enum?.slice(-2)).toEqual(['Biotech', 'Other'])
  })

  it('archives and restores a field with its values, and purges another after confirmation', async () => {
    const { page, server, admin } = session
    const contact = await server.engine.records.create(
      'contacts',
      { lastname: 'Okafor', title: 'CTO', mobile: '+47 400 00 000' },
      admin,
    )
    await openEditor(page, session, 'contacts')
    await selectField(page, 'Title')
    await page.getByRole('button', { name: 'Archive field' }).click()
    await selectField(page, 'Mobile')
    await page.getByRole('button', { name: 'Archive field' }).click()
    await page.locator('crm-layout-canvas').getByRole('list', { name: 'Archived fields' }).waitFor()
    await applyAll(page)
    expect(server.engine.runtime('contacts').definition.record.properties.title['x-archived']).toBe(
      true,
    )

    await session.open(`#/contacts/${contact.id}/edit`)
    await page.getByRole('heading', { name: /^Edit / }).waitFor()
    await expect.poll(() => page.getByRole('textbox', { name: 'Title', exact: true }).count(), { timeout: 10_000 }).toBe(0)

    await openEditor(page, session, 'contacts')
    const archived = page
      .locator('crm-layout-canvas')
      .getByRole('list', { name: 'Archived fields' })
    await archived.getByRole('button', { name: 'Restore Title' }).click()
    await archived.getByRole('button', { name: /^Mobile/ }).click()
    const purge = page.getByRole('form', { name: 'Purge' })
    expect(await purge.getByRole('button', { name: 'Purge field' }).isDisabled()).toBe(true)
    await purge.getByLabel('Yes, delete Mobile and all its values for good').check()
    await saveScreenshot(page, 'layout-editor-purge')
    await purge.getByRole('button', { name: 'Purge field' }).click()
    await page.getByRole('button', { name: 'Review and apply…' }).click()
    expect(
      await textOf(page.locator('crm-layout-plan ol.steps li'), 'archived field mobile'),
    ).toContain('in 1 record.')
    await page.locator('crm-layout-plan').getByRole('button', { name: 'Apply the changes' }).click()
    await page.locator('crm-layout-editor .notice').waitFor()

    const definition = server.engine.runtime('contacts').definition
    expect(definition.record.properties.title['x-archived']).toBe(undefined)
    expect(definition.record.properties.mobile).toBe(undefined)
    await session.open(`#/contacts/${contact.id}`)
    const title = page.locator('crm-record-detail div', {
      has: page.locator('dt', { hasText: 'Title' }),
    })
    expect(await textOf(title.locator('dd'), 'CTO')).toBe('CTO')
  })
})

async function openEditor(page: Page, session: UiSession, module: string): Promise<void> {
  await session.open(`#/admin/layout/${module}`)
  await page.locator('crm-layout-canvas section.block').first().waitFor()
}

async function selectField(page: Page, title: string): Promise<void> {
  const row = page
    .locator('crm-layout-canvas li')
    .filter({ has: page.getByRole('button', { name: new RegExp(`^${title}\\b`) }) })
  await row
    .getByRole('button', { name: new RegExp(`^${title}\\b`) })
    .first()
    .click()
  await page.getByRole('heading', { name: `Field: ${title}`, exact: true }).waitFor()
}

async function applyAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Review and apply…' }).click()
  await page.locator('crm-layout-plan').getByRole('button', { name: 'Apply the changes' }).click()
  await page.locator('crm-layout-editor .notice').filter({ hasText: 'is live' }).waitFor()
}

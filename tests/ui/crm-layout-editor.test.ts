import type { Page } from 'playwright-core'
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

  it('adds a field that the preview shows, then the real form', async () => {
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
    expect(await page.getByLabel('Module', { exact: true }).inputValue()).toBe('potentials')
    await saveScreenshot(page, 'layout-editor')

    await page.locator('summary', { hasText: 'Add field' }).click()
    const add = page.getByRole('form', { name: 'Add field' })
    await add.getByRole('button', { name: 'Add the field' }).click()
    expect(await textOf(page.locator('#field-label-error'), 'Enter the label')).toContain('Budget')
    await add.getByLabel('Label', { exact: true }).fill('Travel Budget')
    await add.getByLabel('Kind', { exact: true }).selectOption('currency')
    await add.getByLabel('Block', { exact: true }).selectOption({ label: 'Potential Information' })
    await add.getByLabel('Show as a list column').check()
    await add.getByRole('button', { name: 'Add the field' }).click()

    const canvas = page.locator('crm-layout-canvas')
    await canvas
      .getByRole('button', { name: /Travel Budget.*cf_travel_budget · currency/ })
      .waitFor()
    await page.getByRole('heading', { name: 'Field: Travel Budget', exact: true }).waitFor()
    expect(
      await textOf(page.getByRole('region', { name: 'Pending changes' }), '1 pending'),
    ).toContain('1 pending change')
    await page.getByRole('tab', { name: 'Form preview' }).click()
    const preview = page.getByRole('region', { name: 'Form preview' })
    await preview.getByRole('spinbutton', { name: 'Travel Budget', exact: true }).waitFor()
    await saveScreenshot(page, 'layout-editor-preview')

    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const plan = page.locator('crm-layout-plan')
    expect(await textOf(plan.locator('ol.steps li'), 'cf_travel_budget')).toContain('Travel Budget')
    await saveScreenshot(page, 'layout-editor-plan')
    await plan.getByLabel('Note for the version history (optional)').fill('Budget per trip')
    await plan.getByRole('button', { name: 'Apply the changes' }).click()
    expect(await textOf(page.locator('crm-layout-editor .notice'), 'Version 2')).toContain(
      '1 change applied',
    )
    await expect.poll(() => page.getByRole('region', { name: 'Pending changes' }).count(), { timeout: 10_000 }).toBe(0)
    const versions = await server.engine.versions('potentials')
    expect(versions.at(-1)).toMatchObject({ version: 2, note: 'Budget per trip' })

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
    expect((await server.engine.records.get('potentials', deal.id)).cf_travel_budget).toBe(2500)
  })

  it('changes a label while the API name stays', async () => {
    const { page, server } = session
    await session.logInAsAdmin()
    await openEditor(page, session, 'potentials')

    await page
      .locator('crm-layout-canvas')
      .getByRole('button', { name: /^Next Step/ })
      .click()
    const properties = page.getByRole('form', { name: 'Properties' })
    await properties.getByLabel('Label', { exact: true }).fill('Next Action')
    await properties.getByLabel('Help text').fill('What we promised to do next')
    await properties.getByRole('button', { name: 'Update field' }).click()
    await page.getByRole('heading', { name: 'Field: Next Action', exact: true }).waitFor()
    await page
      .locator('crm-layout-canvas')
      .getByRole('button', { name: /Next Action.*nextstep/ })
      .waitFor()
    await saveScreenshot(page, 'layout-editor-label')

    await applyAll(page)
    const field = server.engine.runtime('potentials').definition.record.properties.nextstep
    expect(field).toMatchObject({
      title: 'Next Action',
      description: 'What we promised to do next',
    })
    expect(server.engine.runtime('potentials').definition.record.properties.cf_next_action).toBe(
      undefined,
    )
  })

  it('moves fields across blocks with the buttons and by drag and drop, and reorders blocks', async () => {
    const { page, server } = session
    await session.logInAsAdmin()
    await openEditor(page, session, 'potentials')
    const canvas = page.locator('crm-layout-canvas')
    const block = (label: string) => canvas.getByRole('list', { name: `Fields of ${label}` })

    // The last field of the first block goes down into the next block, keeping the focus.
    const fields = server.engine.runtime('potentials').definition.layout.blocks[0].fields
    const lastTitle =
      server.engine.runtime('potentials').definition.record.properties[fields.at(-1)!].title
    await canvas.getByRole('button', { name: `Move ${lastTitle} down` }).click()
    await block('Description Information')
      .locator('li', { hasText: `${fields.at(-1)} ·` })
      .waitFor()
    expect(
      await canvas.evaluate((element) =>
        element.shadowRoot?.activeElement?.getAttribute('aria-label'),
      ),
    ).toBe(`Move ${lastTitle} down`)

    // Amount is dragged onto the upper half of the Description row: it lands before it.
    const amount = block('Potential Information').locator('li', { hasText: 'amount · currency' })
    const description = block('Description Information').locator('li', {
      hasText: 'description · textarea',
    })
    await amount.dragTo(description, { targetPosition: { x: 40, y: 3 } })
    await block('Description Information').locator('li', { hasText: 'amount · currency' }).waitFor()

    await canvas.getByRole('button', { name: 'Move block Description Information up' }).click()
    await canvas
      .locator('section.block')
      .first()
      .getByRole('heading', { name: 'Description Information' })
      .waitFor()
    await saveScreenshot(page, 'layout-editor-moved')

    await applyAll(page)
    const layout = server.engine.runtime('potentials').definition.layout
    expect(layout.blocks.map((item) => item.id)).toEqual([
      'description_information',
      'potential_information',
    ])
    expect(layout.blocks[0].fields).toEqual([fields.at(-1), 'amount', 'description'])
  })

  it('reorders blocks by drag and drop', async () => {
    const { page, server } = session
    await session.logInAsAdmin()
    await openEditor(page, session, 'accounts')
    const canvas = page.locator('crm-layout-canvas')
    const before = server.engine.runtime('accounts').definition.layout.blocks.map((item) => item.id)
    const last = canvas.locator('section.block').last()
    const first = canvas.locator('section.block').first()
    await last
      .locator('.handle')
      .first()
      .dragTo(first, { targetPosition: { x: 40, y: 3 } })
    await page.getByRole('region', { name: 'Pending changes' }).waitFor()
    await saveScreenshot(page, 'layout-editor-blocks-dragged')
    await applyAll(page)

    const after = server.engine.runtime('accounts').definition.layout.blocks.map((item) => item.id)
    expect(after).toEqual([before.at(-1), ...before.slice(0, -1)])
  })

  it('adds a block, a link field and a many-to-many relation, renames blocks and removes an empty one', async () => {
    const { page, server } = session
    await session.logInAsAdmin()
    await openEditor(page, session, 'campaigns')
    const canvas = page.locator('crm-layout-canvas')

    await page.locator('summary', { hasText: 'Add block' }).click()
    const addBlock = page.getByRole('form', { name: 'Add block' })
    for (const label of ['Partners', 'Scratch']) {
      await addBlock.getByLabel('Block label').fill(label)
      await addBlock.getByRole('button', { name: 'Add the block' }).click()
      await canvas.getByRole('heading', { name: label, exact: true }).waitFor()
    }
    await canvas.getByRole('button', { name: 'Rename block Partners' }).click()
    await canvas.getByLabel('New label of Partners').fill('Partner network')
    await canvas.getByRole('button', { name: 'Save block label' }).click()
    await canvas.getByRole('heading', { name: 'Partner network', exact: true }).waitFor()
    await canvas.getByRole('button', { name: 'Remove block Scratch' }).click()

    await page.locator('summary', { hasText: 'Add relation' }).click()
    const addRelation = page.getByRole('form', { name: 'Add relation' })
    await addRelation.getByLabel('Links to').selectOption('accounts')
    await addRelation.getByLabel('Relation label').fill('Sponsor')
    await addRelation.getByRole('button', { name: 'Add the relation' }).click()
    await canvas.locator('li', { hasText: 'cf_sponsor · relation' }).waitFor()
    await selectFieldIn(page, 'Sponsor')
    await page
      .getByRole('form', { name: 'Placement' })
      .getByLabel('Block', { exact: true })
      .selectOption({ label: 'Partner network' })
    await page.getByRole('button', { name: 'Move to block' }).click()
    await canvas
      .getByRole('list', { name: 'Fields of Partner network' })
      .locator('li', { hasText: 'cf_sponsor' })
      .waitFor()

    await addRelation.getByLabel('Many-to-many: a related list on both sides').check()
    await addRelation.getByLabel('Links to').selectOption('contacts')
    await addRelation.getByLabel('Relation label').fill('Speakers')
    await addRelation.getByLabel('Label on the other side').fill('Talks')
    await addRelation.getByRole('button', { name: 'Add the relation' }).click()
    await page
      .getByRole('region', { name: 'Pending changes' })
      .getByText('7 pending changes')
      .waitFor()
    await saveScreenshot(page, 'layout-editor-relations')

    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const plan = page.locator('crm-layout-plan')
    expect(await textOf(plan.locator('ol.steps li'), 'Add the relation speakers to contacts.')).toContain(
      'Add the relation speakers to contacts.',
    )
    await plan.getByRole('button', { name: 'Apply the changes' }).click()
    await page.locator('crm-layout-editor .notice').waitFor()

    const definition = server.engine.runtime('campaigns').definition
    expect(definition.layout.blocks.map((block) => block.label)).toContain('Partner network')
    expect(definition.layout.blocks.map((block) => block.label)).not.toContain('Scratch')
    expect(definition.layout.blocks.find((block) => block.id === 'partners')?.fields).toEqual([
      'cf_sponsor',
    ])
    expect(definition.record.properties.cf_sponsor['x-relation']).toEqual({ module: 'accounts' })
    expect(definition.relations).toContainEqual({
      name: 'speakers',
      module: 'contacts',
      label: 'Speakers',
      inverseLabel: 'Talks',
    })
  })

  it('keeps the pending changes while the admin visits another screen, until discarded', async () => {
    const { page } = session
    await session.logInAsAdmin()
    await openEditor(page, session, 'products')
    const canvas = page.locator('crm-layout-canvas')
    await canvas.getByRole('button', { name: 'Move block Description Information up' }).click()
    await page
      .getByRole('region', { name: 'Pending changes' })
      .getByText('1 pending change')
      .waitFor()

    await page
      .getByRole('navigation', { name: 'Modules' })
      .getByRole('link', { name: 'Products' })
      .click()
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor()
    await page.locator('crm-app header').getByRole('link', { name: 'Layout editor' }).click()
    expect(await textOf(page.locator('crm-layout-editor .draft-note'), '1 pending change from before is still here')).toContain(
      '1 pending change from before is still here',
    )
    await canvas
      .locator('section.block')
      .first()
      .getByRole('heading', { name: 'Description Information' })
      .waitFor()

    await saveScreenshot(page, 'layout-editor-draft-kept')
    await page.getByRole('button', { name: 'Discard all' }).click()
    await expect.poll(() => page.getByRole('region', { name: 'Pending changes' }).count(), { timeout: 10_000 }).toBe(0)
    await openEditor(page, session, 'products')
    await expect.poll(() => page.getByRole('region', { name: 'Pending changes' }).count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => page.locator('crm-layout-editor .draft-note').count(), { timeout: 10_000 }).toBe(0)
  })

  it('explains that the module changed meanwhile and reloads the newer layout', async () => {
    const { page, server, admin } = session
    await session.logInAsAdmin()
    await openEditor(page, session, 'accounts')
    const live = server.engine.runtime('accounts')
    const renamed = structuredClone(live.definition)
    renamed.layout.blocks[0].label = 'Company'
    await server.engine.updateDefinition(
      'accounts',
      { baseVersion: live.version, definition: renamed },
      admin,
    )

    await page.locator('summary', { hasText: 'Add field' }).click()
    await page
      .getByRole('form', { name: 'Add field' })
      .getByLabel('Label', { exact: true })
      .fill('Region')
    await page.getByRole('button', { name: 'Add the field' }).click()
    await page.getByRole('button', { name: 'Review and apply…' }).click()
    const alert = page.locator('crm-layout-editor .alert')
    expect(await textOf(alert, 'Someone else changed Accounts')).toContain('Reload')
    await saveScreenshot(page, 'layout-editor-stale')

    await page.getByRole('button', { name: 'Reload the layout' }).click()
    await page
      .locator('crm-layout-canvas')
      .getByRole('heading', { name: 'Company', exact: true })
      .waitFor()
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(0)
    // The pending field survived the reload and applies to the newer version.
    await applyAll(page)
    expect(server.engine.runtime('accounts').definition.record.properties.cf_region?.title).toBe(
      'Region',
    )
  })
})

async function openEditor(page: Page, session: UiSession, module: string): Promise<void> {
  await session.open(`#/admin/layout/${module}`)
  await page.locator('crm-layout-canvas section.block').first().waitFor()
}

/** Reviews the pending changes and applies them, waiting for the new version. */
async function applyAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Review and apply…' }).click()
  await page.locator('crm-layout-plan').getByRole('button', { name: 'Apply the changes' }).click()
  await page.locator('crm-layout-editor .notice').filter({ hasText: 'is live' }).waitFor()
}

async function selectFieldIn(page: Page, title: string): Promise<void> {
  await page
    .locator('crm-layout-canvas')
    .getByRole('button', { name: new RegExp(`^${title}\\b`) })
    .click()
  await page.getByRole('heading', { name: `Field: ${title}`, exact: true }).waitFor()
}

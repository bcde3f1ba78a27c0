import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModuleDefinition } from '../../engine/core/definition/types.ts'
import { saveScreenshot, startUiSession, textOf, type UiSession } from '../helpers/browser.ts'

describe('crm-layout-history', () => {
  let session: UiSession

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const renamed = structuredClone(engine.runtime('campaigns').definition)
    renamed.layout.blocks[0].label = 'Campaign basics'
    await engine.updateDefinition(
      'campaigns',
      { baseVersion: 1, definition: renamed, note: 'Shorter block label' },
      admin,
    )
    await engine.updateDefinition(
      'campaigns',
      {
        baseVersion: 2,
        operations: [{ op: 'addField', label: 'Region', kind: 'text', name: 'cf_region' }],
        note: 'Region per campaign',
      },
      admin,
    )
    await session.logInAsAdmin()
  })

  afterAll(async () => {
    await session?.close()
  })

  it('lists the versions, compares two and restores one after a dry run', async () => {
    const { page, server } = session
    await openHistory(page, session, 'campaigns')
    const versions = page.getByRole('region', { name: 'Versions' })
    const latest = versions.getByRole('row').nth(1)
    expect(await textOf(latest, 'Region per campaign')).toMatch(/3 \(live\)\s+\S.*\s+Administrator/)
    expect(await textOf(versions.getByRole('row'), 'Shorter block label')).toContain(
      'Administrator',
    )
    expect(await textOf(versions.getByRole('row'), 'installed')).toContain('the system')

    await page.getByRole('button', { name: 'Compare' }).click()
    const differences = page.getByRole('region', { name: 'Differences' })
    expect(await textOf(differences.getByRole('row'), 'cf_region')).toContain('added')
    await page.getByLabel('From', { exact: true }).selectOption('1')
    await page.getByRole('button', { name: 'Compare' }).click()
    expect(await textOf(differences.getByRole('row'), '/layout/blocks')).toContain(
      'Campaign basics',
    )
    await saveScreenshot(page, 'layout-editor-history')

    await page.getByRole('button', { name: 'Restore version 1…' }).click()
    const plan = page.locator('crm-layout-history crm-layout-plan')
    await plan.getByRole('heading', { name: 'Restore version 1', exact: true }).waitFor()
    expect(await textOf(plan.locator('p'), 'plans version 4')).toContain('plans version 4')
    expect(server.engine.runtime('campaigns').version).toBe(3)
    await saveScreenshot(page, 'layout-editor-restore-plan')
    await plan.getByRole('button', { name: 'Restore version 1', exact: true }).click()
    await textOf(page.locator('crm-layout-editor .notice'), 'Version 4')

    const live = server.engine.runtime('campaigns')
    expect(live.version).toBe(4)
    expect(live.definition.layout.blocks[0].label).not.toBe('Campaign basics')
    // Fields added since version 1 come back archived, their values kept.
    expect(live.definition.record.properties.cf_region['x-archived']).toBe(true)
    await versions.getByRole('row').filter({ hasText: '4 (live)' }).waitFor()
  })

  it('exports a version as JSON and imports a definition file after showing its plan', async () => {
    const { page, server } = session
    await openHistory(page, session, 'products')
    const href = await page
      .getByRole('link', { name: 'Export definition (JSON)' })
      .getAttribute('href')
    const exported = await (await page.request.get(`${server.url}${href}`)).json()
    expect(exported.definition.name).toBe('products')

    const assets = JSON.parse(
      readFileSync(new URL('../../modules/products.json', import.meta.url), 'utf8'),
    ) as ModuleDefinition
    assets.name = 'assets'
    assets.label = { singular: 'Asset', plural: 'Assets' }
    await page.getByLabel(/^Import definition/).setInputFiles({
      name: 'assets.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ definition: assets })),
    })
    const plan = page.locator('crm-layout-history crm-layout-plan')
    expect(await textOf(plan.locator('ol.steps li'), 'create module')).toContain('assets')
    await saveScreenshot(page, 'layout-editor-import-plan')
    await plan.getByRole('button', { name: 'Create the module assets' }).click()
    expect(await textOf(page.locator('crm-layout-history .notice'), 'Assets')).toContain(
      'version 1',
    )
    expect(server.engine.runtime('assets').definition.label.plural).toBe('Assets')

    // The exported file of an existing module, changed by hand, becomes its next version.
    exported.definition.label = { singular: 'Item', plural: 'Items' }
    await page.getByLabel(/^Import definition/).setInputFiles({
      name: 'products.v1.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    })
    await plan.getByRole('button', { name: 'Import as a new version' }).click()
    await page.getByRole('heading', { name: 'Layout editor: Items', exact: true }).waitFor()
    expect(server.engine.runtime('products').version).toBe(2)
  })
})

async function openHistory(page: Page, session: UiSession, module: string): Promise<void> {
  await session.open(`#/admin/layout/${module}`)
  await page.getByRole('tab', { name: 'Version history' }).click()
  await page.getByRole('region', { name: 'Versions' }).getByRole('row').nth(1).waitFor()
}

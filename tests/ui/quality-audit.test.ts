import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  horizontalOverflow,
  layoutShift,
  unnamedControls,
  walkFocus,
} from '../helpers/audit-screen.ts'
import { saveScreenshot, startUiSession, type UiSession } from '../helpers/browser.ts'

// TODO(#5): one state per screen; open menus and panels (mass edit, a selected layout field, lead
// conversion, the import's check and run steps) and the board's empty state are not audited yet.
/** A main screen: where it is, what shows it is ready, and what to do first there. */
interface Screen {
  name: string
  hash: () => string
  ready: (page: Page) => Locator
  open?: (page: Page) => Promise<void>
}

/**
 * Issue #5, item 6, on every main screen in Chromium: each control has an
 * accessible name, Tab reaches the controls one by one with a focus ring
 * that shows, and the page fits a 375 px phone without sideways scrolling.
 */
describe('quality audit of the main screens', () => {
  let session: UiSession
  let dealId: number

  const screens: Screen[] = [
    {
      name: 'list',
      hash: () => '#/potentials',
      ready: (page) => page.locator('crm-record-table tbody tr').first(),
    },
    {
      name: 'detail',
      hash: () => `#/potentials/${dealId}`,
      ready: (page) => page.getByRole('heading', { name: 'Harbour cranes', level: 1 }),
    },
    {
      name: 'form',
      hash: () => `#/potentials/${dealId}/edit`,
      ready: (page) => page.getByRole('button', { name: 'Save Potential' }),
    },
    {
      name: 'quick-create',
      hash: () => '#/potentials',
      ready: (page) =>
        page
          .getByRole('dialog', { name: 'Quick create: Potential' })
          .locator('crm-field-input')
          .first(),
      open: (page) => page.getByRole('button', { name: 'Quick create' }).click(),
    },
    {
      name: 'board',
      hash: () => '#/potentials/board',
      ready: (page) => page.locator('crm-pipeline-board li.card').first(),
    },
    {
      name: 'recycle-bin',
      hash: () => '#/potentials/bin',
      ready: (page) => page.locator('crm-recycle-bin tbody tr').first(),
    },
    {
      name: 'import-wizard',
      hash: () => '#/potentials/import',
      ready: (page) => page.getByRole('heading', { name: 'Import Potentials', exact: true }),
    },
    {
      name: 'layout-editor',
      hash: () => '#/admin/layout/potentials',
      ready: (page) =>
        page.getByRole('heading', { name: 'Layout editor: Potentials', exact: true }),
    },
    {
      name: 'forecast',
      hash: () => '#/potentials/forecast',
      ready: (page) => page.locator('crm-forecast-chart svg'),
    },
  ]

  beforeAll(async () => {
    session = await startUiSession()
    const { engine } = session.server
    const admin = session.admin
    const account = await engine.records.create(
      'accounts',
      { accountname: 'Blue Ocean Shipping' },
      admin,
    )
    const deal = await engine.records.create(
      'potentials',
      {
        potentialname: 'Harbour cranes',
        amount: 12000,
        closingdate: '2027-03-31',
        sales_stage: 'Qualification',
        related_to: account.id,
      },
      admin,
    )
    dealId = deal.id
    await engine.records.create(
      'potentials',
      {
        potentialname: 'Spare parts',
        amount: 800,
        closingdate: '2027-02-28',
        sales_stage: 'Prospecting',
      },
      admin,
    )
    const gone = await engine.records.create(
      'potentials',
      {
        potentialname: 'Cancelled tender',
        amount: 50,
        closingdate: '2027-01-31',
        sales_stage: 'Prospecting',
      },
      admin,
    )
    await engine.records.remove('potentials', gone.id, admin)
    await session.logInAsAdmin()
  })

  afterAll(async () => {
    await session?.close()
  })

  async function show(screen: Screen): Promise<void> {
    await session.open(screen.hash())
    await screen.open?.(session.page)
    await screen.ready(session.page).waitFor()
  }

  it('has checks that catch what they look for', async () => {
    const { page } = session
    await page.setContent(`
      <p id="text" style="height: 600px">Some text that a late banner pushes down.</p>
      <label>Named <input id="named" /></label>
      <button id="ringless" style="outline: none">Go</button>
      <div id="host"></div>
      <div style="width: 2000px">wide</div>`)
    await page.evaluate(() => {
      const root = document.getElementById('host')!.attachShadow({ mode: 'open' })
      root.innerHTML = '<input id="unnamed" />'
    })
    await page.evaluate(async () => {
      // Only what was painted can shift: the text is on screen first, then the banner pushes it.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const reported = new Promise((resolve) =>
        new PerformanceObserver(resolve).observe({ type: 'layout-shift' }),
      )
      const banner = document.createElement('div')
      banner.style.height = '200px'
      document.body.prepend(banner)
      await reported
    })
    expect((await layoutShift(page)).score).toBeGreaterThan(0.1)
    expect(await unnamedControls(page)).toEqual(['textbox <input id="unnamed">'])
    const stops = await walkFocus(page)
    expect(stops.map((stop) => [stop.element.trim(), stop.problem?.split(' (')[0]])).toEqual([
      ['<input id="named">', undefined],
      ['<button id="ringless"> Go', 'no visible focus indicator'],
      ['div > <input id="unnamed">', undefined],
    ])
    expect(await horizontalOverflow(page)).toBeGreaterThan(0)
  })

  it('gives every control on every screen an accessible name', async () => {
    const found: Record<string, string[]> = {}
    for (const screen of screens) {
      await show(screen)
      const unnamed = await unnamedControls(session.page)
      if (unnamed.length > 0) found[screen.name] = unnamed
    }
    expect(found).toEqual({})
  })

  it('moves the focus with Tab through each screen with a visible focus ring', async () => {
    const found: Record<string, string[]> = {}
    for (const screen of screens) {
      await show(screen)
      const stops = await walkFocus(session.page)
      const problems = stops
        .filter((stop) => stop.problem)
        .map((stop) => `${stop.element}: ${stop.problem}`)
      if (stops.length < 3) problems.push(`only ${stops.length} focus stops`)
      if (problems.length > 0) found[screen.name] = problems
    }
    expect(found).toEqual({})
  })

  it('does not move what is shown while a screen loads', async () => {
    const found: Record<string, unknown> = {}
    for (const screen of screens) {
      await show(screen)
      await session.page.waitForLoadState('networkidle')
      const shift = await layoutShift(session.page)
      if (shift.score > 0.1) found[screen.name] = shift
    }
    expect(found).toEqual({})
  })

  it('says what to do in empty and error states, and stops saying Loading', async () => {
    const { page } = session
    const states: [string, string, (() => Promise<void>)?][] = [
      ['#/campaigns', 'There are no campaigns yet. Create the first one with “New Campaign”.'],
      [
        `#/potentials/${dealId}`,
        'You can add one with “Add Contact” or link one with “Select existing”.',
        () =>
          page
            .getByRole('navigation', { name: 'Related lists' })
            .getByRole('button', { name: /^Contacts/ })
            .click(),
      ],
      [
        '#/potentials/forecast',
        'Widen the months, or clear them to see every month.',
        () => page.getByLabel('From month').fill('2035-01'),
      ],
      ['#/potentials/99999', 'Go back to the list and choose it again.'],
      ['#/planets', 'Choose a module in the navigation.'],
      ['#/planets/import', 'Choose a module in the navigation.'],
      ['#/admin/layout/planets', 'Choose a module in the navigation.'],
      // A link from before a field was removed.
      [
        '#/potentials?filter[ghost]=1',
        'Remove that filter with the × on its chip, or clear the filters.',
      ],
    ]
    for (const [hash, advice, act] of states) {
      await session.open(hash)
      await act?.()
      await page.getByText(advice).waitFor()
      await page.waitForLoadState('networkidle')
      expect(await page.getByRole('status').filter({ hasText: 'Loading' }).count(), hash).toBe(0)
    }
  })

  it('fits each screen into a 375 px wide phone without sideways scrolling', async () => {
    const { page } = session
    await page.setViewportSize({ width: 375, height: 800 })
    const found: Record<string, number> = {}
    try {
      for (const screen of screens) {
        await show(screen)
        const overflow = await horizontalOverflow(page)
        if (overflow > 0) found[screen.name] = overflow
        await saveScreenshot(page, `audit-375-${screen.name}`)
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 })
    }
    expect(found).toEqual({})
  })
})

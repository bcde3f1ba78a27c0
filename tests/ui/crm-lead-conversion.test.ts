import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  logIn,
  saveScreenshot,
  startUiSession,
  textOf,
  type UiSession,
} from '../helpers/browser.ts'

describe('crm-lead-conversion', () => {
  let session: UiSession
  let accountId: number

  beforeAll(async () => {
    session = await startUiSession()
    const account = await session.server.engine.records.create(
      'accounts',
      { accountname: 'Harbor Logistics', industry: 'Retail' },
      session.admin,
    )
    accountId = account.id
  })

  afterAll(async () => {
    await session?.close()
  })

  it('previews, converts into the existing account, a new contact and a potential, then links them', async () => {
    const { page, server, admin } = session
    const lead = await server.engine.records.create(
      'leads',
      {
        firstname: 'Dana',
        lastname: 'Whitfield',
        company: 'Harbor Logistics',
        email: 'dana@harbor.example',
        leadsource: 'Trade Show',
        description: 'Met at the fair',
      },
      admin,
    )
    await session.open(`#/leads/${lead.id}`)
    await logIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('heading', { name: 'Dana Whitfield', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Convert Lead' }).click()
    const dialog = page.getByRole('dialog', { name: 'Convert lead' })
    const account = dialog.getByRole('region', { name: 'Account' })
    expect(await textOf(account.getByRole('heading'), 'Account: the existing “Harbor Logistics” will be used (its account name is the same)')).toBe(
      'Account: the existing “Harbor Logistics” will be used (its account name is the same)',
    )
    expect(await textOf(dialog.locator('.rule'), 'Fill rule')).toContain(
      'an existing record keeps every value it has; only its empty fields are filled from the lead',
    )
    const contact = dialog.getByRole('region', { name: 'Contact' })
    expect(await textOf(contact.getByRole('heading'), 'Contact: a new contact will be created')).toBe(
      'Contact: a new contact will be created',
    )
    expect(await contact.getByRole('row', { name: /^Email/ }).textContent()).toMatch(
      /dana@harbor\.example\s*Lead: Email\s*set/,
    )
    expect(await contact.getByRole('row', { name: /^Account Name/ }).textContent()).toContain(
      '“Harbor Logistics”',
    )
    const potential = dialog.getByRole('region', { name: 'Potential' })
    expect(await textOf(potential.getByRole('heading'), 'Potential: none will be created')).toBe(
      'Potential: none will be created',
    )
    expect(await textOf(dialog.locator('.unmapped'), 'Stays')).toContain('Description')

    await dialog.getByRole('checkbox', { name: 'Create a Potential' }).check()
    await textOf(potential.getByRole('heading'), 'a new potential')
    // The potential needs a stage and a close date the lead does not have: Convert waits for them.
    expect(await textOf(dialog.locator('.issues li'), 'Potential: Expected Close Date is required')).toBe(
      'Potential: Expected Close Date is required',
    )
    expect(await dialog.getByRole('button', { name: 'Convert', exact: true }).isDisabled()).toBe(true)
    await saveScreenshot(page, 'conversion-needs-values')

    await potential.getByRole('combobox', { name: /^Sales Stage/ }).selectOption('Qualification')
    await potential.getByLabel('Expected Close Date').fill('2027-09-30')
    await dialog.locator('.issues').waitFor({ state: 'detached' })
    expect(await potential.getByRole('row', { name: /^Potential Name/ }).textContent()).toMatch(
      /Harbor Logistics\s*Lead: Company\s*set/,
    )
    expect(await potential.getByRole('row', { name: /^Sales Stage/ }).textContent()).toContain(
      'entered here',
    )
    await saveScreenshot(page, 'conversion-preview')
    await dialog.getByRole('button', { name: 'Convert', exact: true }).click()

    const converted = page.getByRole('status', { name: 'Conversion' })
    expect(await textOf(converted, 'converted')).toContain('is read-only now')
    const linkOf = (label: string) =>
      converted.getByRole('listitem').filter({ hasText: `${label}:` }).getByRole('link')
    expect(await linkOf('Account').getAttribute('href')).toBe(`#/accounts/${accountId}`)
    expect(await linkOf('Contact').textContent()).toBe('Dana Whitfield')
    expect(await linkOf('Potential').textContent()).toBe('Harbor Logistics')
    await expect.poll(() => page.getByRole('button', { name: 'Convert Lead' }).count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => page.getByRole('link', { name: 'Edit', exact: true }).count(), { timeout: 10_000 }).toBe(0)
    await saveScreenshot(page, 'conversion-done')

    await linkOf('Potential').click()
    await page.getByRole('heading', { name: 'Harbor Logistics', exact: true }).waitFor()
    expect(await page.locator('crm-record-detail p.kind').textContent()).toBe('Potential')
    const deals = await server.engine.records.list('potentials', {})
    expect(
      deals.items.map((deal) => [deal.potentialname, deal.sales_stage, deal.probability, deal.related_to, deal.leadsource]),
    ).toEqual([['Harbor Logistics', 'Qualification', 20, accountId, 'Trade Show']])
    expect((await server.engine.records.list('accounts', {})).total).toBe(1)
  })

  it('shows a refusal with the field and value, in the preview and when the server refuses the conversion', async () => {
    const { page, server, admin } = session
    const leads = server.engine.modules().find((module) => module.name === 'leads')!
    await server.engine.updateDefinition(
      'leads',
      {
        baseVersion: leads.version,
        operations: [{ op: 'addPicklistValue', field: 'leadsource', value: 'Podcast' }],
      },
      admin,
    )
    const podcast = await server.engine.records.create(
      'leads',
      { lastname: 'Okafor', company: 'Okafor Freight', leadsource: 'Podcast' },
      admin,
    )
    await session.open(`#/leads/${podcast.id}`)
    await page.getByRole('button', { name: 'Convert Lead' }).click()
    const dialog = page.getByRole('dialog', { name: 'Convert lead' })
    const issue = await textOf(dialog.locator('.issues li'), 'Podcast')
    expect(issue).toContain('Contact: Lead Source "Podcast" has no option in Contacts.Lead Source')
    expect(await dialog.getByRole('button', { name: 'Convert', exact: true }).isDisabled()).toBe(true)
    await saveScreenshot(page, 'conversion-refused-preview')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await (await server.engine.records.list('accounts', { q: 'Okafor' })).total).toBe(0)

    // A preview that was fine, then a second account of the same name: the server refuses.
    const twice = await server.engine.records.create(
      'leads',
      { lastname: 'Berg', company: 'Nordic Cargo' },
      admin,
    )
    await server.engine.records.create('accounts', { accountname: 'Nordic Cargo' }, admin)
    await session.open(`#/leads/${twice.id}`)
    await page.getByRole('button', { name: 'Convert Lead' }).click()
    await textOf(dialog.getByRole('region', { name: 'Account' }).getByRole('heading'), 'existing')
    await server.engine.records.create('accounts', { accountname: 'Nordic Cargo' }, admin)
    await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
    const refused = await textOf(dialog.getByRole('alert'), 'refused')
    expect(refused).toContain('nothing was created')
    expect(refused).toContain("2 accounts have Account Name 'Nordic Cargo'")
    await saveScreenshot(page, 'conversion-refused-by-server')
    expect((await server.engine.records.get('leads', twice.id)).converted_at).toBeNull()
  })
})

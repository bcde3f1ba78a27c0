import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../engine/server/app.ts'
import { createLogger } from '../../../engine/server/logger.ts'
import { createEngine, type Actor } from '../../../engine/core/engine.ts'
import { potentialInput } from '../../helpers/create-test-engine.ts'

type Who = 'anonymous' | 'sales' | 'manager' | 'readonly' | 'admin'

interface World {
  request(who: Who, method: string, path: string, body?: unknown): Promise<Response>
  ids: Record<string, number>
}

let world: World

/**
 * One engine shared by the matrix: an admin, a manager with one report
 * (sales), a sales user outside that team (other), and a read-only user;
 * one potential owned by each of sales, other and manager.
 */
beforeAll(async () => {
  const engine = await createEngine({ databaseUrl: ':memory:' })
  const { user: admin } = await engine.auth.ensureAdmin('admin', 'admin-pass-123')
  const system: Actor = admin
  const manager = await engine.records.create('users', { username: 'manager', full_name: 'Mia Manager', status: 'Active', role: 'sales_manager' }, system)
  const sales = await engine.records.create('users', { username: 'sales', full_name: 'Sam Sales', status: 'Active', role: 'sales', manager_id: manager.id }, system)
  const other = await engine.records.create('users', { username: 'other', full_name: 'Olga Other', status: 'Active', role: 'sales' }, system)
  const readonly = await engine.records.create('users', { username: 'readonly', full_name: 'Rex Reader', status: 'Active', role: 'read_only' }, system)
  for (const user of [manager, sales, other, readonly]) await engine.auth.setPassword(user.id, `${user.username}-pass-123`)
  const deal = async (owner: number, name: string) => (await engine.records.create('potentials', potentialInput({ potentialname: name, assigned_user_id: owner, amount: 500 }), system)).id
  const ids = {
    salesDeal: await deal(sales.id, 'Sales deal'),
    otherDeal: await deal(other.id, 'Other deal'),
    managerDeal: await deal(manager.id, 'Manager deal'),
    reassignDeal: await deal(sales.id, 'Reassigned one'),
    account: (await engine.records.create('accounts', { accountname: 'Acme' }, system)).id,
    sales: sales.id,
    other: other.id,
  }
  const app = createApp(engine, { logger: createLogger('silent') })
  const cookies: Partial<Record<Who, string>> = {}
  for (const who of ['sales', 'manager', 'readonly', 'admin'] as const) {
    const response = await app.request('/api/session', { method: 'POST', body: JSON.stringify({ username: who, password: `${who}-pass-123` }) })
    cookies[who] = /crm_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0]
  }
  world = {
    ids,
    request: async (who, method, path, body) => {
      const headers: Record<string, string> = { 'x-requested-with': 'crm' }
      if (cookies[who]) headers.cookie = cookies[who]!
      const init: RequestInit = { method, headers }
      if (body instanceof FormData) init.body = body
      else if (body !== undefined) init.body = JSON.stringify(body)

      return app.request(path, init)
    },
  }
})

const csv = () => {
  const form = new FormData()
  form.append('file', new File(['Potential Name,Sales Stage,Expected Close Date\nImported,Prospecting,2026-12-31\n'], 'deals.csv', { type: 'text/csv' }))

  return form
}

/** route → expected status per caller. */
const MATRIX: { name: string; method: string; path: (ids: Record<string, number>) => string; body?: () => unknown; expect: Record<Who, number> }[] = [
  { name: 'list modules', method: 'GET', path: () => '/api/modules', expect: { anonymous: 401, sales: 200, manager: 200, readonly: 200, admin: 200 } },
  { name: 'read a definition', method: 'GET', path: () => '/api/modules/potentials', expect: { anonymous: 401, sales: 200, manager: 200, readonly: 200, admin: 200 } },
  { name: 'plan a change', method: 'POST', path: () => '/api/modules/potentials/plan', body: () => ({ baseVersion: 1, operations: [] }), expect: { anonymous: 401, sales: 403, manager: 403, readonly: 403, admin: 200 } },
  { name: 'change a definition', method: 'PUT', path: () => '/api/modules/potentials', body: () => ({ baseVersion: 1, operations: [] }), expect: { anonymous: 401, sales: 403, manager: 403, readonly: 403, admin: 200 } },
  { name: 'version history', method: 'GET', path: () => '/api/modules/potentials/versions', expect: { anonymous: 401, sales: 403, manager: 403, readonly: 403, admin: 200 } },
  { name: 'list potentials', method: 'GET', path: () => '/api/modules/potentials/records', expect: { anonymous: 401, sales: 200, manager: 200, readonly: 200, admin: 200 } },
  { name: 'read an own potential', method: 'GET', path: (ids) => `/api/modules/potentials/records/${ids.salesDeal}`, expect: { anonymous: 401, sales: 200, manager: 200, readonly: 200, admin: 200 } },
  { name: "read another team's potential", method: 'GET', path: (ids) => `/api/modules/potentials/records/${ids.otherDeal}`, expect: { anonymous: 401, sales: 404, manager: 404, readonly: 200, admin: 200 } },
  { name: 'create a potential', method: 'POST', path: () => '/api/modules/potentials/records', body: () => potentialInput(), expect: { anonymous: 401, sales: 201, manager: 201, readonly: 403, admin: 201 } },
  { name: 'edit a team potential', method: 'PATCH', path: (ids) => `/api/modules/potentials/records/${ids.salesDeal}`, body: () => ({ nextstep: 'call back' }), expect: { anonymous: 401, sales: 200, manager: 200, readonly: 403, admin: 200 } },
  { name: "edit another team's potential", method: 'PATCH', path: (ids) => `/api/modules/potentials/records/${ids.otherDeal}`, body: () => ({ nextstep: 'x' }), expect: { anonymous: 401, sales: 404, manager: 404, readonly: 403, admin: 200 } },
  { name: 'reassign to someone else', method: 'PATCH', path: (ids) => `/api/modules/potentials/records/${ids.reassignDeal}`, body: () => ({ assigned_user_id: world.ids.other }), expect: { anonymous: 401, sales: 422, manager: 200, readonly: 403, admin: 200 } },
  { name: 'relation menu of an account', method: 'GET', path: (ids) => `/api/modules/accounts/records/${ids.account}/relations`, expect: { anonymous: 401, sales: 200, manager: 200, readonly: 200, admin: 200 } },
  { name: 'export potentials', method: 'GET', path: () => '/api/modules/potentials/export', expect: { anonymous: 401, sales: 200, manager: 200, readonly: 403, admin: 200 } },
  { name: 'import potentials', method: 'POST', path: () => '/api/modules/potentials/import?dryRun=1', body: csv, expect: { anonymous: 401, sales: 403, manager: 200, readonly: 403, admin: 200 } },
  { name: 'edit a user', method: 'PATCH', path: (ids) => `/api/modules/users/records/${ids.other}`, body: () => ({ full_name: 'Changed' }), expect: { anonymous: 401, sales: 403, manager: 403, readonly: 403, admin: 200 } },
  { name: "set another user's password", method: 'POST', path: (ids) => `/api/users/${ids.other}/password`, body: () => ({ password: 'new-password-1' }), expect: { anonymous: 401, sales: 403, manager: 403, readonly: 403, admin: 204 } },
  { name: 'list roles', method: 'GET', path: () => '/api/roles', expect: { anonymous: 401, sales: 200, manager: 200, readonly: 200, admin: 200 } },
  { name: 'change a role', method: 'PUT', path: () => '/api/roles/read_only', body: () => ({ name: 'read_only', label: 'Read Only', defaults: { view: true, create: false, edit: false, delete: false, import: false, export: false, visibility: 'all' }, modules: { potentials: { view: true, create: false, edit: false, delete: false, import: false, export: false, visibility: 'all', fields: { amount: 'hidden', forecast_amount: 'hidden', probability: 'read' } }, users: { view: true, create: false, edit: false, delete: false, import: false, export: false, visibility: 'all', fields: { is_admin: 'hidden', email: 'hidden' } } } }), expect: { anonymous: 401, sales: 403, manager: 403, readonly: 403, admin: 200 } },
  { name: 'create an API token', method: 'POST', path: () => '/api/tokens', body: () => ({ name: 'ci' }), expect: { anonymous: 401, sales: 201, manager: 201, readonly: 201, admin: 201 } },
  { name: 'delete a team potential', method: 'DELETE', path: (ids) => `/api/modules/potentials/records/${ids.managerDeal}`, expect: { anonymous: 401, sales: 403, manager: 204, readonly: 403, admin: 404 } },
]

describe('permission matrix', () => {
  for (const row of MATRIX) {
    it(`${row.name}: ${Object.entries(row.expect).map(([who, status]) => `${who} ${status}`).join(', ')}`, async () => {
      const actual: Record<string, number> = {}
      for (const who of Object.keys(row.expect) as Who[]) {
        const response = await world.request(who, row.method, row.path(world.ids), row.body?.())
        actual[who] = response.status
        const text = await response.text()
        expect(text, `${who} ${row.method}`).not.toMatch(/\bat .+\.ts:\d+/)
      }

      expect(actual).toEqual(row.expect)
    })
  }

  it('lists only the records a sales user owns and a manager the team owns', async () => {
    const names = async (who: Who) =>
      ((await (await world.request(who, 'GET', '/api/modules/potentials/records?sort=potentialname&limit=500')).json()).items as { potentialname: string }[])
        .map((item) => item.potentialname)
        .filter((name) => name.endsWith('deal'))

    expect(await names('sales')).toEqual(['Sales deal'])
    expect(await names('manager')).toEqual(['Sales deal'])
    expect(await names('readonly')).toEqual(['Other deal', 'Sales deal'])
  })

  it('hides fields a role may not see in lists, records, filters, definitions and exports', async () => {
    const list = await (await world.request('readonly', 'GET', '/api/modules/potentials/records')).json()
    const filter = await world.request('readonly', 'GET', '/api/modules/potentials/records?filter[amount][gt]=1')
    const definition = await (await world.request('readonly', 'GET', '/api/modules/potentials')).json()

    expect(list.items[0]).not.toHaveProperty('amount')
    expect(list.items[0]).toHaveProperty('potentialname')
    expect(filter.status).toBe(400)
    expect(definition.definition.record.properties.amount).toBeUndefined()
    expect(definition.definition.record.properties.probability.readOnly).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../../helpers/create-test-app.ts'
import { createTestEngine, potentialInput } from '../../../helpers/create-test-engine.ts'

describe('roll-ups: quote lines → quote total → potential amount', () => {
  it('takes the amount from the linked quote lines, refuses typing over it, and returns control when unlinked', async () => {
    const { engine, admin } = await createTestEngine()
    const deal = await engine.records.create('potentials', potentialInput({ amount: 999, sales_stage: 'Proposal or Price Quote' }), admin)
    const product = await engine.records.create('products', { productname: 'GTX Pro', unit_price: 4821 }, admin)
    const quote = await engine.records.create('quotes', { subject: 'Offer 1', potential_id: deal.id }, admin)
    const line = async (quantity: number, list_price: number, discount_percent?: number) =>
      engine.records.create('quote_lines', { quote_id: quote.id, product_id: product.id, quantity, list_price, discount_percent }, admin)

    const first = await line(2, 10.1)
    await line(3, 4.35, 50)
    const afterLines = await engine.records.get('potentials', deal.id)

    expect(first.line_total).toBe(20.2)
    expect((await engine.records.get('quotes', quote.id)).total).toBe(26.73)
    expect([afterLines.amount, afterLines.forecast_amount, afterLines._rollups]).toEqual([26.73, 17.37, { amount: { module: 'quotes', count: 1 } }])
    await expect(engine.records.update('potentials', deal.id, { amount: 5 }, admin)).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ field: 'amount', code: 'rollup' })] },
    })

    await engine.records.update('quote_lines', first.id, { quantity: 1 }, admin)
    expect((await engine.records.get('potentials', deal.id)).amount).toBe(16.63)

    await engine.records.update('quotes', quote.id, { potential_id: null }, admin)
    const released = await engine.records.update('potentials', deal.id, { amount: 500 }, admin)
    expect([released.amount, released._rollups]).toEqual([500, undefined])
  })

  it('follows deletes of lines and keeps the audit trail of the derived change', async () => {
    const { call } = await createTestApp()
    const deal = await (await call('POST', '/api/modules/potentials/records', potentialInput({ amount: 1 }))).json()
    const product = await (await call('POST', '/api/modules/products/records', { productname: 'MG Special', unit_price: 55 })).json()
    const quote = await (await call('POST', '/api/modules/quotes/records', { subject: 'Offer', potential_id: deal.id })).json()
    const lines = []
    for (const quantity of [1, 2]) lines.push(await (await call('POST', '/api/modules/quote_lines/records', { quote_id: quote.id, product_id: product.id, quantity, list_price: 55 })).json())
    await call('DELETE', `/api/modules/quote_lines/records/${lines[1].id}`)
    const potential = await (await call('GET', `/api/modules/potentials/records/${deal.id}`)).json()
    const history = await (await call('GET', `/api/modules/potentials/records/${deal.id}/history?field=amount`)).json()

    expect(potential.amount).toBe(55)
    expect(history.items.map((entry: { changes: { amount: unknown[] } }) => entry.changes.amount)).toEqual([
      [165, 55],
      [55, 165],
      [1, 55],
      [null, 1],
    ])
  })
})

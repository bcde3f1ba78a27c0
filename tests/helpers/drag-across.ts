import type { Locator, Page } from 'playwright-core'

/**
 * Drags a card by hand into another column of a board, straight across at
 * the card's own height: press on the card, move a little, move over the
 * column, release. Playwright's `dragTo` aims at the middle of the target and
 * scrolls it into sight between the press and the first move; Chromium then
 * starts the drag from whatever lies under the pressed point after the
 * scroll, which is another card. A person does not scroll in between.
 */
export async function dragAcross(page: Page, card: Locator, column: Locator): Promise<void> {
  // The board scrolls sideways: bring the column in, then the card, without jumping further.
  await column.evaluate((element) =>
    element.scrollIntoView({ block: 'nearest', inline: 'nearest' }),
  )
  await card.evaluate((element) => element.scrollIntoView({ block: 'nearest', inline: 'nearest' }))
  const from = await card.boundingBox()
  const to = await column.boundingBox()
  if (from === null || to === null) throw new Error('the card or the column is not on screen')
  const y = from.y + from.height / 2
  if (y < to.y || y > to.y + to.height)
    throw new Error('the column does not reach the card’s height')
  await page.mouse.move(from.x + from.width / 2, y)
  await page.mouse.down()
  await page.mouse.move(from.x + from.width / 2 + 8, y)
  await page.mouse.move(to.x + to.width / 2, y, { steps: 4 })
  await page.mouse.up()
}

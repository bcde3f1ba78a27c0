import type { ElementHandle, Page } from 'playwright-core'

/** Roles a person operates: each must have a name a screen reader can say. */
const CONTROL_ROLES = new Set([
  'button',
  'checkbox',
  'combobox',
  'link',
  'listbox',
  'menuitem',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'tab',
  'textbox',
])

/**
 * Controls on the page without an accessible name, as Chromium computes it
 * (label for, wrapping label, aria-label, aria-labelledby, through shadow
 * roots), each described by role, tag and attributes.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('Accessibility.enable')
    const { nodes } = await cdp.send('Accessibility.getFullAXTree')
    const unnamed: string[] = []
    for (const node of nodes) {
      const role = String(node.role?.value ?? '')
      if (node.ignored || !CONTROL_ROLES.has(role)) continue
      if (String(node.name?.value ?? '').trim() !== '') continue
      unnamed.push(`${role} ${await describeNode(cdp, node.backendDOMNodeId)}`)
    }

    return unnamed
  } finally {
    await cdp.detach()
  }
}

async function describeNode(
  cdp: Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>,
  backendNodeId: number | undefined,
): Promise<string> {
  if (backendNodeId === undefined) return '(no DOM node)'
  const { node } = await cdp.send('DOM.describeNode', { backendNodeId })
  const attributes = node.attributes ?? []
  const pairs: string[] = []
  for (let index = 0; index < attributes.length; index += 2)
    pairs.push(`${attributes[index]}="${attributes[index + 1]}"`)

  return `<${node.localName} ${pairs.join(' ')}>`
}

/** One stop of the keyboard's focus, and what is wrong with it. */
export interface FocusStop {
  element: string
  problem?: string
}

/**
 * Presses Tab from the top of the page until the focus comes round again
 * (or `limit` stops) and checks each focused element: it is on screen and
 * bigger than a pixel, and its outline or box shadow differs between focused
 * and unfocused, so a keyboard user sees where they are.
 */
export async function walkFocus(page: Page, limit = 100): Promise<FocusStop[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.mouse.click(1, 1)
  const stops: FocusStop[] = []
  let previous: { handle: ElementHandle; ring: string; stop: FocusStop } | undefined
  let first: ElementHandle | undefined
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab')
    const handle = (await page.evaluateHandle(() => {
      let element = document.activeElement
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement

      return element
    })) as ElementHandle<Element>
    // Tab walks the parts of a date input without leaving it.
    if (previous && (await previous.handle.evaluate((a, b) => a === b, handle))) continue
    if (previous) {
      const unfocused = await previous.handle.evaluate(ringOf)
      if (unfocused === previous.ring)
        previous.stop.problem ??= `no visible focus indicator (${unfocused})`
    }
    const state = await handle.evaluate(describeFocused)
    // Past the last control the focus leaves the page; back at the first stop the walk is done.
    if (state.box === undefined) break
    if (first && (await first.evaluate((a, b) => a === b, handle))) break
    first ??= handle
    const stop: FocusStop = { element: state.text }
    const { width, height } = state.box
    if (width <= 1 || height <= 1) stop.problem = `focused but not visible (${width}×${height})`
    stops.push(stop)
    previous = { handle, ring: await handle.evaluate(ringOf), stop }
  }

  return stops
}

/** The focused element as text (its shadow hosts, tag, id, label, text) and its size; no size for the page itself. */
function describeFocused(element: Element | null): {
  text: string
  box?: { width: number; height: number }
} {
  if (element === null || element === document.body) return { text: 'the page' }
  const hosts: string[] = []
  let root = element.getRootNode()
  while (root instanceof ShadowRoot) {
    hosts.unshift(`${root.host.localName} > `)
    root = root.host.getRootNode()
  }
  const id = element.id ? ` id="${element.id}"` : ''
  const label = element.getAttribute('aria-label')
  const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)
  const rect = element.getBoundingClientRect()

  return {
    text: `${hosts.join('')}<${element.localName}${id}${label ? ` aria-label="${label}"` : ''}> ${text}`,
    box: { width: rect.width, height: rect.height },
  }
}

/** What draws a focus ring: outline and box shadow as computed now. */
function ringOf(element: Element): string {
  const style = getComputedStyle(element)

  return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} | ${style.boxShadow}`
}

/** How much wider than the window the page is, in CSS pixels (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
}

/**
 * The layout shift score of the page so far (the browser's Layout
 * Instability API), with where things moved; content arriving without
 * pushing what is shown scores 0.
 */
export function layoutShift(page: Page): Promise<{ score: number; moved: string[] }> {
  return page.evaluate(async () => {
    // Shifts are reported once their frame is drawn: let the frames in progress finish.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    // A buffered observer holds the entries so far at once: takeRecords needs no waiting.
    const observer = new PerformanceObserver(() => undefined)
    observer.observe({ type: 'layout-shift', buffered: true })
    const entries = observer.takeRecords() as (PerformanceEntry & {
      value: number
      sources: { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[]
    })[]
    observer.disconnect()
    let score = 0
    const moved: string[] = []
    for (const entry of entries) {
      // Unlike Core Web Vitals, shifts just after input count too: the only input here is the
      // test's, and headless Chromium reports one at page start that would hide the loading.
      score += entry.value
      for (const { node, previousRect: from, currentRect: to } of entry.sources) {
        // Nodes inside shadow roots are not named: the rectangles say which part of the screen moved.
        const what = node instanceof Element ? `<${node.localName}> ` : ''
        const rect = (box: DOMRectReadOnly) => `${box.x},${box.y} ${box.width}×${box.height}`
        moved.push(`${entry.value.toFixed(3)} ${what}from ${rect(from)} to ${rect(to)}`)
      }
    }

    return { score, moved }
  })
}

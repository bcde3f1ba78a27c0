import { css, html, LitElement, nothing, svg } from 'lit'
import { formatMoney } from '../format-money.ts'
import { sharedStyles } from '../shared-styles.ts'

/** One group of bars: open amount, weighted amount, won amount, and an optional target. */
export interface ChartGroup {
  key: string
  label: string
  amount: number
  weighted: number
  won: number
  target?: number
}

const HEIGHT = 260
const TOP = 16
const BOTTOM = 44
const LEFT = 64
const MIN_GROUP_WIDTH = 56
const MAX_BAR_WIDTH = 28
const SERIES = [
  { key: 'amount', label: 'Open amount', colour: '#9dbbe6' },
  { key: 'weighted', label: 'Weighted', colour: '#1f5fbf' },
  { key: 'won', label: 'Won', colour: '#1b6e3a' },
] as const

/**
 * A grouped bar chart drawn as SVG by a Lit template: per group (a month, a
 * stage or an owner) the open amount, the weighted amount and the won
 * amount, with the target as a line across the group when there is one.
 * Each group is one `<g class="mark">`; every bar has a `<title>` for
 * pointer users, and the data itself is in the table beside the chart.
 */
export class CrmForecastChart extends LitElement {
  static override properties = {
    groups: { attribute: false },
    currency: {},
    caption: {},
    width: { state: true },
  }

  static override styles = [
    sharedStyles,
    css`
      figure {
        margin: 0;
      }
      .scroll {
        overflow-x: auto;
      }
      svg {
        display: block;
      }
      text {
        font-size: 12px;
        fill: #3b4656;
      }
      .grid {
        stroke: #dfe5ee;
      }
      .axis {
        stroke: #8a96a8;
      }
      .target {
        stroke: #c25100;
        stroke-width: 3;
      }
      figcaption,
      .legend {
        font-size: 0.9rem;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
      }
      .swatch {
        display: inline-block;
        width: 0.9rem;
        height: 0.9rem;
        border-radius: 2px;
        vertical-align: -0.1rem;
        margin-right: 0.35rem;
      }
      .swatch.line {
        height: 3px;
        vertical-align: 0.2rem;
        background: #c25100;
      }
    `,
  ]

  declare groups: ChartGroup[]
  /** The currency code the amounts are in. */
  declare currency: string
  /** What the chart shows, for its title. */
  declare caption: string
  /** The width the chart may take, followed as the window resizes. */
  declare width: number

  // Drawn at its real size rather than scaled, so text stays legible at any width.
  #resize = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0)
    if (width > 0 && width !== this.width) this.width = width
  })

  constructor() {
    super()
    this.groups = []
    this.currency = ''
    this.caption = ''
    this.width = 720
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.#resize.observe(this)
  }

  override disconnectedCallback(): void {
    this.#resize.disconnect()
    super.disconnectedCallback()
  }

  override render() {
    const groups = this.groups
    if (groups.length === 0) return nothing
    const hasTarget = groups.some((group) => group.target !== undefined)
    const max = Math.max(
      1,
      ...groups.flatMap((group) => [group.amount, group.weighted, group.won, group.target ?? 0]),
    )
    const { step, top } = scaleOf(max)
    const plotHeight = HEIGHT - TOP - BOTTOM
    const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight
    const groupWidth = Math.max(MIN_GROUP_WIDTH, (this.width - LEFT - 8) / groups.length)
    const width = Math.round(LEFT + groups.length * groupWidth + 8)
    const ticks: number[] = []
    for (let value = 0; value <= top + step / 2; value += step) ticks.push(value)

    return html`<figure>
      <div class="scroll">
        <svg
          width=${width}
          height=${HEIGHT}
          viewBox="0 0 ${width} ${HEIGHT}"
          role="img"
          aria-labelledby="chart-title chart-description"
        >
          <title id="chart-title">${this.caption}</title>
          <desc id="chart-description">
            ${groups.length} groups of bars: open amount, weighted amount and won amount in
            ${this.currency}${hasTarget ? ', with a line at the target' : ''}. The table lists
            the same figures.
          </desc>
          ${ticks.map(
            (value) => svg`<line class="grid" x1=${LEFT} x2=${width - 4} y1=${y(value)} y2=${y(value)}></line>
              <text x=${LEFT - 6} y=${y(value) + 4} text-anchor="end">${shortNumber(value)}</text>`,
          )}
          <line class="axis" x1=${LEFT} x2=${width - 4} y1=${y(0)} y2=${y(0)}></line>
          ${groups.map((group, index) => this.#renderGroup(group, index, groupWidth, y))}
        </svg>
      </div>
      <ul class="legend">
        ${SERIES.map(
          (series) =>
            html`<li><span class="swatch" style="background: ${series.colour}"></span>${series.label}</li>`,
        )}
        ${hasTarget ? html`<li><span class="swatch line"></span>Target</li>` : nothing}
      </ul>
    </figure>`
  }

  #renderGroup(
    group: ChartGroup,
    index: number,
    groupWidth: number,
    y: (value: number) => number,
  ) {
    const barWidth = Math.min(MAX_BAR_WIDTH, Math.floor((groupWidth * 0.7) / SERIES.length))
    const left = LEFT + index * groupWidth + (groupWidth - SERIES.length * barWidth) / 2
    const centre = LEFT + index * groupWidth + groupWidth / 2

    return svg`<g class="mark" data-key=${group.key}>
      ${SERIES.map((series, position) => {
        const value = group[series.key]
        const top = y(value)

        return svg`<rect
          class=${series.key}
          x=${left + position * barWidth}
          y=${top}
          width=${barWidth - 2}
          height=${Math.max(0, y(0) - top)}
          fill=${series.colour}
        ><title>${group.label}: ${series.label} ${formatMoney(value, this.currency)}</title></rect>`
      })}
      ${
        group.target === undefined
          ? nothing
          : svg`<line class="target" x1=${left - 4} x2=${left + SERIES.length * barWidth + 2}
              y1=${y(group.target)} y2=${y(group.target)}
            ><title>${group.label}: Target ${formatMoney(group.target, this.currency)}</title></line>`
      }
      <text x=${centre} y=${HEIGHT - BOTTOM + 16} text-anchor="middle">${clip(group.label, groupWidth)}</text>
    </g>`
  }
}

/** A round step for about four grid lines and the top of the scale. */
function scaleOf(max: number): { step: number; top: number } {
  const rough = max / 4
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((value) => value >= rough)!

  return { step, top: Math.ceil(max / step) * step }
}

function shortNumber(value: number): string {
  if (value >= 1e9) return `${trim(value / 1e9)}G`
  if (value >= 1e6) return `${trim(value / 1e6)}M`
  if (value >= 1e3) return `${trim(value / 1e3)}k`

  return trim(value)
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** A label short enough for its group, at about 7 pixels a character. */
function clip(label: string, groupWidth: number): string {
  const room = Math.max(4, Math.floor(groupWidth / 7))

  return label.length > room ? `${label.slice(0, room - 1)}…` : label
}

customElements.define('crm-forecast-chart', CrmForecastChart)

declare global {
  interface HTMLElementTagNameMap {
    'crm-forecast-chart': CrmForecastChart
  }
}

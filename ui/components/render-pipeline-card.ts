import { html, nothing } from 'lit'
import type {
  FieldDefinition,
  ForecastSettings,
  ModuleDefinition,
} from '../../engine/core/definition/types.ts'
import type { CrmRecord } from '../api-client.ts'
import { formatValue, recordTitleOf, visibleFields } from '../field-values.ts'
import { formatMoney } from '../format-money.ts'
import { hrefOf } from '../route.ts'
import type { PipelineCardDrag } from './pipeline-card-drag.ts'
import type { PipelineMoveMenu } from './pipeline-move-menu.ts'

/** What the cards of one render of the board show and may do. */
export interface CardContext {
  /** The module's machine name, for the cards' links. */
  module: string
  definition: ModuleDefinition
  settings: ForecastSettings
  /** A card without a currency field of its own shows its amount in this one. */
  baseCurrency: string
  /** Every stage in column order: a card's menu offers all but its own. */
  stages: string[]
  canMove: boolean
  /** Ids of records whose move is being saved; their cards can neither be dragged nor moved. */
  saving: ReadonlySet<number>
  /** The id of the card whose "Move to…" menu is open. */
  menuFor: number | undefined
  drag: PipelineCardDrag
  menu: PipelineMoveMenu
}

/**
 * One card of a column: the record's title as a link to it, its account,
 * amount and date, and, for users who may change the stage, a "Move to…"
 * button with its menu of the other stages.
 */
export function renderPipelineCard(context: CardContext, stage: string, record: CrmRecord) {
  const { definition, settings } = context
  const fields = definition.record.properties
  const title = recordTitleOf(definition, record)
  const titleId = `card-${record.id}`
  const account = accountFieldOf(definition)
  const accountLabel = account ? record._labels?.[account[0]] : undefined
  const currency = settings.currency ? String(record[settings.currency] ?? '') : ''
  const amount = formatMoney(record[settings.amount], currency || context.baseCurrency)
  const dateField = fields[settings.date]
  const date = dateField ? formatValue(dateField, record[settings.date]) : ''
  const canMove = context.canMove
  const busy = context.saving.has(record.id)
  const menuOpen = context.menuFor === record.id

  return html`<li
    class="card"
    data-id=${record.id}
    draggable=${canMove && !busy ? 'true' : 'false'}
    aria-busy=${busy ? 'true' : 'false'}
    @dragstart=${(event: DragEvent) => context.drag.start(event, record, stage)}
    @dragend=${context.drag.end}
  >
    <a
      id=${titleId}
      draggable="false"
      href=${hrefOf({ screen: 'detail', module: context.module, id: record.id })}
      >${title}</a
    >
    ${accountLabel ? html`<span class="meta account">${accountLabel}</span>` : nothing}
    <span class="figures">
      <span class="amount">${amount}</span>
      ${
        date
          ? html`<span class="meta date" title=${dateField?.title ?? ''}
              ><span class="visually-hidden">${dateField?.title}: </span>${date}</span
            >`
          : nothing
      }
    </span>
    ${
      canMove
        ? html`<button
            type="button"
            class="move"
            aria-haspopup="menu"
            aria-expanded=${menuOpen ? 'true' : 'false'}
            aria-controls=${menuOpen ? `menu-${record.id}` : nothing}
            aria-describedby=${titleId}
            ?disabled=${busy}
            @click=${() => context.menu.toggle(record.id)}
          >
            Move to…
          </button>`
        : nothing
    }
    ${menuOpen ? renderMoveMenu(context, record, stage, titleId) : nothing}
  </li>`
}

function renderMoveMenu(context: CardContext, record: CrmRecord, from: string, titleId: string) {
  const targets = context.stages.filter((stage) => stage !== from)

  return html`<ul
    id="menu-${record.id}"
    role="menu"
    aria-labelledby=${titleId}
    @keydown=${(event: KeyboardEvent) => context.menu.key(event, record.id)}
    @focusout=${(event: FocusEvent) => context.menu.focusOut(event, record.id)}
  >
    ${targets.map(
      (stage) =>
        html`<li role="none">
          <button
            type="button"
            role="menuitem"
            tabindex="-1"
            @click=${() => context.menu.choose(record, from, stage)}
          >
            ${stage}
          </button>
        </li>`,
    )}
  </ul>`
}

/** The card's second line: the first listed relation field, such as the account. */
function accountFieldOf(definition: ModuleDefinition): [string, FieldDefinition] | undefined {
  const relations = visibleFields(definition).filter(([, field]) => field['x-kind'] === 'relation')

  return relations.find(([, field]) => field['x-list']) ?? relations[0]
}

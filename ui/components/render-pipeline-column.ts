import { html, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { Column } from './pipeline-columns.ts'
import { columnCountOf, renderColumnTotals, type StageSums } from './pipeline-column-totals.ts'
import { renderPipelineCard, type CardContext } from './render-pipeline-card.ts'

/** What the columns of one render of the board show and may do, besides their cards. */
export interface ColumnContext extends CardContext {
  sums: StageSums
  /** The column a dragged card is over. */
  dropStage: string | undefined
  /** Loads the next page of a column, starting at `offset`. */
  loadMore(stage: string, offset: number): void
}

/**
 * One stage's column: a heading with the stage and its count, the totals,
 * the cards in the server's order and a "Load more" button while records
 * remain. The whole column is the drop target for cards of other stages.
 */
export function renderPipelineColumn(context: ColumnContext, column: Column, index: number) {
  const { definition, settings, drag } = context
  const headingId = `stage-${index}`
  const count = columnCountOf(column, context.sums)

  return html`<section
    class="column ${context.dropStage === column.stage ? 'drop' : ''}"
    data-stage=${column.stage}
    aria-labelledby=${headingId}
    aria-busy=${column.loading ? 'true' : 'false'}
    @dragover=${(event: DragEvent) => drag.over(event, column.stage)}
    @dragleave=${(event: DragEvent) => drag.leave(event, column.stage)}
    @drop=${(event: DragEvent) => drag.drop(event, column.stage)}
  >
    <h2 id=${headingId}>
      <span>${column.stage}</span>
      <span class="count" aria-label="${count ?? 'unknown'} records">${count ?? '…'}</span>
    </h2>
    ${renderColumnTotals(definition, settings, column, context.sums, context.baseCurrency)}
    ${column.problem ? html`<p class="error" role="alert">${column.problem}</p>` : nothing}
    <ol aria-labelledby=${headingId}>
      ${repeat(
        column.items,
        (record) => record.id,
        (record) => renderPipelineCard(context, column.stage, record),
      )}
      ${
        column.items.length === 0 && !column.loading && column.total === 0
          ? html`<li class="empty">No ${definition.label.plural.toLowerCase()} here.</li>`
          : nothing
      }
      ${column.loading && column.items.length === 0 ? html`<li class="empty">Loading…</li>` : nothing}
    </ol>
    ${
      column.total !== undefined && column.items.length < column.total
        ? html`<button
            type="button"
            class="more"
            ?disabled=${column.loading}
            aria-describedby=${headingId}
            @click=${() => context.loadMore(column.stage, column.items.length)}
          >
            ${column.loading ? 'Loading…' : `Load more (${column.total - column.items.length} more)`}
          </button>`
        : nothing
    }
  </section>`
}

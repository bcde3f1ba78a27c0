import { css } from 'lit'

/** The look of `crm-pipeline-board`: columns side by side, cards, their "Move to…" menu. */
export const pipelineBoardStyles = css`
  .board {
    display: flex;
    gap: 0.75rem;
    overflow-x: auto;
    padding-bottom: 0.75rem;
    /* Every column as tall as the longest: a card from far down a long column drops
       straight across, without dragging it up out of sight to a short column's top. */
    align-items: stretch;
  }
  .column {
    flex: 0 0 16.5rem;
    background: #e9eef5;
    border: 1px solid var(--crm-border);
    border-radius: 8px;
    padding: 0.6rem;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    min-height: 12rem;
  }
  .column.drop {
    outline: 3px dashed var(--crm-accent);
    outline-offset: -3px;
    background: #dde8f7;
  }
  .column h2 {
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
    font-size: 1rem;
    margin: 0;
  }
  .count {
    flex: none;
    align-self: flex-start;
    background: #fff;
    border-radius: 999px;
    padding: 0 0.55rem;
    font-size: 0.9rem;
    min-width: 1.8rem;
    text-align: center;
  }
  .sums {
    margin: 0;
    font-size: 0.85rem;
    color: var(--crm-muted);
    display: grid;
    gap: 0.1rem;
    min-height: 2.6em;
  }
  .sums dt {
    display: inline;
  }
  .sums dd {
    display: inline;
    margin: 0;
    font-weight: 600;
    color: #1d2430;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
    min-height: 4rem;
  }
  .card {
    position: relative;
    background: var(--crm-surface);
    border: 1px solid var(--crm-border);
    border-radius: 6px;
    padding: 0.5rem 0.6rem;
    display: grid;
    gap: 0.15rem;
    cursor: grab;
    font-size: 0.92rem;
  }
  .card[aria-busy='true'] {
    opacity: 0.6;
  }
  .card a {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .card .meta {
    color: var(--crm-muted);
    overflow-wrap: anywhere;
  }
  .card .figures {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0 0.5rem;
  }
  .card .amount {
    font-variant-numeric: tabular-nums;
  }
  .card .move {
    justify-self: start;
    min-height: 2rem;
    padding: 0.15rem 0.6rem;
    font-size: 0.85rem;
    margin-top: 0.25rem;
  }
  [role='menu'] {
    position: absolute;
    z-index: 3;
    left: 0.4rem;
    right: 0.4rem;
    top: 100%;
    margin: 0.15rem 0 0;
    padding: 0.25rem 0;
    list-style: none;
    background: var(--crm-surface);
    border: 1px solid var(--crm-border);
    border-radius: 6px;
    box-shadow: 0 6px 18px rgba(0, 0, 0, 0.15);
  }
  [role='menuitem'] {
    display: block;
    width: 100%;
    border: none;
    border-radius: 0;
    min-height: 2.25rem;
    text-align: left;
    color: inherit;
  }
  [role='menuitem']:hover,
  [role='menuitem']:focus {
    background: var(--crm-accent);
    color: #fff;
  }
  .empty {
    color: var(--crm-muted);
    font-size: 0.9rem;
    padding: 0.5rem 0;
  }
  .more {
    width: 100%;
    justify-content: center;
  }
`

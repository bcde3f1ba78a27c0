import { css } from 'lit'

/** The look of `crm-layout-field-panel`: one column of small forms, each under a rule. */
export const layoutFieldPanelStyles = css`
  /* Sticky beside a long canvas; a panel taller than the window scrolls on its own. */
  :host {
    position: sticky;
    top: 0.5rem;
    max-height: calc(100vh - 1rem);
    overflow-y: auto;
    border-radius: 8px;
  }
  section.panel {
    margin-bottom: 0;
  }
  .head {
    display: flex;
    align-items: baseline;
    gap: 0.5rem;
  }
  .head h2 {
    margin-right: auto;
  }
  form,
  .part {
    display: grid;
    gap: 0.6rem;
    padding: 0.75rem 0;
    border-top: 1px solid #e3e8ef;
  }
  h3 {
    margin: 0;
    font-size: 1rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  .row > * {
    flex: 1 1 8rem;
  }
  fieldset {
    border: 1px solid var(--crm-border);
    border-radius: 6px;
    display: grid;
    gap: 0.4rem;
  }
  code {
    color: var(--crm-muted);
  }
  .danger {
    border-color: var(--crm-danger);
    color: var(--crm-danger);
  }
`

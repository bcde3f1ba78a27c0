import { css } from 'lit'

/**
 * Styles every screen shares: focus rings that are always visible from the
 * keyboard, buttons, inputs, tables and the colours of states.
 */
export const sharedStyles = css`
  :host {
    display: block;
    --crm-accent: #1f5fbf;
    --crm-accent-dark: #174a94;
    --crm-border: #c9d1dc;
    --crm-muted: #5b6675;
    --crm-danger: #a4161a;
    --crm-danger-bg: #fdecec;
    --crm-ok: #1b6e3a;
    --crm-ok-bg: #e7f5ec;
    --crm-surface: #ffffff;
  }
  * {
    box-sizing: border-box;
  }
  a {
    color: var(--crm-accent);
  }
  a:focus-visible,
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid #f2a900;
    outline-offset: 2px;
  }
  h1 {
    font-size: 1.5rem;
    margin: 0 0 0.75rem;
  }
  h2 {
    font-size: 1.15rem;
    margin: 0 0 0.5rem;
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    min-height: 2.5rem;
    padding: 0.4rem 0.9rem;
    border: 1px solid var(--crm-accent);
    border-radius: 6px;
    background: var(--crm-surface);
    color: var(--crm-accent);
    font: inherit;
    text-decoration: none;
    cursor: pointer;
  }
  button.primary,
  .button.primary {
    background: var(--crm-accent);
    color: #fff;
  }
  button.primary:hover,
  .button.primary:hover {
    background: var(--crm-accent-dark);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  input,
  select,
  textarea {
    width: 100%;
    min-height: 2.5rem;
    padding: 0.4rem 0.6rem;
    border: 1px solid var(--crm-border);
    border-radius: 6px;
    background: var(--crm-surface);
    color: inherit;
    font: inherit;
  }
  input[type='checkbox'],
  input[type='radio'] {
    flex: none;
    width: 1.25rem;
    min-height: 1.25rem;
  }
  label {
    font-weight: 600;
  }
  .panel {
    background: var(--crm-surface);
    border: 1px solid var(--crm-border);
    border-radius: 8px;
    padding: 1rem;
    margin-bottom: 1rem;
  }
  .muted {
    color: var(--crm-muted);
  }
  .error {
    color: var(--crm-danger);
  }
  .alert {
    padding: 0.75rem 1rem;
    border-radius: 6px;
    border: 1px solid var(--crm-danger);
    background: var(--crm-danger-bg);
    color: var(--crm-danger);
    margin-bottom: 1rem;
  }
  .alert > :first-child,
  .notice > :first-child,
  .panel > :first-child {
    margin-top: 0;
  }
  .alert > :last-child,
  .notice > :last-child {
    margin-bottom: 0;
  }
  .notice {
    padding: 0.75rem 1rem;
    border-radius: 6px;
    border: 1px solid var(--crm-ok);
    background: var(--crm-ok-bg);
    color: var(--crm-ok);
    margin-bottom: 1rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 1rem;
  }
  .toolbar .grow {
    flex: 1 1 12rem;
  }
  .table-scroll {
    /* Visually hidden text inside is positioned absolutely: it must not escape the scrolling box. */
    position: relative;
    overflow-x: auto;
    background: var(--crm-surface);
    border: 1px solid var(--crm-border);
    border-radius: 8px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.5rem 0.75rem;
    text-align: left;
    border-bottom: 1px solid #e3e8ef;
    white-space: nowrap;
  }
  th {
    background: #eef2f7;
    font-weight: 600;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`

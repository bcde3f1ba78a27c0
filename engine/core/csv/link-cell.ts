/**
 * The text of a many-to-many link cell: the linked records' names joined by
 * "; " (people also write "|"). A name holding `;` or `|`, or starting with
 * `"`, is written in double quotes (inner quotes doubled), so `Ann Smith;
 * John` comes back as one name, not two. Cells people type ("A; B") read as
 * before: only a part that starts with a quote and closes right before a
 * separator is read as quoted.
 */

/** What export puts between names. */
export const LINK_SEPARATOR = '; '

const NEEDS_QUOTES = /[;|]|^\s*"/

/** One link cell from names, quoting those a plain split would cut or misread. */
export function joinLinkNames(names: string[]): string {
  let cell = ''
  for (const [index, name] of names.entries()) {
    if (index > 0) cell += LINK_SEPARATOR
    cell += NEEDS_QUOTES.test(name) ? `"${name.replace(/"/g, '""')}"` : name
  }

  return cell
}

/** The names of a link cell, trimmed, empty ones dropped. */
export function splitLinkCell(cell: string): string[] {
  const names: string[] = []
  const length = cell.length
  let start = 0
  while (start < length) {
    const first = skipSpaces(cell, start)
    const quoted = cell.charCodeAt(first) === QUOTE ? readQuoted(cell, first) : undefined
    if (quoted !== undefined) {
      if (quoted.name.trim() !== '') names.push(quoted.name)
      start = quoted.next
      continue
    }
    let end = start
    while (end < length && !isSeparator(cell.charCodeAt(end))) end++
    const name = cell.slice(start, end).trim()
    if (name !== '') names.push(name)
    start = end + 1
  }

  return names
}

const QUOTE = 34
const SEMICOLON = 59
const PIPE = 124

function isSeparator(code: number): boolean {
  return code === SEMICOLON || code === PIPE
}

function skipSpaces(cell: string, from: number): number {
  let index = from
  while (index < cell.length && (cell[index] === ' ' || cell[index] === '\t')) index++

  return index
}

/**
 * A quoted name from its opening quote: the name and where the next one
 * starts, or undefined when the quote does not close right before a
 * separator or the end (then the part is plain text, as a person wrote it).
 */
function readQuoted(cell: string, open: number): { name: string; next: number } | undefined {
  let name = ''
  let index = open + 1
  for (;;) {
    const close = cell.indexOf('"', index)
    if (close === -1) return undefined
    name += cell.slice(index, close)
    if (cell.charCodeAt(close + 1) === QUOTE) {
      name += '"'
      index = close + 2
      continue
    }
    const after = skipSpaces(cell, close + 1)
    if (after < cell.length && !isSeparator(cell.charCodeAt(after))) return undefined

    return { name, next: after + 1 }
  }
}

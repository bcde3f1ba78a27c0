import { EngineError } from '../errors.ts'

/** A compiled mapping template: builds one text from the cells of a row. */
export type Template = (cells: string[]) => string

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'cell'; column: number; filters: Filter[] }
  | { kind: 'optional'; parts: Part[] }

type Filter = (text: string) => string

const FILTERS: Record<string, (argument: string | undefined) => Filter> = {
  lower: () => (text) => text.toLocaleLowerCase(),
  upper: () => (text) => text.toLocaleUpperCase(),
  trim: () => (text) => text.trim(),
  replace: (argument = '') => {
    const [from, to = ''] = splitOnce(argument, '=')

    return (text) => (from === '' ? text : text.split(from).join(to))
  },
  slug:
    (separator = '-') =>
    (text) =>
      text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLocaleLowerCase()
        .replace(/[^a-z0-9]+/g, separator)
        .split(separator)
        .filter(Boolean)
        .join(separator),
}

/**
 * Compiles a template such as `{product}[ – {account}] ({opportunity_id})`
 * or `{sales_agent|slug:.}`. `{header}` inserts the trimmed cell, filters
 * after `|` transform it, and a `[...]` group is dropped when a cell named in
 * it is empty. `\{`, `\[` and `\]` write the characters themselves.
 * Unknown headers and filters throw CSV_INVALID.
 */
export function compileTemplate(source: string, columnOf: (header: string) => number): Template {
  let position = 0
  const parse = (closing?: string): Part[] => {
    const parts: Part[] = []
    let text = ''
    const flush = () => {
      if (text) parts.push({ kind: 'text', text })
      text = ''
    }
    while (position < source.length) {
      const char = source[position++]
      if (char === '\\' && position < source.length) text += source[position++]
      else if (char === closing) {
        flush()

        return parts
      } else if (char === '[') {
        flush()
        parts.push({ kind: 'optional', parts: parse(']') })
      } else if (char === '{') {
        flush()
        const end = source.indexOf('}', position)
        if (end === -1) throw invalid(source, 'a "{" is never closed')
        parts.push(placeholder(source.slice(position, end), source, columnOf))
        position = end + 1
      } else text += char
    }
    if (closing !== undefined) throw invalid(source, `a "[" is never closed`)
    flush()

    return parts
  }
  const parts = parse()

  return (cells) => render(parts, cells, false) ?? ''
}

function placeholder(body: string, source: string, columnOf: (header: string) => number): Part {
  const [header, ...filterTexts] = body.split('|')
  const filters = filterTexts.map((text) => {
    const [name, argument] = splitOnce(text, ':')
    const make = FILTERS[name.trim()]
    if (!make)
      throw invalid(source, `"${name}" is not a filter; use ${Object.keys(FILTERS).join(', ')}`)

    return make(argument)
  })

  return { kind: 'cell', column: columnOf(header.trim()), filters }
}

/** Undefined when a cell is empty inside an optional group (`strict`). */
function render(parts: Part[], cells: string[], strict: boolean): string | undefined {
  let result = ''
  for (const part of parts) {
    if (part.kind === 'text') result += part.text
    else if (part.kind === 'optional') result += render(part.parts, cells, true) ?? ''
    else {
      const value = part.filters.reduce(
        (text, filter) => filter(text),
        (cells[part.column] ?? '').trim(),
      )
      if (value === '' && strict) return undefined
      result += value
    }
  }

  return result
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator)

  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)]
}

function invalid(source: string, reason: string): EngineError {
  return new EngineError('CSV_INVALID', `the template "${source}" cannot be used: ${reason}`, {
    template: source,
  })
}

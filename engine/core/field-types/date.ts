import type { FieldKind, TextFormat } from './field-kind.ts'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Dates are calendar days as `YYYY-MM-DD` text: no time zone can ever shift them. */
export const dateKind: FieldKind = {
  name: 'date',
  jsonType: 'string',
  columnType: () => 'text',
  schemaFor: () => ({ type: 'string', format: 'date' }),
  toColumn: (value) => value,
  fromColumn: (value) => value,
  parseText: (raw, _field, format) => {
    const text = raw.trim()
    // Other systems and spreadsheets export days as date-times ("2026-03-15T00:00:00Z",
    // "15/03/2026 10:00"): the day is taken as written, never moved by the time or its zone.
    const day = TIME_OF_DAY.exec(text)
    const value = parseDateText(day ? text.slice(0, day.index) : text, format)

    return value === null
      ? { ok: false, message: `"${raw}" is not a real date in ${describeOrder(format)}` }
      : { ok: true, value }
  },
  formatText: (value) => (value == null ? '' : String(value)),
}

/** A time of day after a date: `T` or a space, hours and minutes, seconds, a zone or AM/PM. */
const TIME_OF_DAY = /(?:T|\s+)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|[AaPp]\.?[Mm]\.?)?$/

/** Date-times are instants, stored as UTC ISO 8601 text so they sort as text. */
export const datetimeKind: FieldKind = {
  name: 'datetime',
  jsonType: 'string',
  columnType: () => 'text',
  schemaFor: () => ({ type: 'string', format: 'date-time' }),
  toColumn: (value) => (typeof value === 'string' ? new Date(value).toISOString() : value),
  fromColumn: (value) => value,
  parseText: (raw) => {
    const text = raw.trim()
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text)
    const date = ISO_DATE.test(text.slice(0, 10)) ? new Date(hasZone ? text : `${text}Z`) : null
    if (date === null || Number.isNaN(date.getTime()) || !isRealDay(text.slice(0, 10))) {
      return { ok: false, message: `"${raw}" is not an ISO 8601 date and time` }
    }

    return { ok: true, value: date.toISOString() }
  },
  formatText: (value) => (value == null ? '' : String(value)),
}

/** Reads ISO dates always, and dates in the import's chosen order; refuses impossible days. */
export function parseDateText(text: string, format: Pick<TextFormat, 'dateOrder'>): string | null {
  if (ISO_DATE.test(text)) return isRealDay(text) ? text : null
  const parts = /^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$/.exec(text)
  if (!parts) return null
  const [first, second, third] = parts.slice(1).map(Number)
  const [year, month, day] =
    format.dateOrder === 'DMY'
      ? [third, second, first]
      : format.dateOrder === 'MDY'
        ? [third, first, second]
        : [first, second, third]
  if (year < 1000) return null
  const iso = `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`

  return isRealDay(iso) ? iso : null
}

function isRealDay(iso: string): boolean {
  const match = ISO_DATE.exec(iso)
  if (!match) return false
  const [year, month, day] = match.slice(1).map(Number)
  const date = new Date(Date.UTC(year, month - 1, day))

  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** The accepted forms, the chosen order once: ISO is always read too. */
function describeOrder(format: TextFormat): string {
  return { YMD: 'YYYY-MM-DD', DMY: 'DD.MM.YYYY or YYYY-MM-DD', MDY: 'MM/DD/YYYY or YYYY-MM-DD' }[format.dateOrder]
}

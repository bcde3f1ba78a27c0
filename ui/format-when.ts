/** An ISO time as people read it in their own time zone, `2027-03-01 10:30`; other text stays. */
export function formatWhen(text: string): string {
  const date = new Date(text)
  if (Number.isNaN(date.getTime())) return text
  const pad = (number: number) => String(number).padStart(2, '0')

  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** A count with the reader's thousands separators: 8,800 in English. */
export function formatCount(count: number): string {
  return count.toLocaleString()
}

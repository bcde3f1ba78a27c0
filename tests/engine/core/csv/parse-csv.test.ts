import { describe, expect, it } from 'vitest'
import { detectDelimiter, parseCsvRows } from '../../../../engine/core/csv/parse-csv.ts'

async function rows(text: string, chunkSize = 3) {
  async function* chunks() {
    for (let start = 0; start < text.length; start += chunkSize)
      yield text.slice(start, start + chunkSize)
  }
  const parsed = await parseCsvRows(chunks())
  const list = []
  for await (const row of parsed.rows) list.push(row)

  return { delimiter: parsed.delimiter, list }
}

describe('detectDelimiter', () => {
  it('counts candidates outside quotes in the header line', () => {
    expect(detectDelimiter('a;b;c')).toBe(';')
    expect(detectDelimiter('a\tb\tc')).toBe('\t')
    expect(detectDelimiter('"a;b",c')).toBe(',')
    expect(detectDelimiter('single')).toBe(',')
  })
})

describe('parseCsvRows', () => {
  it('numbers rows by the line they start on, counting line breaks inside quotes', async () => {
    const { list } = await rows('a,b\r\n1,"two\r\nlines"\r\n3,x\r\n')

    expect(list).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'two\r\nlines'] },
      { line: 4, cells: ['3', 'x'] },
    ])
  })

  it('keeps quoted delimiters and doubled quotes, and detects ";"', async () => {
    const { list, delimiter } = await rows('a;b\n"x; y";"say ""hi"""\n')

    expect(delimiter).toBe(';')
    expect(list[1].cells).toEqual(['x; y', 'say "hi"'])
  })

  it('reports empty lines in the middle but not the final line break', async () => {
    const { list } = await rows('a,b\n1,2\n\n3,4\n')

    expect(list.map((row) => row.line)).toEqual([1, 2, 3, 4])
    expect(list[2].cells).toEqual([''])
  })

  it('refuses an empty file', async () => {
    await expect(rows('')).rejects.toMatchObject({ code: 'CSV_INVALID' })
  })
})

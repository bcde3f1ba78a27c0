import { describe, expect, it } from 'vitest'
import { dateKind } from '../../../../engine/core/field-types/date.ts'
import type { FieldDefinition } from '../../../../engine/core/definition/types.ts'

const field = { type: 'string', format: 'date', 'x-kind': 'date', title: 'Close Date' } as FieldDefinition
const read = (raw: string, dateOrder: 'YMD' | 'DMY' | 'MDY' = 'YMD') => dateKind.parseText(raw, field, { decimalMark: '.', dateOrder })

describe('date cells', () => {
  it('takes the day of a date-time as written, whatever its time and zone', () => {
    expect(read('2026-03-15T00:00:00Z')).toEqual({ ok: true, value: '2026-03-15' })
    // 23:30 at UTC-5 is the 16th in UTC: the day written is kept, never shifted.
    expect(read('2026-03-15T23:30:00-05:00')).toEqual({ ok: true, value: '2026-03-15' })
    expect(read('2026-03-15 10:00')).toEqual({ ok: true, value: '2026-03-15' })
    expect(read('15/03/2026 10:00', 'DMY')).toEqual({ ok: true, value: '2026-03-15' })
    expect(read('03/15/2026 10:00 PM', 'MDY')).toEqual({ ok: true, value: '2026-03-15' })
  })

  it('still refuses impossible days and times, and a time without a day', () => {
    for (const raw of ['2026-02-30T00:00:00Z', '2026-03-15T25:00', '2026-03-15T10:61', '10:00', '2026-03-15 noon'])
      expect(read(raw).ok, raw).toBe(false)
  })
})

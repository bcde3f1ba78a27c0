import type { FieldDefinition } from '../../engine/core/definition/types.ts'
import type { CrmRecord } from '../api-client.ts'

/** Where a stage stands in the forecast, from its picklist value's metadata. */
export type Outcome = 'open' | 'won' | 'lost' | 'none'

/** One column of the board: the records of one stage value, loaded page by page. */
export interface Column {
  stage: string
  /** `open` and `won` stages are in the forecast; `lost` and values without metadata are not. */
  outcome: Outcome
  items: CrmRecord[]
  /** How many records have this stage, as the last list answer said (and moves since). */
  total: number | undefined
  loading: boolean
  problem?: string
}

/** One empty, loading column per value of the stage picklist, in the definition's order. */
export function createColumns(stageField: FieldDefinition | undefined): Column[] {
  return (stageField?.enum ?? []).map((stage) => ({
    stage,
    outcome: outcomeOf(stageField, stage),
    items: [],
    total: undefined,
    loading: true,
  }))
}

export function findColumn(columns: Column[], stage: string): Column | undefined {
  return columns.find((column) => column.stage === stage)
}

export function updateColumn(
  columns: Column[],
  stage: string,
  change: (column: Column) => Column,
): Column[] {
  return columns.map((column) => (column.stage === stage ? change(column) : column))
}

/** The columns without the record of `id`; the column that held it counts one fewer. */
export function takeOutRecord(columns: Column[], id: number): Column[] {
  return columns.map((column) => {
    if (!column.items.some((record) => record.id === id)) return column

    return {
      ...column,
      items: column.items.filter((record) => record.id !== id),
      total: column.total === undefined ? undefined : Math.max(0, column.total - 1),
    }
  })
}

/** The columns with `record` in the column of `stage`, where the server's order puts it. */
export function putInRecord(
  columns: Column[],
  stage: string,
  record: CrmRecord,
  dateField: string,
): Column[] {
  return updateColumn(columns, stage, (column) => {
    const items = [...column.items, record].sort((a, b) => compareBy(a, b, dateField))

    return { ...column, items, total: column.total === undefined ? undefined : column.total + 1 }
  })
}

/** The columns with the saved version of a record in place of the one shown. */
export function replaceRecord(columns: Column[], stage: string, record: CrmRecord): Column[] {
  return updateColumn(columns, stage, (column) => ({
    ...column,
    items: column.items.map((item) => (item.id === record.id ? record : item)),
  }))
}

function outcomeOf(field: FieldDefinition | undefined, stage: string): Outcome {
  const meta = field?.['x-values']?.[stage]
  if (meta === undefined) return 'none'

  return meta.outcome ?? 'open'
}

/** The server's list order: the date ascending (empty first), then the id. */
function compareBy(a: CrmRecord, b: CrmRecord, field: string): number {
  const left = String(a[field] ?? '')
  const right = String(b[field] ?? '')
  if (left !== right) return left < right ? -1 : 1

  return a.id - b.id
}

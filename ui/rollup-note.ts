import { api, type CrmRecord } from './api-client.ts'

type Labels = Map<string, { singular: string; plural: string }>

let labels: Promise<Labels> | undefined

/** The singular and plural labels of every module the user sees, asked once per page load. */
export function loadModuleLabels(): Promise<Labels> {
  labels ??= api.listModules().then(
    ({ items }) => new Map(items.map((item) => [item.name, item.label])),
    () => {
      labels = undefined
      return new Map()
    },
  )

  return labels
}

/**
 * What fills a field a roll-up fills right now, `From 2 linked quotes`, or
 * undefined when the record's `_rollups` does not name the field. With
 * `editing`, it also says how to get the field back.
 */
export function rollupNote(
  record: CrmRecord | undefined,
  field: string,
  moduleLabels: Labels,
  editing = false,
): string | undefined {
  const rollup = record?._rollups?.[field]
  if (rollup === undefined) return undefined
  const label = moduleLabels.get(rollup.module)
  const noun =
    rollup.count === 1
      ? (label?.singular ?? rollup.module).toLowerCase()
      : (label?.plural ?? rollup.module).toLowerCase()
  const note = `From ${rollup.count} linked ${noun}`

  return editing ? `${note} — unlink ${rollup.count === 1 ? 'it' : 'them'} to type it` : note
}

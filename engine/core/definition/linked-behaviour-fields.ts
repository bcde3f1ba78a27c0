import type { FieldUse } from './field-references.ts'
import type { ModuleDefinition } from './types.ts'

/** Places of the conversion mapping, parent link and file fields that name one of the module's own fields. */
export function findLinkedBehaviourUses(definition: ModuleDefinition, name: string): FieldUse[] {
  const uses: FieldUse[] = []
  const { conversion, parentLink, file } = definition.behaviours ?? {}
  if (conversion?.convertedAt === name)
    uses.push({
      path: '/behaviours/conversion/convertedAt',
      where: 'the conversion (converted at)',
      blocking: true,
    })
  for (const [target, spec] of Object.entries(conversion?.targets ?? {})) {
    const path = `/behaviours/conversion/targets/${target}`
    if (spec.leadField === name)
      uses.push({ path: `${path}/leadField`, where: `the conversion to ${target}`, blocking: true })
    for (const [field, source] of Object.entries(spec.fields)) {
      if (source === name)
        uses.push({
          path: `${path}/fields/${field}`,
          where: `the conversion mapping ${name} → ${target}.${field}`,
          blocking: true,
        })
    }
  }
  for (const key of ['moduleField', 'idField'] as const) {
    if (parentLink?.[key] === name)
      uses.push({ path: `/behaviours/parentLink/${key}`, where: 'the parent link', blocking: true })
  }
  for (const key of ['at', 'body'] as const) {
    if (parentLink?.timeline?.[key] === name)
      uses.push({
        path: `/behaviours/parentLink/timeline/${key}`,
        where: 'the timeline entry',
        blocking: true,
      })
  }
  for (const key of ['name', 'mimeType', 'size'] as const) {
    if (file?.[key] === name)
      uses.push({ path: `/behaviours/file/${key}`, where: 'the file fields', blocking: true })
  }

  return uses
}

/**
 * Points the conversion mapping, parent link and file fields from one own field name to another.
 * TODO(#6): renaming a picklist value of the converted module leaves the keys of the mapping's
 * value maps as they were, and there is no Layout Editor operation for the mapping: an admin
 * edits it in the definition (PUT /api/modules/leads).
 */
export function renameLinkedBehaviourFields(
  definition: ModuleDefinition,
  from: string,
  to: string,
): void {
  const swap = (name: string) => (name === from ? to : name)
  const { conversion, parentLink, file } = definition.behaviours ?? {}
  if (conversion) {
    conversion.convertedAt = swap(conversion.convertedAt)
    for (const spec of Object.values(conversion.targets)) {
      spec.leadField = swap(spec.leadField)
      spec.fields = Object.fromEntries(
        Object.entries(spec.fields).map(([field, source]) => [field, swap(source)]),
      )
    }
  }
  if (parentLink) {
    parentLink.moduleField = swap(parentLink.moduleField)
    parentLink.idField = swap(parentLink.idField)
    if (parentLink.timeline?.at) parentLink.timeline.at = swap(parentLink.timeline.at)
    if (parentLink.timeline?.body) parentLink.timeline.body = swap(parentLink.timeline.body)
  }
  if (file) {
    file.name = swap(file.name)
    file.mimeType = swap(file.mimeType)
    file.size = swap(file.size)
  }
}

import type { FieldDefinition, ModuleDefinition } from './types.ts'

type Add = (path: string, code: string, message: string) => void

/**
 * Checks the behaviours that name fields of other modules or hold records of
 * any module: the conversion mapping, the parent link and the file fields.
 * The target modules can change after this check (a mapped field archived);
 * the conversion checks its mapping again when it runs.
 */
export function checkLinkedBehaviours(
  definition: ModuleDefinition,
  others: ReadonlyMap<string, ModuleDefinition>,
  add: Add,
): void {
  checkConversion(definition, others, add)
  checkParentLink(definition, add)
  checkFileFields(definition, add)
}

function checkConversion(
  definition: ModuleDefinition,
  others: ReadonlyMap<string, ModuleDefinition>,
  add: Add,
): void {
  const conversion = definition.behaviours?.conversion
  if (!conversion) return
  const own = definition.record.properties
  const base = '/behaviours/conversion'
  expectKind(
    own,
    conversion.convertedAt,
    ['datetime'],
    `${base}/convertedAt`,
    add,
    definition.label.plural,
  )
  const earlier = new Map<string, string>()
  const leadFields = new Set<string>()

  for (const [name, target] of Object.entries(conversion.targets)) {
    const path = `${base}/targets/${name}`
    const other = others.get(target.module)
    if (!other || target.module === definition.name) {
      add(`${path}/module`, 'module', `module "${target.module}" does not exist or is this module`)
      continue
    }
    const theirs = other.record.properties
    const label = other.label.plural
    if (
      expectKind(
        own,
        target.leadField,
        ['relation'],
        `${path}/leadField`,
        add,
        definition.label.plural,
      ) &&
      own[target.leadField]['x-relation']?.module !== target.module
    ) {
      add(`${path}/leadField`, 'kind', `"${target.leadField}" must be a relation to ${label}`)
    }
    if (leadFields.has(target.leadField))
      add(`${path}/leadField`, 'duplicate', `"${target.leadField}" keeps another target already`)
    leadFields.add(target.leadField)
    if (target.matchBy !== undefined)
      expectField(theirs, target.matchBy, label, `${path}/matchBy`, add)
    for (const [field, source] of Object.entries(target.fields)) {
      expectField(theirs, field, label, `${path}/fields/${field}`, add)
      expectField(own, source, definition.label.plural, `${path}/fields/${field}`, add)
    }
    for (const [field, linked] of Object.entries(target.links ?? {})) {
      const module = earlier.get(linked)
      if (module === undefined)
        add(
          `${path}/links/${field}`,
          'target',
          `"${linked}" is not an earlier target of the conversion`,
        )
      else if (
        expectField(theirs, field, label, `${path}/links/${field}`, add) &&
        theirs[field]['x-relation']?.module !== module
      ) {
        add(`${path}/links/${field}`, 'kind', `${label}.${field} is not a relation to ${module}`)
      }
    }
    for (const [field, map] of Object.entries(target.valueMaps ?? {})) {
      if (
        !expectKind(
          theirs,
          field,
          ['picklist', 'multi-picklist'],
          `${path}/valueMaps/${field}`,
          add,
          label,
        )
      )
        continue
      const options = theirs[field].enum ?? theirs[field].items?.enum ?? []
      for (const [from, to] of Object.entries(map)) {
        if (!options.includes(to))
          add(
            `${path}/valueMaps/${field}/${from}`,
            'enum',
            `"${to}" is not an option of ${label}.${field}`,
          )
      }
    }
    earlier.set(name, target.module)
  }
}

function checkParentLink(definition: ModuleDefinition, add: Add): void {
  const link = definition.behaviours?.parentLink
  if (!link) return
  const fields = definition.record.properties
  const label = definition.label.plural
  expectKind(fields, link.moduleField, ['text'], '/behaviours/parentLink/moduleField', add, label)
  expectKind(fields, link.idField, ['integer'], '/behaviours/parentLink/idField', add, label)
  if (link.timeline?.at !== undefined)
    expectKind(
      fields,
      link.timeline.at,
      ['datetime', 'date'],
      '/behaviours/parentLink/timeline/at',
      add,
      label,
    )
  if (link.timeline?.body !== undefined)
    expectField(
      fields,
      link.timeline.body,
      definition.label.plural,
      '/behaviours/parentLink/timeline/body',
      add,
    )
}

function checkFileFields(definition: ModuleDefinition, add: Add): void {
  const file = definition.behaviours?.file
  if (!file) return
  const fields = definition.record.properties
  const label = definition.label.plural
  expectKind(fields, file.name, ['text'], '/behaviours/file/name', add, label)
  expectKind(fields, file.mimeType, ['text'], '/behaviours/file/mimeType', add, label)
  expectKind(fields, file.size, ['integer'], '/behaviours/file/size', add, label)
}

function expectField(
  fields: Record<string, FieldDefinition>,
  name: string,
  label: string,
  path: string,
  add: Add,
): boolean {
  const field = fields[name]
  if (field === undefined || !Object.hasOwn(fields, name))
    add(path, 'field', `field "${name}" is not defined in ${label}`)
  else if (field['x-archived'])
    add(path, 'field', `${label}.${name} is archived; restore it or change the mapping`)
  else return true

  return false
}

function expectKind(
  fields: Record<string, FieldDefinition>,
  name: string,
  kinds: string[],
  path: string,
  add: Add,
  label: string,
): boolean {
  if (!expectField(fields, name, label, path, add)) return false
  if (kinds.includes(fields[name]['x-kind'])) return true
  add(
    path,
    'kind',
    `"${name}" must be a ${kinds.join(' or ')} field, not ${fields[name]['x-kind']}`,
  )

  return false
}

import type { ModuleRuntime } from '../definition/module-runtime.ts'
import type { Actor } from '../engine.ts'
import { EngineError, type Issue } from '../errors.ts'
import type { FieldAccess, ModuleAction, ModulePermission } from './role-types.ts'

const FULL: ModulePermission = { view: true, create: true, edit: true, delete: true, import: true, export: true, reassign: true, visibility: 'all' }

/**
 * The permission of an actor in a module. Admins, and internal callers that
 * carry no role (the command line, first start), may do everything.
 */
export function permissionOf(actor: Actor, module: string): ModulePermission {
  if (actor.isAdmin || !actor.access) return FULL

  return actor.access.role.modules?.[module] ?? actor.access.role.defaults
}

/** Throws FORBIDDEN naming the role, the action and the module. */
export function assertCan(actor: Actor, runtime: ModuleRuntime, action: ModuleAction): void {
  if (permissionOf(actor, runtime.name)[action]) return
  const role = actor.access?.role.label ?? 'your role'

  throw new EngineError('FORBIDDEN', `${role} may not ${action} ${runtime.definition.label.plural}`, { module: runtime.name, action })
}

export function fieldAccess(actor: Actor, runtime: ModuleRuntime, field: string): FieldAccess {
  return permissionOf(actor, runtime.name).fields?.[field] ?? 'write'
}

/** Fields the actor may not see in this module. */
export function hiddenFields(actor: Actor, runtime: ModuleRuntime): Set<string> {
  const fields = permissionOf(actor, runtime.name).fields ?? {}

  return new Set(Object.entries(fields).filter(([, access]) => access === 'hidden').map(([name]) => name))
}

/**
 * The owners whose records the actor sees, or undefined for all. Only
 * modules with an owner field can be limited to "own" records.
 */
export function visibleOwners(actor: Actor, runtime: ModuleRuntime): { field: string; ids: number[] } | undefined {
  const owner = runtime.definition.ownerField
  if (!owner || !actor.access || permissionOf(actor, runtime.name).visibility === 'all') return undefined

  return { field: owner, ids: actor.access.userIds }
}

/** True when a stored record is visible to the actor. */
export function canSee(actor: Actor, runtime: ModuleRuntime, record: Record<string, unknown>): boolean {
  const scope = visibleOwners(actor, runtime)

  return scope === undefined || scope.ids.includes(record[scope.field] as number)
}

/** Removes the fields the actor may not see, with their relation labels. */
export function redact<T extends Record<string, unknown>>(actor: Actor, runtime: ModuleRuntime, record: T): T {
  const hidden = hiddenFields(actor, runtime)
  if (hidden.size === 0) return record
  const copy: Record<string, unknown> = { ...record }
  const labels = copy._labels ? { ...(copy._labels as Record<string, string>) } : undefined
  for (const name of hidden) {
    delete copy[name]
    if (labels) delete labels[name]
  }
  if (labels) copy._labels = labels

  return copy as T
}

/**
 * Issues for input the actor may not write: hidden or read-only fields, and
 * an owner other than themselves without the right to reassign.
 */
export function checkWritable(actor: Actor, runtime: ModuleRuntime, input: Record<string, unknown>, stored?: Record<string, unknown>): Issue[] {
  const issues: Issue[] = []
  const permission = permissionOf(actor, runtime.name)
  for (const name of Object.keys(input)) {
    const access = permission.fields?.[name]
    if (access === 'hidden' || access === 'read') {
      if (stored && JSON.stringify(stored[name] ?? null) === JSON.stringify(input[name] ?? null)) continue
      const label = runtime.fields.get(name)?.title ?? name
      issues.push({ path: `/${name}`, field: name, code: 'forbidden-field', message: `your role may not change ${label}` })
    }
  }
  const owner = runtime.definition.ownerField
  if (owner && owner in input && !permission.reassign) {
    const value = input[owner]
    const unchanged = stored !== undefined && stored[owner] === value
    if (!unchanged && value !== actor.id && value !== null && value !== undefined) {
      const label = runtime.fields.get(owner)?.title ?? owner
      issues.push({ path: `/${owner}`, field: owner, code: 'forbidden-field', message: `your role may not assign records to someone else (${label})` })
    }
  }

  return issues
}

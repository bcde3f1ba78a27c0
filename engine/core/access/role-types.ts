/** What one role may do in one module; see schemas/role.schema.json. */
export interface ModulePermission {
  view: boolean
  create: boolean
  edit: boolean
  delete: boolean
  import: boolean
  export: boolean
  reassign?: boolean
  visibility: 'all' | 'own'
  fields?: Record<string, FieldAccess>
}

export type FieldAccess = 'write' | 'read' | 'hidden'

export type ModuleAction = 'view' | 'create' | 'edit' | 'delete' | 'import' | 'export'

export interface RoleDefinition {
  name: string
  label: string
  defaults: ModulePermission
  modules?: Record<string, ModulePermission>
}

/**
 * The access of a logged-in user: their role and the users whose records
 * they see under "own" visibility (themselves and everyone below them).
 */
export interface AccessScope {
  role: RoleDefinition
  userIds: number[]
}

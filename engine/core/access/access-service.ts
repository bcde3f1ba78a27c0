import { EngineError } from '../errors.ts'
import type { Database } from '../storage/open-database.ts'
import { checkRoleOrThrow, loadRoles, saveRole } from './role-store.ts'
import type { AccessScope, RoleDefinition } from './role-types.ts'

/** Roles and the access scope of each user. */
export interface AccessService {
  roles(): Promise<RoleDefinition[]>
  /** Creates or replaces a role after checking it against schemas/role.schema.json. */
  saveRole(role: unknown): Promise<RoleDefinition>
  /** The scope of a user record: its role (the `sales` role when unknown) and the users it manages. */
  scopeOf(user: { id: number; role?: unknown }): Promise<AccessScope>
}

const FALLBACK_ROLE = 'sales'

export function createAccessService(db: Database): AccessService {
  let cache: Map<string, RoleDefinition> | undefined
  const roleMap = async () => (cache ??= new Map((await db.read((reader) => loadRoles(reader))).map((role) => [role.name, role])))

  return {
    roles: async () => [...(await roleMap()).values()],

    async saveRole(candidate) {
      const role = checkRoleOrThrow(candidate)
      await db.write((trx) => saveRole(trx, role))
      cache = undefined

      return role
    },

    async scopeOf(user) {
      const roles = await roleMap()
      const role = roles.get(String(user.role)) ?? roles.get(FALLBACK_ROLE)
      if (!role) throw new EngineError('FORBIDDEN', `role "${String(user.role)}" does not exist; ask an admin to set your role`)
      const rows = (await db.read((reader) => reader.selectFrom('users').select(['id', 'manager_id']).where('deleted_at', 'is', null).execute())) as { id: number; manager_id: number | null }[]

      return { role, userIds: managedBy(Number(user.id), rows) }
    },
  }
}

/** A user and everyone below them in the reports-to tree (cycles are harmless). */
function managedBy(userId: number, users: { id: number; manager_id: number | null }[]): number[] {
  const reports = new Map<number, number[]>()
  for (const user of users) {
    if (user.manager_id == null) continue
    const list = reports.get(Number(user.manager_id)) ?? []
    list.push(Number(user.id))
    reports.set(Number(user.manager_id), list)
  }
  const seen = new Set<number>([userId])
  const queue = [userId]
  while (queue.length > 0) {
    for (const report of reports.get(queue.shift()!) ?? []) {
      if (!seen.has(report)) {
        seen.add(report)
        queue.push(report)
      }
    }
  }

  return [...seen]
}

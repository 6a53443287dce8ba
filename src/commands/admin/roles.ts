// Roles: the named sets of permissions an agent can hold in a department (read-only for now).
import type { App } from '../../app.ts'
import type { Actor } from '../../policies/actor.ts'
import { listRoles } from '../../repositories/roleRepo.ts'
import { requireAdmin } from './adminWrites.ts'

export async function roles(app: App, actor: Actor) {
  requireAdmin(actor)
  return listRoles(app.db.read)
}

// Roles: the named sets of permissions an agent holds in a department.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function listRoles(db: Kysely<DB>) {
  return db.selectFrom('roles').select(['id', 'key', 'name', 'permissions']).orderBy('id').execute()
}

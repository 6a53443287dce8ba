// What single sign-on (oidcSignIn.ts) and directory sign-in (ldapSignIn.ts) share once the other side has
// vouched for a person: find them (by their link, then by address), create them when the settings allow,
// apply the group → department/role mapping, and link the identity, in one transaction.
import { z } from 'zod'
import type { App } from '../app.ts'
import { normalizeEmail } from '../domain/emailAddress.ts'
import type { Origin } from '../domain/origin.ts'
import { AppError } from '../errors.ts'
import { existingDepartmentIds } from '../repositories/departmentRepo.ts'
import { listRoles } from '../repositories/roleRepo.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import {
  findIdentity,
  insertExternalUser,
  linkIdentity,
  setManagedMemberships,
} from '../repositories/identityRepo.ts'
import { findUserByEmail, findUserById } from '../repositories/userRepo.ts'
import { id, text } from './fields.ts'

export const GroupMapping = z.object({
  group: text(500).describe(
    'A group name (or DN) as the provider or directory names it; case does not matter',
  ),
  departmentId: id,
  role: text(64).describe('A role key from GET /api/v1/admin/roles, e.g. expanded_access'),
})
export type GroupMapping = z.infer<typeof GroupMapping>

export interface ExternalPerson {
  /** `oidc:<provider id>` or `ldap`. */
  source: string
  subject: string
  email: string
  name: string
  groups: string[]
}

export interface Admission {
  mappings: GroupMapping[]
  /** What a person we do not know yet becomes (an agent only through a mapped group, unless `agent`). */
  unknownPeople: 'refuse' | 'customer' | 'agent'
  allowCustomers: boolean
}

export const signInRefused = (message: string) => new AppError('forbidden', 'sign_in_refused', message)

/** The memberships the person's groups give, the first mapping of a department winning. */
export function mappedMemberships(mappings: GroupMapping[], groups: string[]) {
  const held = new Set(groups.map((g) => g.toLowerCase()))
  const byDepartment = new Map<number, string>()
  for (const m of mappings)
    if (held.has(m.group.toLowerCase()) && !byDepartment.has(m.departmentId))
      byDepartment.set(m.departmentId, m.role)
  return [...byDepartment].map(([departmentId, role]) => ({ departmentId, role }))
}

/** The user id of the person, created or linked as the rules say; refused with 403 `sign_in_refused`. */
export async function admitExternalPerson(
  app: App,
  person: ExternalPerson,
  rules: Admission,
  origin: Origin,
): Promise<number> {
  const address = normalizeEmail(person.email)
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const linked = await findIdentity(trx, person.source, person.subject)
    const user = linked ? await findUserById(trx, linked.user_id) : await findUserByEmail(trx, address)
    const [departments, roles] = await Promise.all([
      existingDepartmentIds(
        trx,
        rules.mappings.map((m) => m.departmentId),
      ),
      listRoles(trx),
    ])
    const roleIds = new Map(roles.map((r) => [r.key, r.id]))
    const managed = [...new Set(rules.mappings.map((m) => m.departmentId))].filter((d) => departments.has(d))
    const wanted = mappedMemberships(rules.mappings, person.groups).flatMap((m) => {
      const roleId = roleIds.get(m.role)
      return departments.has(m.departmentId) && roleId !== undefined
        ? [{ departmentId: m.departmentId, roleId }]
        : []
    })
    let userId: number
    if (user) {
      if (user.is_active !== 1) throw signInRefused('This account is disabled.')
      if (user.type === 'customer' && !rules.allowCustomers)
        throw signInRefused('Customers cannot sign in this way; use the portal sign-in.')
      userId = user.id
      if (user.type === 'agent') await setManagedMemberships(trx, userId, managed, wanted)
    } else {
      const type =
        wanted.length > 0 || rules.unknownPeople === 'agent'
          ? 'agent'
          : rules.unknownPeople === 'customer' && rules.allowCustomers
            ? 'customer'
            : undefined
      if (type === undefined)
        throw signInRefused('There is no account for this address here; ask an admin to create one.')
      const name = person.name.trim() !== '' ? person.name : address.split('@')[0]!
      userId = await insertExternalUser(
        trx,
        { type, name, email: address, primaryDepartmentId: wanted[0]?.departmentId ?? null },
        at,
      )
      if (type === 'agent') await setManagedMemberships(trx, userId, managed, wanted)
      await insertEvents(
        trx,
        [
          {
            ticketId: null,
            actorId: userId,
            type: 'auth.account_created',
            channel: 'web',
            after: { source: person.source, type, departments: wanted.map((w) => w.departmentId) },
            at,
          },
        ],
        origin,
      )
    }
    await linkIdentity(trx, { source: person.source, subject: person.subject, userId }, at)
    return userId
  })
}

// Agents and customers: accounts that sign in. Passwords are hashed before the transaction opens (hashing is
// slow and would hold the writer), and disabling an account or changing its password ends its sessions at once.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { AppError, badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { isSelfDemotion } from '../../policies/adminPolicy.ts'
import { existingDepartmentIds } from '../../repositories/departmentRepo.ts'
import { organizationById } from '../../repositories/organizationRepo.ts'
import {
  customerWithOrganization,
  insertPerson,
  listAgents,
  listCustomers,
  membershipsOf,
  personById,
  replaceMemberships,
  updatePerson,
  userIdByEmail,
} from '../../repositories/peopleRepo.ts'
import { listRoles } from '../../repositories/roleRepo.ts'
import { hashPassword } from '../auth.ts'
import { email, id, nonBlank, text } from '../fields.ts'
import { endOtherAccess } from '../passwords.ts'
import {
  alreadyExists,
  changedFields,
  guardUnique,
  recordAdminEvent,
  requireAdmin,
  type AdminMeta,
} from './adminWrites.ts'

const Password = text(1024, { min: 8 }).describe('At least 8 characters')
const Email = email.transform((e) => e.toLowerCase())
const Membership = z.object({
  departmentId: id,
  role: text(64).describe('A role key from GET /api/v1/admin/roles, e.g. expanded_access'),
})

export const CreateAgent = z.object({
  name: nonBlank(120),
  email: Email,
  password: Password,
  isAdmin: z.boolean().optional(),
  primaryDepartmentId: id.nullable().optional(),
  memberships: z.array(Membership).max(200).default([]),
})
export type CreateAgent = z.infer<typeof CreateAgent>

export const UpdateAgent = z.object({
  name: nonBlank(120).optional(),
  email: Email.optional(),
  password: Password.optional(),
  isAdmin: z.boolean().optional(),
  isActive: z.boolean().optional(),
  primaryDepartmentId: id.nullable().optional(),
  memberships: z.array(Membership).max(200).optional(),
})
export type UpdateAgent = z.infer<typeof UpdateAgent>

export const CreateCustomer = z.object({
  name: nonBlank(120),
  email: Email,
  password: Password.optional(),
  organizationId: id.nullable().optional(),
})
export type CreateCustomer = z.infer<typeof CreateCustomer>

export const UpdateCustomer = z.object({
  name: nonBlank(120).optional(),
  email: Email.optional(),
  password: Password.optional(),
  isActive: z.boolean().optional(),
  organizationId: id.nullable().optional(),
})
export type UpdateCustomer = z.infer<typeof UpdateCustomer>

async function assertEmailFree(trx: Kysely<DB>, address: string, exceptId?: number) {
  const holder = await userIdByEmail(trx, address)
  if (holder !== undefined && holder !== exceptId) throw alreadyExists('user', 'email')
}

async function assertDepartment(trx: Kysely<DB>, departmentId: number | null | undefined) {
  if (departmentId === null || departmentId === undefined) return
  const found = await existingDepartmentIds(trx, [departmentId])
  if (!found.has(departmentId))
    throw badRequest('unknown_department', `No department with id ${departmentId}.`)
}

/** Memberships with role keys resolved to role ids; unknown departments or roles are the caller's mistake. */
async function resolveMemberships(trx: Kysely<DB>, memberships: z.infer<typeof Membership>[]) {
  const departmentIds = memberships.map((m) => m.departmentId)
  if (new Set(departmentIds).size !== departmentIds.length)
    throw badRequest('duplicate_membership', 'Each department may appear once in memberships.')
  const [departments, roles] = await Promise.all([existingDepartmentIds(trx, departmentIds), listRoles(trx)])
  const roleIds = new Map(roles.map((r) => [r.key, r.id]))
  return memberships.map((m) => {
    if (!departments.has(m.departmentId))
      throw badRequest('unknown_department', `No department with id ${m.departmentId}.`)
    const roleId = roleIds.get(m.role)
    if (roleId === undefined) throw badRequest('unknown_role', `No role with key "${m.role}".`)
    return { departmentId: m.departmentId, roleId, role: m.role }
  })
}

async function loadAgent(trx: Kysely<DB>, agentId: number) {
  const agent = await personById(trx, agentId, 'agent')
  if (!agent) throw notFound('agent')
  return { agent, memberships: await membershipsOf(trx, [agentId]) }
}
export type AgentWithMemberships = Awaited<ReturnType<typeof loadAgent>>

const membershipSummary = (ms: { departmentId: number; role: string }[]) =>
  ms
    .map((m) => ({ departmentId: m.departmentId, role: m.role }))
    .sort((a, b) => a.departmentId - b.departmentId)

export async function createAgent(
  app: App,
  actor: Actor,
  input: CreateAgent,
  meta: AdminMeta,
): Promise<AgentWithMemberships> {
  const admin = requireAdmin(actor)
  const passwordHash = await hashPassword(input.password)
  const at = app.clock.now()
  return guardUnique('user', 'email', () =>
    app.db.transact(async (trx) => {
      await assertEmailFree(trx, input.email)
      const memberships = await resolveMemberships(trx, input.memberships)
      await assertDepartment(trx, input.primaryDepartmentId)
      const primary = input.primaryDepartmentId ?? memberships[0]?.departmentId ?? null
      const agentId = await insertPerson(trx, {
        type: 'agent',
        name: input.name,
        email: input.email,
        password_hash: passwordHash,
        is_admin: input.isAdmin ? 1 : 0,
        primary_department_id: primary,
        created_at: at,
      })
      await replaceMemberships(trx, agentId, memberships)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.agent.created',
        meta,
        before: null,
        after: {
          id: agentId,
          name: input.name,
          email: input.email,
          isAdmin: input.isAdmin ?? false,
          primaryDepartmentId: primary,
          memberships: membershipSummary(memberships),
        },
        at,
      })
      return loadAgent(trx, agentId)
    }),
  )
}

const cannotDemoteSelf = () =>
  new AppError(
    'bad_request',
    'cannot_demote_self',
    'You cannot disable your own account or remove your own admin rights.',
  )

export async function updateAgent(
  app: App,
  actor: Actor,
  agentId: number,
  input: UpdateAgent,
  meta: AdminMeta,
): Promise<AgentWithMemberships> {
  const admin = requireAdmin(actor)
  if (isSelfDemotion(admin, agentId, input)) throw cannotDemoteSelf()
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password)
  const at = app.clock.now()
  return guardUnique('user', 'email', () =>
    app.db.transact(async (trx) => {
      const current = await loadAgent(trx, agentId)
      if (input.email !== undefined && input.email !== current.agent.email)
        await assertEmailFree(trx, input.email, agentId)
      const memberships =
        input.memberships === undefined ? undefined : await resolveMemberships(trx, input.memberships)
      await assertDepartment(trx, input.primaryDepartmentId)
      const change = changedFields(
        {
          name: current.agent.name,
          email: current.agent.email,
          isAdmin: current.agent.is_admin === 1,
          isActive: current.agent.is_active === 1,
          primaryDepartmentId: current.agent.primary_department_id,
          memberships: membershipSummary(
            current.memberships.map((m) => ({ departmentId: m.department_id, role: m.role })),
          ),
        },
        {
          name: input.name,
          email: input.email,
          isAdmin: input.isAdmin,
          isActive: input.isActive,
          primaryDepartmentId: input.primaryDepartmentId,
          memberships: memberships && membershipSummary(memberships),
        },
      )
      if (!change && passwordHash === undefined) return current
      await updatePerson(trx, agentId, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.isAdmin !== undefined ? { is_admin: input.isAdmin ? 1 : 0 } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
        ...(input.primaryDepartmentId !== undefined
          ? { primary_department_id: input.primaryDepartmentId }
          : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
      })
      if (memberships !== undefined) await replaceMemberships(trx, agentId, memberships)
      if (input.isActive === false || passwordHash !== undefined) await endOtherAccess(trx, agentId, at)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.agent.updated',
        meta,
        // The password itself, or its hash, is never written to the log; only that it changed.
        before: { id: agentId, ...change?.before },
        after: {
          id: agentId,
          ...change?.after,
          ...(passwordHash !== undefined ? { passwordChanged: true } : {}),
        },
        at,
      })
      return loadAgent(trx, agentId)
    }),
  )
}

async function loadCustomer(trx: Kysely<DB>, customerId: number) {
  const customer = await customerWithOrganization(trx, customerId)
  if (!customer) throw notFound('customer')
  return customer
}

async function assertOrganization(trx: Kysely<DB>, organizationId: number | null | undefined) {
  if (organizationId === null || organizationId === undefined) return
  if (!(await organizationById(trx, organizationId)))
    throw badRequest('unknown_organization', `No organization with id ${organizationId}.`)
}

export async function createCustomer(app: App, actor: Actor, input: CreateCustomer, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password)
  const at = app.clock.now()
  return guardUnique('user', 'email', () =>
    app.db.transact(async (trx) => {
      await assertEmailFree(trx, input.email)
      await assertOrganization(trx, input.organizationId)
      const customerId = await insertPerson(trx, {
        type: 'customer',
        name: input.name,
        email: input.email,
        password_hash: passwordHash,
        organization_id: input.organizationId ?? null,
        created_at: at,
      })
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.customer.created',
        meta,
        before: null,
        after: {
          id: customerId,
          name: input.name,
          email: input.email,
          organizationId: input.organizationId ?? null,
          ...(passwordHash !== null ? { passwordSet: true } : {}),
        },
        at,
      })
      return loadCustomer(trx, customerId)
    }),
  )
}

export async function updateCustomer(
  app: App,
  actor: Actor,
  customerId: number,
  input: UpdateCustomer,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password)
  const at = app.clock.now()
  return guardUnique('user', 'email', () =>
    app.db.transact(async (trx) => {
      const current = await loadCustomer(trx, customerId)
      if (input.email !== undefined && input.email !== current.email)
        await assertEmailFree(trx, input.email, customerId)
      await assertOrganization(trx, input.organizationId)
      const change = changedFields(
        {
          name: current.name,
          email: current.email,
          isActive: current.is_active === 1,
          organizationId: current.organization_id,
        },
        {
          name: input.name,
          email: input.email,
          isActive: input.isActive,
          organizationId: input.organizationId,
        },
      )
      if (!change && passwordHash === undefined) return current
      await updatePerson(trx, customerId, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
        ...(input.organizationId !== undefined ? { organization_id: input.organizationId } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
      })
      if (input.isActive === false || passwordHash !== undefined) await endOtherAccess(trx, customerId, at)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.customer.updated',
        meta,
        before: { id: customerId, ...change?.before },
        after: {
          id: customerId,
          ...change?.after,
          ...(passwordHash !== undefined ? { passwordChanged: true } : {}),
        },
        at,
      })
      return loadCustomer(trx, customerId)
    }),
  )
}

export const AgentAvailabilityIn = z.object({ onVacation: z.boolean() })
export type AgentAvailabilityIn = z.infer<typeof AgentAvailabilityIn>

/** Puts an agent on vacation (skipped by auto-assignment) or back. */
export async function setAgentAvailability(
  app: App,
  actor: Actor,
  agentId: number,
  input: AgentAvailabilityIn,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  await app.db.transact(async (trx) => {
    if (!(await personById(trx, agentId, 'agent'))) throw notFound('agent')
    await updatePerson(trx, agentId, { on_vacation: input.onVacation ? 1 : 0 })
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.agent_availability_updated',
      meta,
      before: null,
      after: { id: agentId, ...input },
      at: app.clock.now(),
    })
  })
  return { id: agentId, onVacation: input.onVacation }
}

/** Every agent with their department roles: two queries, whatever the number of agents. */
export async function agents(app: App, actor: Actor): Promise<AgentWithMemberships[]> {
  requireAdmin(actor)
  const all = await listAgents(app.db.read)
  const memberships = await membershipsOf(
    app.db.read,
    all.map((a) => a.id),
  )
  const byAgent = new Map<number, typeof memberships>()
  for (const m of memberships) byAgent.set(m.agent_id, [...(byAgent.get(m.agent_id) ?? []), m])
  return all.map((agent) => ({ agent, memberships: byAgent.get(agent.id) ?? [] }))
}

export const ListCustomers = z.object({
  q: text(100, { min: 0 }).optional().describe('Matches the start of the name or email'),
  cursor: text(600).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type ListCustomers = z.infer<typeof ListCustomers>

const Cursor = z.tuple([z.string(), z.number().int()])

function decodeCursor(cursor: string): { name: string; id: number } {
  try {
    const [name, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    return { name, id }
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this server gave out; start again without it.')
  }
}

/** One page of customers by name, with the cursor of the next page (null on the last). */
export async function customerPage(app: App, actor: Actor, input: ListCustomers) {
  requireAdmin(actor)
  const rows = await listCustomers(app.db.read, {
    q: input.q,
    after: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
    limit: input.limit + 1,
  })
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > input.limit && last
      ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url')
      : null
  return { rows: page, nextCursor }
}

// The admin console's API. Every route is policy 'admin'; the commands check it again.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import {
  CreateDepartment,
  createDepartment,
  UpdateDepartment,
  updateDepartment,
} from '../commands/admin/departments.ts'
import {
  CreateOrganization,
  createOrganization,
  UpdateOrganization,
  updateOrganization,
} from '../commands/admin/organizations.ts'
import {
  CreateAgent,
  createAgent,
  CreateCustomer,
  createCustomer,
  UpdateAgent,
  updateAgent,
  UpdateCustomer,
  updateCustomer,
} from '../commands/admin/people.ts'
import { CreateTeam, createTeam, UpdateTeam, updateTeam } from '../commands/admin/teams.ts'
import { id } from '../commands/fields.ts'
import {
  AgentOut,
  CustomerOut,
  DepartmentOut,
  OrganizationOut,
  presentAgent,
  presentCustomer,
  presentDepartment,
  presentOrganization,
  presentRole,
  presentTeam,
  RoleOut,
  TeamOut,
} from '../presenters/adminPresenter.ts'
import {
  agentsWithMemberships,
  customerPage,
  ListCustomers,
  teamsWithMembers,
} from '../queries/adminQueries.ts'
import { listAllDepartments, listOrganizations, listRoles } from '../repositories/adminRepo.ts'
import { ErrorOut, requireActor } from './http.ts'

const IdParams = z.object({ id: z.coerce.number().pipe(id) })
const readErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut }
const writeErrors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut }
const admin = { policy: 'admin' } as const
const tags = ['admin']

export function adminRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  // ---- departments
  r.get(
    '/api/v1/admin/departments',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All departments, active or not',
        response: { 200: z.object({ items: z.array(DepartmentOut) }), ...readErrors },
      },
    },
    async () => ({ items: (await listAllDepartments(app.db.read)).map(presentDepartment) }),
  )
  r.post(
    '/api/v1/admin/departments',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a department',
        description:
          'A name in use answers 409 `already_exists`; an unknown parentId 400 `unknown_department`.',
        body: CreateDepartment,
        response: { 201: z.object({ department: DepartmentOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const row = await createDepartment(app, requireActor(req), req.body, { channel: req.channel })
      return reply.code(201).send({ department: presentDepartment(row) })
    },
  )
  r.patch(
    '/api/v1/admin/departments/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rename, move or disable a department',
        description:
          'A parent that would make a loop answers 400 `parent_cycle`. A disabled department takes no new tickets ' +
          'or transfers; its agents keep seeing the tickets already in it.',
        params: IdParams,
        body: UpdateDepartment,
        response: { 200: z.object({ department: DepartmentOut }), ...writeErrors },
      },
    },
    async (req) => {
      const row = await updateDepartment(app, requireActor(req), req.params.id, req.body, {
        channel: req.channel,
      })
      return { department: presentDepartment(row) }
    },
  )

  // ---- teams
  r.get(
    '/api/v1/admin/teams',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All teams with their members',
        response: { 200: z.object({ items: z.array(TeamOut) }), ...readErrors },
      },
    },
    async () => ({ items: (await teamsWithMembers(app)).map((t) => presentTeam(t.team, t.members)) }),
  )
  r.post(
    '/api/v1/admin/teams',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a team',
        description: '`memberIds` must be agents (400 `unknown_agent` otherwise).',
        body: CreateTeam,
        response: { 201: z.object({ team: TeamOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const t = await createTeam(app, requireActor(req), req.body, { channel: req.channel })
      return reply.code(201).send({ team: presentTeam(t.team, t.members) })
    },
  )
  r.patch(
    '/api/v1/admin/teams/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rename, disable or change the members of a team',
        description: '`memberIds` replaces the whole member list.',
        params: IdParams,
        body: UpdateTeam,
        response: { 200: z.object({ team: TeamOut }), ...writeErrors },
      },
    },
    async (req) => {
      const t = await updateTeam(app, requireActor(req), req.params.id, req.body, { channel: req.channel })
      return { team: presentTeam(t.team, t.members) }
    },
  )

  // ---- agents
  r.get(
    '/api/v1/admin/agents',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All agents with their department roles',
        response: { 200: z.object({ items: z.array(AgentOut) }), ...readErrors },
      },
    },
    async () => ({
      items: (await agentsWithMemberships(app)).map((a) => presentAgent(a.agent, a.memberships)),
    }),
  )
  r.post(
    '/api/v1/admin/agents',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an agent',
        description:
          'Each membership gives a role in one department. An email in use (by an agent or a customer) answers ' +
          '409 `already_exists`; an unknown department 400 `unknown_department`, an unknown role 400 `unknown_role`. ' +
          'Without primaryDepartmentId, the first membership is primary.',
        body: CreateAgent,
        response: { 201: z.object({ agent: AgentOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const a = await createAgent(app, requireActor(req), req.body, { channel: req.channel })
      return reply.code(201).send({ agent: presentAgent(a.agent, a.memberships) })
    },
  )
  r.patch(
    '/api/v1/admin/agents/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change, disable or promote an agent',
        description:
          "`memberships` replaces all of the agent's department roles. Disabling the agent or changing their " +
          'password ends all of their sessions and tokens at once. Admins cannot disable or demote themselves ' +
          '(400 `cannot_demote_self`).',
        params: IdParams,
        body: UpdateAgent,
        response: { 200: z.object({ agent: AgentOut }), ...writeErrors },
      },
    },
    async (req) => {
      const a = await updateAgent(app, requireActor(req), req.params.id, req.body, { channel: req.channel })
      return { agent: presentAgent(a.agent, a.memberships) }
    },
  )

  // ---- customers
  r.get(
    '/api/v1/admin/customers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Customers by name, keyset-paginated',
        description:
          '`q` matches the start of a name or email. Pass `nextCursor` back as `cursor` for the next page.',
        querystring: ListCustomers,
        response: {
          200: z.object({ items: z.array(CustomerOut), nextCursor: z.string().nullable() }),
          ...readErrors,
        },
      },
    },
    async (req) => {
      const { rows, nextCursor } = await customerPage(app, req.query)
      return { items: rows.map(presentCustomer), nextCursor }
    },
  )
  r.post(
    '/api/v1/admin/customers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a customer',
        description:
          'Without a password the customer cannot sign in to the portal yet. An unknown organizationId answers ' +
          '400 `unknown_organization`.',
        body: CreateCustomer,
        response: { 201: z.object({ customer: CustomerOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const c = await createCustomer(app, requireActor(req), req.body, { channel: req.channel })
      return reply.code(201).send({ customer: presentCustomer(c) })
    },
  )
  r.patch(
    '/api/v1/admin/customers/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change or disable a customer',
        description:
          '`organizationId: null` removes the customer from their organisation. Disabling the customer or changing ' +
          'their password ends all of their sessions.',
        params: IdParams,
        body: UpdateCustomer,
        response: { 200: z.object({ customer: CustomerOut }), ...writeErrors },
      },
    },
    async (req) => {
      const c = await updateCustomer(app, requireActor(req), req.params.id, req.body, {
        channel: req.channel,
      })
      return { customer: presentCustomer(c) }
    },
  )

  // ---- organisations
  r.get(
    '/api/v1/admin/organizations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'All organisations with their number of customers',
        response: { 200: z.object({ items: z.array(OrganizationOut) }), ...readErrors },
      },
    },
    async () => ({ items: (await listOrganizations(app.db.read)).map(presentOrganization) }),
  )
  r.post(
    '/api/v1/admin/organizations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an organisation',
        body: CreateOrganization,
        response: { 201: z.object({ organization: OrganizationOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const o = await createOrganization(app, requireActor(req), req.body, { channel: req.channel })
      return reply.code(201).send({ organization: presentOrganization(o) })
    },
  )
  r.patch(
    '/api/v1/admin/organizations/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rename or disable an organisation',
        params: IdParams,
        body: UpdateOrganization,
        response: { 200: z.object({ organization: OrganizationOut }), ...writeErrors },
      },
    },
    async (req) => {
      const o = await updateOrganization(app, requireActor(req), req.params.id, req.body, {
        channel: req.channel,
      })
      return { organization: presentOrganization(o) }
    },
  )

  // ---- roles
  r.get(
    '/api/v1/admin/roles',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Roles an agent can hold in a department',
        response: { 200: z.object({ items: z.array(RoleOut) }), ...readErrors },
      },
    },
    async () => ({ items: (await listRoles(app.db.read)).map(presentRole) }),
  )
}

// Agents and customers: the accounts that sign in.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  AgentAvailabilityIn,
  agents,
  CreateAgent,
  createAgent,
  CreateCustomer,
  createCustomer,
  customerPage,
  ListCustomers,
  setAgentAvailability,
  UpdateAgent,
  updateAgent,
  UpdateCustomer,
  updateCustomer,
} from '../../commands/admin/people.ts'
import { AgentOut, CustomerOut, presentAgent, presentCustomer } from '../../presenters/peoplePresenter.ts'
import { requireActor } from '../http.ts'
import {
  adminOnly,
  ADMIN_TAGS as tags,
  AUTOMATION_TAGS,
  IdParams,
  Items,
  metaOf,
  readErrors,
  writeErrors,
} from './adminRoute.ts'

export function peopleRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  // ---- agents
  r.get(
    '/api/v1/admin/agents',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'All agents with their department roles',
        response: { 200: Items(AgentOut), ...readErrors },
      },
    },
    async (req) => ({
      items: (await agents(app, requireActor(req))).map((a) => presentAgent(a.agent, a.memberships)),
    }),
  )
  r.post(
    '/api/v1/admin/agents',
    {
      config: adminOnly,
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
      const a = await createAgent(app, requireActor(req), req.body, metaOf(req))
      return reply.code(201).send({ agent: presentAgent(a.agent, a.memberships) })
    },
  )
  r.patch(
    '/api/v1/admin/agents/:id',
    {
      config: adminOnly,
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
      const a = await updateAgent(app, requireActor(req), req.params.id, req.body, metaOf(req))
      return { agent: presentAgent(a.agent, a.memberships) }
    },
  )
  r.patch(
    '/api/v1/admin/agents/:id/availability',
    {
      config: adminOnly,
      schema: {
        tags: AUTOMATION_TAGS,
        summary: 'Put an agent on vacation or back',
        params: IdParams,
        body: AgentAvailabilityIn,
        response: { 200: z.object({ id: z.number(), onVacation: z.boolean() }), ...writeErrors },
      },
    },
    async (req) => setAgentAvailability(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )

  // ---- customers
  r.get(
    '/api/v1/admin/customers',
    {
      config: adminOnly,
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
      const { rows, nextCursor } = await customerPage(app, requireActor(req), req.query)
      return { items: rows.map(presentCustomer), nextCursor }
    },
  )
  r.post(
    '/api/v1/admin/customers',
    {
      config: adminOnly,
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
      const c = await createCustomer(app, requireActor(req), req.body, metaOf(req))
      return reply.code(201).send({ customer: presentCustomer(c) })
    },
  )
  r.patch(
    '/api/v1/admin/customers/:id',
    {
      config: adminOnly,
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
      const c = await updateCustomer(app, requireActor(req), req.params.id, req.body, metaOf(req))
      return { customer: presentCustomer(c) }
    },
  )
}

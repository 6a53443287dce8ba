import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../app.ts'
import { text } from '../commands/fields.ts'
import { STATUS_CATEGORIES } from '../domain/tickets.ts'
import {
  agentDirectory,
  customerDirectory,
  departmentDirectory,
  teamDirectory,
} from '../queries/directoryQueries.ts'
import { ErrorOut } from './http.ts'

export function directoryRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/departments',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['directory'],
        summary: 'Departments',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.number(), name: z.string(), parentId: z.number().nullable() })),
          }),
          401: ErrorOut,
          403: ErrorOut,
        },
      },
    },
    async () => {
      const rows = await departmentDirectory(app)
      return { items: rows.map((d) => ({ id: d.id, name: d.name, parentId: d.parent_id })) }
    },
  )

  r.get(
    '/api/v1/agents',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['directory'],
        summary: 'Agents, for assignment',
        description: '`q` matches the start of a name or email.',
        querystring: z.object({ q: text(100, { min: 0 }).optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                name: z.string(),
                email: z.string(),
                departments: z.array(z.object({ id: z.number(), name: z.string(), role: z.string() })),
              }),
            ),
          }),
          400: ErrorOut,
          401: ErrorOut,
          403: ErrorOut,
        },
      },
    },
    async (req) => {
      const agents = await agentDirectory(app, req.query.q)
      return {
        items: agents.map((a) => ({
          id: a.id,
          name: a.name,
          email: a.email,
          departments: a.departments.map((d) => ({ id: d.id, name: d.name, role: d.role })),
        })),
      }
    },
  )

  r.get(
    '/api/v1/teams',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['directory'],
        summary: 'Teams, for assignment',
        response: {
          200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string() })) }),
          401: ErrorOut,
          403: ErrorOut,
        },
      },
    },
    async () => ({ items: await teamDirectory(app) }),
  )

  r.get(
    '/api/v1/customers',
    {
      config: { policy: 'agent' },
      schema: {
        tags: ['directory'],
        summary: 'Customers, to open a ticket on their behalf',
        description:
          '`q` (at least 2 characters) matches the start of a name or email; at most 20, by name. Agents only.',
        querystring: z.object({ q: text(100, { min: 2 }) }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                name: z.string(),
                email: z.string(),
                organization: z.object({ id: z.number(), name: z.string() }).nullable(),
              }),
            ),
          }),
          400: ErrorOut,
          401: ErrorOut,
          403: ErrorOut,
        },
      },
    },
    async (req) => ({
      items: (await customerDirectory(app, req.query.q)).map((c) => ({
        id: c.id,
        name: c.name,
        email: c.email,
        organization:
          c.organization_id === null ? null : { id: c.organization_id, name: c.organization_name ?? '' },
      })),
    }),
  )

  r.get(
    '/api/v1/statuses',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['directory'],
        summary: 'Ticket statuses and their categories',
        description:
          'In workflow order: by category (open, pending, on hold, resolved, closed), then position.',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                name: z.string(),
                category: z.enum(STATUS_CATEGORIES),
                position: z.number(),
              }),
            ),
          }),
          401: ErrorOut,
        },
      },
    },
    async () => ({ items: app.statuses.all() }),
  )
}

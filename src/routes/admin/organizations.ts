import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  CreateOrganization,
  createOrganization,
  organizations,
  UpdateOrganization,
  updateOrganization,
} from '../../commands/admin/organizations.ts'
import { OrganizationOut, presentOrganization } from '../../presenters/organizationPresenter.ts'
import { requireActor } from '../http.ts'
import {
  adminOnly,
  ADMIN_TAGS as tags,
  IdParams,
  Items,
  metaOf,
  readErrors,
  writeErrors,
} from './adminRoute.ts'

export function organizationRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/organizations',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'All organisations with their number of customers',
        response: { 200: Items(OrganizationOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await organizations(app, requireActor(req))).map(presentOrganization) }),
  )
  r.post(
    '/api/v1/admin/organizations',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create an organisation',
        body: CreateOrganization,
        response: { 201: z.object({ organization: OrganizationOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const o = await createOrganization(app, requireActor(req), req.body, metaOf(req))
      return reply.code(201).send({ organization: presentOrganization(o) })
    },
  )
  r.patch(
    '/api/v1/admin/organizations/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Rename or disable an organisation',
        params: IdParams,
        body: UpdateOrganization,
        response: { 200: z.object({ organization: OrganizationOut }), ...writeErrors },
      },
    },
    async (req) => {
      const o = await updateOrganization(app, requireActor(req), req.params.id, req.body, metaOf(req))
      return { organization: presentOrganization(o) }
    },
  )
}

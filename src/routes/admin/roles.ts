import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import { roles } from '../../commands/admin/roles.ts'
import { presentRole, RoleOut } from '../../presenters/rolePresenter.ts'
import { requireActor } from '../http.ts'
import { adminOnly, ADMIN_TAGS as tags, Items, readErrors } from './adminRoute.ts'

export function roleRoutes(server: FastifyInstance, app: App): void {
  server.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/admin/roles',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Roles an agent can hold in a department',
        response: { 200: Items(RoleOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await roles(app, requireActor(req))).map(presentRole) }),
  )
}

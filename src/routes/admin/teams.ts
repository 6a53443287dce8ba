import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { CreateTeam, createTeam, teams, UpdateTeam, updateTeam } from '../../commands/admin/teams.ts'
import { presentTeam, TeamOut } from '../../presenters/teamPresenter.ts'
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

export function teamRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/teams',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'All teams with their members',
        response: { 200: Items(TeamOut), ...readErrors },
      },
    },
    async (req) => ({
      items: (await teams(app, requireActor(req))).map((t) => presentTeam(t.team, t.members)),
    }),
  )
  r.post(
    '/api/v1/admin/teams',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a team',
        description: '`memberIds` must be agents (400 `unknown_agent` otherwise).',
        body: CreateTeam,
        response: { 201: z.object({ team: TeamOut }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const t = await createTeam(app, requireActor(req), req.body, metaOf(req))
      return reply.code(201).send({ team: presentTeam(t.team, t.members) })
    },
  )
  r.patch(
    '/api/v1/admin/teams/:id',
    {
      config: adminOnly,
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
      const t = await updateTeam(app, requireActor(req), req.params.id, req.body, metaOf(req))
      return { team: presentTeam(t.team, t.members) }
    },
  )
}

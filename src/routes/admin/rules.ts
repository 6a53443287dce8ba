import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { deleteRule, RuleIn, rules, saveRule } from '../../commands/admin/rules.ts'
import { patchOf } from '../../commands/fields.ts'
import { presentRule, RuleOut } from '../../presenters/rulePresenter.ts'
import { requireActor } from '../http.ts'
import {
  adminOnly,
  IdParams,
  Items,
  metaOf,
  readErrors,
  AUTOMATION_TAGS as tags,
  writeErrors,
} from './adminRoute.ts'

export function ruleRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/rules',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Rules, in the order they run',
        response: { 200: Items(RuleOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await rules(app, requireActor(req))).map(presentRule) }),
  )
  r.post(
    '/api/v1/admin/rules',
    {
      config: adminOnly,
      schema: { tags, summary: 'Create a rule', body: RuleIn, response: { 201: RuleOut, ...writeErrors } },
    },
    async (req, reply) =>
      reply.code(201).send(await saveRule(app, requireActor(req), null, req.body, metaOf(req))),
  )
  r.patch(
    '/api/v1/admin/rules/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a rule',
        params: IdParams,
        body: patchOf(RuleIn),
        response: { 200: RuleOut, ...writeErrors },
      },
    },
    async (req) => saveRule(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )
  r.delete(
    '/api/v1/admin/rules/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Delete a rule',
        params: IdParams,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (req, reply) => {
      await deleteRule(app, requireActor(req), req.params.id, metaOf(req))
      return reply.code(204).send(null)
    },
  )
}

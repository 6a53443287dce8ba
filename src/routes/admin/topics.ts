import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import { saveTopic, TopicIn, topics } from '../../commands/admin/topics.ts'
import { patchOf } from '../../commands/fields.ts'
import { presentTopic, TopicOut } from '../../presenters/topicPresenter.ts'
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

export function topicRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/topics',
    {
      config: adminOnly,
      schema: { tags, summary: 'All help topics', response: { 200: Items(TopicOut), ...readErrors } },
    },
    async (req) => ({ items: (await topics(app, requireActor(req))).map(presentTopic) }),
  )
  r.post(
    '/api/v1/admin/topics',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a help topic',
        body: TopicIn,
        response: { 201: TopicOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await saveTopic(app, requireActor(req), null, req.body, metaOf(req))),
  )
  r.patch(
    '/api/v1/admin/topics/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a help topic',
        params: IdParams,
        body: patchOf(TopicIn),
        response: { 200: TopicOut, ...writeErrors },
      },
    },
    async (req) => saveTopic(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )
}

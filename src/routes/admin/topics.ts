import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { saveTopic, TopicIn, topics } from '../../commands/admin/topics.ts'
import { presentTopic, TopicOut } from '../../presenters/topicPresenter.ts'
import { AUTOMATION_TAGS, resourceRoutes } from './adminRoute.ts'

export function topicRoutes(server: FastifyInstance, app: App): void {
  resourceRoutes(server, {
    path: '/api/v1/admin/topics',
    tags: AUTOMATION_TAGS,
    In: TopicIn,
    Out: TopicOut,
    summaries: { list: 'All help topics', create: 'Create a help topic', update: 'Change a help topic' },
    list: (actor) => topics(app, actor),
    present: presentTopic,
    save: (actor, id, input, meta) => saveTopic(app, actor, id, input, meta),
  })
}

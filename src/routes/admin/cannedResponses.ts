import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { CannedIn, cannedResponses, deleteCanned, saveCanned } from '../../commands/admin/cannedResponses.ts'
import { CannedResponseOut, presentCannedResponse } from '../../presenters/cannedResponsePresenter.ts'
import { AUTOMATION_TAGS, resourceRoutes } from './adminRoute.ts'

export function cannedResponseRoutes(server: FastifyInstance, app: App): void {
  resourceRoutes(server, {
    path: '/api/v1/admin/canned-responses',
    tags: AUTOMATION_TAGS,
    In: CannedIn,
    Out: CannedResponseOut,
    summaries: {
      list: 'All canned responses',
      create: 'Create a canned response',
      update: 'Change a canned response',
      remove: 'Delete a canned response',
    },
    list: (actor) => cannedResponses(app, actor),
    present: presentCannedResponse,
    save: (actor, id, input, meta) => saveCanned(app, actor, id, input, meta),
    remove: (actor, id, meta) => deleteCanned(app, actor, id, meta),
  })
}

import type { FastifyInstance } from 'fastify'
import type { App } from '../../app.ts'
import { CustomFieldIn, customFields, saveCustomField } from '../../commands/admin/customFields.ts'
import { CustomFieldOut, presentCustomField } from '../../presenters/customFieldPresenter.ts'
import { AUTOMATION_TAGS, resourceRoutes } from './adminRoute.ts'

export function customFieldRoutes(server: FastifyInstance, app: App): void {
  resourceRoutes(server, {
    path: '/api/v1/admin/custom-fields',
    tags: AUTOMATION_TAGS,
    In: CustomFieldIn,
    Out: CustomFieldOut,
    summaries: {
      list: 'Custom ticket fields',
      create: 'Create a custom field',
      update: 'Change a custom field',
    },
    list: (actor) => customFields(app, actor),
    present: presentCustomField,
    save: (actor, id, input, meta) => saveCustomField(app, actor, id, input, meta),
  })
}

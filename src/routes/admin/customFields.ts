import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import { CustomFieldIn, customFields, saveCustomField } from '../../commands/admin/customFields.ts'
import { patchOf } from '../../commands/fields.ts'
import { CustomFieldOut, presentCustomField } from '../../presenters/customFieldPresenter.ts'
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

export function customFieldRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/custom-fields',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Custom ticket fields',
        response: { 200: Items(CustomFieldOut), ...readErrors },
      },
    },
    async (req) => ({ items: (await customFields(app, requireActor(req))).map(presentCustomField) }),
  )
  r.post(
    '/api/v1/admin/custom-fields',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a custom field',
        body: CustomFieldIn,
        response: { 201: CustomFieldOut, ...writeErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await saveCustomField(app, requireActor(req), null, req.body, metaOf(req))),
  )
  r.patch(
    '/api/v1/admin/custom-fields/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a custom field',
        params: IdParams,
        body: patchOf(CustomFieldIn),
        response: { 200: CustomFieldOut, ...writeErrors },
      },
    },
    async (req) => saveCustomField(app, requireActor(req), req.params.id, req.body, metaOf(req)),
  )
}

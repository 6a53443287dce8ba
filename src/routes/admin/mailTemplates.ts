// Outgoing mail templates: list with their variables, edit, reset to the default, preview with sample data.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { App } from '../../app.ts'
import {
  previewTemplate,
  resetTemplate,
  saveTemplate,
  TemplateIn,
} from '../../commands/admin/mailTemplates.ts'
import { TEMPLATE_KEYS, TEMPLATE_VARIABLES, loadTemplate } from '../../mail/templates.ts'
import { ErrorOut, requireActor } from '../http.ts'

const tags = ['mail']
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }
const config = { policy: 'admin' as const }
const KeyParams = z.object({ key: z.enum(TEMPLATE_KEYS) })
const TemplateOut = z.object({ key: z.string(), subject: z.string(), body: z.string(), custom: z.boolean() })

export function mailTemplateRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/v1/admin/mail-templates',
    {
      config,
      schema: {
        tags,
        summary: 'Outgoing mail templates and their variables',
        response: {
          200: z.object({ items: z.array(TemplateOut), variables: z.array(z.string()) }),
          ...errors,
        },
      },
    },
    async () => ({
      items: await Promise.all(
        TEMPLATE_KEYS.map(async (key) => ({ key, ...(await loadTemplate(app.db.read, key)) })),
      ),
      variables: [...TEMPLATE_VARIABLES],
    }),
  )
  r.put(
    '/api/v1/admin/mail-templates/:key',
    {
      config,
      schema: {
        tags,
        summary: 'Edit a template (variables: {{ticket.number}}, {{recipient.name}}, …)',
        params: KeyParams,
        body: TemplateIn,
        response: { 200: TemplateOut, ...errors },
      },
    },
    async (req) => {
      await saveTemplate(app, requireActor(req), req.params.key, req.body, { channel: req.channel })
      return { key: req.params.key, ...req.body, custom: true }
    },
  )
  r.delete(
    '/api/v1/admin/mail-templates/:key',
    {
      config,
      schema: {
        tags,
        summary: 'Go back to the default template',
        params: KeyParams,
        response: { 200: TemplateOut, ...errors },
      },
    },
    async (req) => {
      await resetTemplate(app, requireActor(req), req.params.key, { channel: req.channel })
      return { key: req.params.key, ...(await loadTemplate(app.db.read, req.params.key)) }
    },
  )
  r.post(
    '/api/v1/admin/mail-templates/:key/preview',
    {
      config,
      schema: {
        tags,
        summary: 'The template as it would be sent, filled with sample data (nothing is saved or sent)',
        params: KeyParams,
        body: TemplateIn,
        response: {
          200: z.object({
            subject: z.string(),
            text: z.string(),
            html: z.string().describe('The HTML part; show it in a sandboxed frame'),
          }),
          ...errors,
        },
      },
    },
    async (req) => previewTemplate(app, requireActor(req), req.body),
  )
}

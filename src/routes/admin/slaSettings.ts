import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../../app.ts'
import { saveSlaSettings, slaSettings, SlaSettingsIn } from '../../commands/admin/slaSettings.ts'
import { SlaSettingsOut } from '../../presenters/slaSettingsPresenter.ts'
import { requireActor } from '../http.ts'
import { adminOnly, metaOf, readErrors, AUTOMATION_TAGS as tags, writeErrors } from './adminRoute.ts'

export function slaSettingsRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/api/v1/admin/sla-settings',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Auto-close days and the default SLA plan',
        response: { 200: SlaSettingsOut, ...readErrors },
      },
    },
    async (req) => slaSettings(app, requireActor(req)),
  )
  r.put(
    '/api/v1/admin/sla-settings',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change auto-close days or the default plan',
        body: SlaSettingsIn,
        response: { 200: SlaSettingsOut, ...writeErrors },
      },
    },
    async (req) => saveSlaSettings(app, requireActor(req), req.body, metaOf(req)),
  )
}

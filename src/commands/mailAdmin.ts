// Admin settings of the email channel: templates, intake addresses, and each agent's alert
// switches. Each change is one transaction with its event, like every other admin change.
import { z } from 'zod'
import type { App } from '../app.ts'
import { badRequest } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import { findDepartment } from '../repositories/directoryRepo.ts'
import { findIntakeAddress, upsertIntakeAddress } from '../repositories/intakeAddressRepo.ts'
import { insertEvents } from '../repositories/eventRepo.ts'
import { TEMPLATE_VARIABLES, type TemplateKey } from '../mail/templates.ts'
import { AGENT_ALERTS } from '../mail/ticketMail.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './admin/adminWrites.ts'
import { email, id, text } from './fields.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export const TemplateIn = z.object({ subject: text(255), body: text(50_000) })
/** An RFC 8601 authserv-id: in practice the receiving MTA's host name. */
const AuthservId = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})$/, {
    message: 'must be an authserv-id such as mx.example.com',
  })
  .transform((v) => v.toLowerCase())
export const IntakeAddressIn = z.object({
  departmentId: id,
  trustedAuthservIds: z
    .array(AuthservId)
    .max(10)
    .default([])
    .describe(
      'Authserv-ids (the receiving MTA’s name in its Authentication-Results header) whose SPF/DKIM/DMARC ' +
        'verdict we believe for mail delivered to this address. Only list an MTA that deletes such headers ' +
        'arriving from outside (RFC 8601 §5). Empty: no Authentication-Results header is believed.',
    ),
})
export const IntakeAddressParams = z.object({ address: email })
export const AlertsIn = z.object(
  Object.fromEntries(AGENT_ALERTS.map((a) => [a, z.boolean()])) as Record<
    (typeof AGENT_ALERTS)[number],
    z.ZodBoolean
  >,
)

async function requireDepartment(trx: Kysely<DB>, departmentId: number): Promise<void> {
  const d = await findDepartment(trx, departmentId)
  if (!d) throw badRequest('unknown_department', 'That department does not exist.')
}

export async function saveTemplate(
  app: App,
  actor: Actor,
  key: TemplateKey,
  input: z.infer<typeof TemplateIn>,
  meta: AdminMeta,
): Promise<void> {
  const admin = requireAdmin(actor)
  const unknown = [...`${input.subject} ${input.body}`.matchAll(/\{\{\s*([a-z.]+)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v))
  if (unknown.length > 0) throw badRequest('unknown_variable', `Unknown template variable: ${unknown[0]}`)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    await trx
      .insertInto('mail_templates')
      .values({ key, ...input, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ ...input, updated_at: at }))
      .execute()
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.mail_template.updated',
      meta,
      before: null,
      after: { key },
      at,
    })
  })
}

export async function setIntakeAddress(
  app: App,
  actor: Actor,
  rawAddress: string,
  input: z.infer<typeof IntakeAddressIn>,
  meta: AdminMeta,
): Promise<void> {
  const admin = requireAdmin(actor)
  const address = rawAddress.toLowerCase()
  const at = app.clock.now()
  const trusted = JSON.stringify([...new Set(input.trustedAuthservIds)])
  await app.db.transact(async (trx) => {
    await requireDepartment(trx, input.departmentId)
    const before = await findIntakeAddress(trx, address)
    await upsertIntakeAddress(trx, {
      address,
      department_id: input.departmentId,
      trusted_authserv_ids: trusted,
      created_at: at,
    })
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.intake_address.set',
      meta,
      before: before
        ? {
            departmentId: before.departmentId,
            trustedAuthservIds: before.trustedAuthservIds,
          }
        : null,
      after: {
        address,
        departmentId: input.departmentId,
        trustedAuthservIds: JSON.parse(trusted) as string[],
      },
      at,
    })
  })
}

export async function setMailAlerts(
  app: App,
  agent: AgentActor,
  input: Partial<z.infer<typeof AlertsIn>>,
  meta: AdminMeta,
): Promise<void> {
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const changed: Record<string, boolean> = {}
    for (const [alert, on] of Object.entries(input)) {
      if (on === undefined) continue
      changed[alert] = on
      await trx
        .insertInto('agent_mail_alerts')
        .values({ agent_id: agent.id, alert, enabled: on ? 1 : 0 })
        .onConflict((oc) => oc.columns(['agent_id', 'alert']).doUpdateSet({ enabled: on ? 1 : 0 }))
        .execute()
    }
    if (Object.keys(changed).length === 0) return
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: agent.id,
          type: 'account.mail_alerts_changed',
          channel: meta.channel,
          after: changed,
          at,
        },
      ],
      agent.origin,
    )
  })
}

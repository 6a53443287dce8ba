// The addresses we accept mail for, each into one department, with whose Authentication-Results to believe.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { findDepartment } from '../../repositories/directoryRepo.ts'
import {
  deleteIntakeAddress as deleteRow,
  findIntakeAddress,
  upsertIntakeAddress,
} from '../../repositories/intakeAddressRepo.ts'
import { email, id } from '../fields.ts'
import { recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

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

async function requireDepartment(trx: Kysely<DB>, departmentId: number): Promise<void> {
  if (!(await findDepartment(trx, departmentId)))
    throw badRequest('unknown_department', 'That department does not exist.')
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
        ? { departmentId: before.departmentId, trustedAuthservIds: before.trustedAuthservIds }
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

/** Forgets the address: mail to it then goes where mail to an unlisted address goes (the default department). */
export async function deleteIntakeAddress(app: App, actor: Actor, rawAddress: string, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const address = rawAddress.toLowerCase()
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const before = await findIntakeAddress(trx, address)
    if (!before || !(await deleteRow(trx, address))) throw notFound('intake address')
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.intake_address.deleted',
      meta,
      before: { address, departmentId: before.departmentId, trustedAuthservIds: before.trustedAuthservIds },
      after: null,
      at,
    })
  })
}

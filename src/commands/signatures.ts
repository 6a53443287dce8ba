// Agent signatures (issue 11): a personal one, and optionally one per department (set by admins on the
// department), added under public replies, never under internal notes. Stored in the reply's body, so the
// thread, the customer's email and search all show what was sent.
import { z } from 'zod'
import type { App } from '../app.ts'
import { forbidden } from '../errors.ts'
import { escapeHtml } from '../mail/templates.ts'
import type { Actor } from '../policies/actor.ts'
import { insertEvents, type Channel } from '../repositories/eventRepo.ts'
import { setUserSignature, signaturesFor } from '../repositories/userRepo.ts'
import { text } from './fields.ts'

export const SIGNATURE_MAX = 2000

export const SetSignature = z.object({
  signature: text(SIGNATURE_MAX, { min: 0 }).describe('Empty removes the signature'),
})
export type SetSignature = z.infer<typeof SetSignature>

export async function setMySignature(
  app: App,
  actor: Actor,
  input: SetSignature,
  meta: { channel: Channel },
): Promise<string | null> {
  if (actor.kind !== 'agent') throw forbidden('Only agents have a signature.')
  const signature = input.signature.trim() === '' ? null : input.signature.replace(/\s+$/, '')
  await app.db.transact(async (trx) => {
    await setUserSignature(trx, actor.id, signature)
    await insertEvents(
      trx,
      [
        {
          ticketId: null,
          actorId: actor.id,
          type: 'account.signature_changed',
          channel: meta.channel,
          after: { set: signature !== null },
          at: app.clock.now(),
        },
      ],
      actor.origin,
    )
  })
  return signature
}

/** A public reply's body with the agent's signature and the department's under the RFC 3676 "-- " line. */
export function signed(body: string, signatures: { personal: string | null; department: string | null }) {
  const parts = [signatures.personal, signatures.department].filter((s): s is string => !!s?.trim())
  return parts.length === 0 ? body : `${body.replace(/\s+$/, '')}\n\n-- \n${parts.join('\n\n')}`
}

/** The same signature under a formatted message: its lines as paragraphs, escaped (signatures are plain text). */
export function signedHtml(html: string, signatures: { personal: string | null; department: string | null }) {
  const parts = [signatures.personal, signatures.department].filter((s): s is string => !!s?.trim())
  if (parts.length === 0) return html
  const lines = parts.map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br />')}</p>`).join('')
  return `${html}<p>-- </p>${lines}`
}

export { signaturesFor }

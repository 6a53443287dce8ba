// osTicket's POST /api/tickets.json, field for field, mapped onto createTicket. Unknown fields (osTicket's
// custom form fields) are accepted and ignored, so existing integrations keep working unchanged.
import { randomUUID } from 'node:crypto'
import { convert } from 'html-to-text'
import { z } from 'zod'
import type { App } from '../app.ts'
import { BODY_MAX, SUBJECT_MAX, type Priority } from '../domain/tickets.ts'
import { badRequest } from '../errors.ts'
import { sanitizeMailHtml, storable } from '../mail/parseMail.ts'
import { findOrCreateCustomer } from '../repositories/userRepo.ts'
import { loadActor } from './auth.ts'
import { createTicket } from './createTicket.ts'
import { email, nonBlank, text } from './fields.ts'
import type { NewAttachment } from './intake.ts'
import type { Origin } from '../domain/origin.ts'

const flag = z
  .union([z.boolean(), z.number(), z.string().max(10)])
  .transform((v) => !/^(0|false|no|off|)$/i.test(String(v)))
const numberish = z.union([z.number().int(), z.string().max(20)])

export const OsTicketCreate = z
  .object({
    name: text(128).optional(),
    email,
    subject: nonBlank(SUBJECT_MAX),
    message: text(BODY_MAX * 4),
    ip: z.string().max(64).optional(),
    alert: flag.optional(),
    autorespond: flag.optional(),
    source: z.string().max(32).optional(),
    topicId: numberish.optional(),
    priority: numberish.optional(),
    priorityId: numberish.optional(),
    phone: z.string().max(64).optional(),
    notes: z.string().max(BODY_MAX).optional(),
    attachments: z
      .array(z.record(z.string().max(255), z.string()))
      .max(100)
      .optional(),
  })
  .loose()
export type OsTicketCreate = z.infer<typeof OsTicketCreate>

// osTicket's priority ids: 1 Emergency, 2 High, 3 Normal, 4 Low.
const PRIORITY_IDS: Record<string, Priority> = { '1': 'emergency', '2': 'high', '3': 'normal', '4': 'low' }

function priorityOf(input: OsTicketCreate): Priority | undefined {
  const raw = input.priorityId ?? input.priority
  if (raw === undefined || raw === '') return undefined
  const key = String(raw).trim().toLowerCase()
  const p =
    PRIORITY_IDS[key] ??
    (['low', 'normal', 'high', 'emergency'].includes(key) ? (key as Priority) : undefined)
  if (!p) throw badRequest('invalid_priority', `Unknown priority "${String(raw)}".`)
  return p
}

/** A data: URL, e.g. data:text/html;charset=utf-8,<p>Hi</p> or data:text/plain;base64,SGk= */
export function parseDataUrl(value: string): { type: string; content: Buffer } | undefined {
  const m = /^data:([^,]*?),(.*)$/s.exec(value)
  if (!m) return undefined
  const params = m[1]!.split(';').map((p) => p.trim())
  const type = params[0] || 'text/plain'
  const base64 = params.includes('base64')
  const charset = params
    .find((p) => p.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .toLowerCase()
  if (base64) {
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(m[2]!)) return undefined
    return { type, content: Buffer.from(m[2]!, 'base64') }
  }
  // osTicket reads a data URL without a charset as ISO-8859-1.
  const content =
    charset && charset !== 'utf-8' && charset !== 'utf8'
      ? Buffer.from(m[2]!, 'latin1')
      : Buffer.from(m[2]!, 'utf8')
  return { type, content }
}

export async function createOsTicket(app: App, input: OsTicketCreate, origin: Origin): Promise<string> {
  let body = input.message
  let html: string | null = null
  if (body.startsWith('data:')) {
    const parsed = parseDataUrl(body)
    if (!parsed) throw badRequest('invalid_message', 'message is not a valid data: URL.')
    const decoded = parsed.content.toString('utf8')
    if (parsed.type.toLowerCase() === 'text/html') {
      html = sanitizeMailHtml(decoded)
      body = convert(html, { wordwrap: false })
    } else body = decoded
  }
  body = storable(body, BODY_MAX)
  if (body.trim() === '') throw badRequest('invalid_message', 'message must not be blank.')

  const { maxAttachments, maxAttachmentBytes } = app.config.mail
  const attachments: NewAttachment[] = []
  for (const item of input.attachments ?? []) {
    for (const [filename, value] of Object.entries(item)) {
      const parsed = parseDataUrl(value)
      if (!parsed) throw badRequest('invalid_attachment', `Attachment "${filename}" is not a data: URL.`)
      if (parsed.content.length > maxAttachmentBytes)
        throw badRequest(
          'attachment_too_large',
          `Attachment "${filename}" is larger than ${maxAttachmentBytes} bytes.`,
        )
      attachments.push({
        filename: storable(filename, 255),
        contentType: parsed.type,
        content: parsed.content,
      })
    }
  }
  if (attachments.length > maxAttachments)
    throw badRequest('too_many_attachments', `At most ${maxAttachments} attachments are accepted.`)

  const at = app.clock.now()
  const user = await app.db.transact((trx) =>
    findOrCreateCustomer(trx, { email: input.email, name: input.name }, at),
  )
  if (user.type !== 'customer')
    throw badRequest('requester_is_agent', 'The email belongs to an agent, not a customer.')
  const actor = await loadActor(app.db.read, user.id)
  if (!actor || actor.kind !== 'customer')
    throw badRequest('requester_disabled', 'That customer account is disabled.')
  const priority = priorityOf(input)
  const { ticket } = await createTicket(
    app,
    { ...actor, origin },
    { subject: input.subject, message: body },
    {
      channel: 'api',
      intake: {
        ...(priority ? { priority } : {}),
        autorespond: input.autorespond ?? true,
        alert: input.alert ?? true,
        autoReply: false,
        joinThread: false,
        email: {
          messageId: `<api.${randomUUID()}@switchboard.invalid>`,
          fromAddress: input.email.toLowerCase(),
          html,
          // The admin trusts an API key to name the requester: that is what the key is for.
          senderVerified: true,
        },
        attachments,
        collaborators: [],
      },
    },
  )
  return ticket.number
}

// osTicket's POST /api/tickets.json (and .xml, parsed into the same shape), field for field, mapped onto
// createTicket: topicId picks our help topic (with its department, priority, SLA plan and form), priorityId
// uses osTicket's ids, fields named like one of our custom fields fill it in, and ip, phone and notes are kept
// on the ticket's creation event (agents see them in the history; customers never get events). Other unknown
// fields are accepted and ignored, so existing integrations keep working unchanged.
import { randomUUID } from 'node:crypto'
import { convert } from 'html-to-text'
import { z } from 'zod'
import type { App } from '../app.ts'
import { BODY_MAX, SUBJECT_MAX, type Priority } from '../domain/tickets.ts'
import { badRequest } from '../errors.ts'
import { storable } from '../mail/parseMail.ts'
import { sanitizeMailHtml } from '../mail/sanitizeHtml.ts'
import { findOrCreateCustomer } from '../repositories/userRepo.ts'
import { loadActor } from './auth.ts'
import { createTicket } from './createTicket.ts'
import { email, nonBlank, text } from './fields.ts'
import type { NewAttachment } from './intake.ts'
import type { Origin } from '../domain/origin.ts'
import type { FieldDef } from '../domain/customFields.ts'

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
    phone: z.union([z.string().max(64), z.number()]).optional(),
    phone_ext: z.union([z.string().max(16), z.number()]).optional(),
    notes: z.string().max(BODY_MAX).optional(),
    attachments: z
      .array(z.record(z.string().max(255), z.string()))
      .max(100)
      .optional(),
  })
  .loose()
export type OsTicketCreate = z.infer<typeof OsTicketCreate>

/** osTicket's priority ids (ost_ticket_priority.priority_id): 1 Low, 2 Normal (its default), 3 High, 4 Emergency. */
export const OSTICKET_PRIORITY_IDS: Record<string, Priority> = {
  '1': 'low',
  '2': 'normal',
  '3': 'high',
  '4': 'emergency',
}
const PRIORITY_IDS = OSTICKET_PRIORITY_IDS

const KNOWN = new Set([
  ...Object.keys(OsTicketCreate.shape),
  // osTicket fields we read through others, or that have no counterpart here.
  'priority',
])

/** osTicket's API takes API and Email as a source and refuses the rest (Web, Phone, Other). */
function sourceOf(input: OsTicketCreate): 'api' | 'email' {
  const raw = (input.source ?? 'API').trim().toLowerCase()
  if (raw === '' || raw === 'api') return 'api'
  if (raw === 'email') return 'email'
  throw badRequest('invalid_source', `Source "${input.source}" is not accepted: use API or Email.`)
}

function topicOf(input: OsTicketCreate): number | undefined {
  const raw = input.topicId
  if (raw === undefined || raw === '' || raw === 0 || raw === '0') return undefined
  const id = Number(raw)
  if (!Number.isSafeInteger(id) || id < 1) throw badRequest('unknown_topic', `Unknown help topic "${raw}".`)
  return id
}

/** osTicket's phone: "3185558634X123", or the extension in phone_ext (XML: <phone ext="123">). */
function phoneOf(input: OsTicketCreate): string | undefined {
  const phone = input.phone === undefined ? '' : String(input.phone).trim()
  const ext = input.phone_ext === undefined ? '' : String(input.phone_ext).trim()
  if (phone === '') return undefined
  return ext === '' ? phone : `${phone} X${ext}`
}

/**
 * osTicket's custom form fields are sent by their name; one of ours with that key takes the value. Values come
 * as JSON or as XML text, so they are read leniently into the field's type (a select by option, any case; a date
 * from a date or a Unix time; a number or a flag from text).
 */
function customFieldsOf(input: Record<string, unknown>, defs: readonly FieldDef[]): Record<string, unknown> {
  const byKey = new Map(defs.map((d) => [d.key, d]))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    if (KNOWN.has(key)) continue
    const def = byKey.get(key)
    if (!def || value === undefined || value === null || value === '') continue
    out[key] = coerce(def, value)
  }
  return out
}

function coerce(def: FieldDef, value: unknown): unknown {
  const matchOption = (v: unknown) =>
    typeof v === 'string'
      ? (def.options.find((o) => o === v) ??
        def.options.find((o) => o.toLowerCase() === v.trim().toLowerCase()) ??
        v)
      : v
  switch (def.type) {
    case 'number':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? Number(value)
        : value
    case 'checkbox':
      return typeof value === 'string' || typeof value === 'number'
        ? !/^(0|false|no|off|)$/i.test(String(value))
        : value
    case 'date': {
      if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,11}$/.test(value.trim())))
        return new Date(Number(value) * 1000).toISOString().slice(0, 10)
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([ T].*)?$/.test(value.trim()))
        return value.trim().slice(0, 10)
      return value
    }
    case 'select':
      return matchOption(value)
    case 'multi_select':
      return (Array.isArray(value) ? value : String(value).split(',')).map((v) =>
        matchOption(typeof v === 'string' ? v.trim() : v),
      )
    case 'text':
    case 'long_text':
      return typeof value === 'number' ? String(value) : value
  }
}

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
  const source = sourceOf(input)
  const topicId = topicOf(input)
  const fields = customFieldsOf(input, app.fields.all())
  const phone = phoneOf(input)
  const submitter = {
    ...(input.ip?.trim() ? { ip: input.ip.trim() } : {}),
    ...(phone ? { phone } : {}),
    ...(input.notes?.trim() ? { notes: storable(input.notes, BODY_MAX) } : {}),
  }
  const { ticket } = await createTicket(
    app,
    { ...actor, origin },
    {
      subject: input.subject,
      message: body,
      ...(topicId !== undefined ? { topicId } : {}),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    },
    {
      channel: 'api',
      intake: {
        ...(priority ? { priority } : {}),
        source,
        ...(Object.keys(submitter).length > 0 ? { submitter } : {}),
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

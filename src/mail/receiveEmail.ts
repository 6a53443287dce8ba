// The one entry for inbound mail (SMTP listener, IMAP poller, mail:pipe, POST /api/tickets.email). The raw
// bytes are committed first; only then is the message parsed, deduplicated by Message-ID, threaded and
// handed to createTicket / postMessage, the same commands the API uses. A message that fails stays in
// the failed-mail list (inbound_mail.status = 'failed') until an admin retries it.
import { sql } from 'kysely'
import type { App } from '../app.ts'
import { loadActor } from '../commands/auth.ts'
import { createTicket } from '../commands/createTicket.ts'
import { DuplicateMessage, type Intake, type NewAttachment } from '../commands/intake.ts'
import { postMessage } from '../commands/postMessage.ts'
import type { InboundMailStatus } from '../db/schema.ts'
import { checkEmailAddress } from '../domain/emailAddress.ts'
import { AppError } from '../errors.ts'
import type { CustomerActor } from '../policies/actor.ts'
import { countFromSender, inboundForProcessing, ticketOfMessage } from '../repositories/inboundMailRepo.ts'
import { listIntakeAddresses } from '../repositories/intakeAddressRepo.ts'
import { isCollaborator } from '../repositories/ticketRepo.ts'
import { findOrCreateCustomer, findUserByEmail } from '../repositories/userRepo.ts'
import { fromDomainVerified } from './authResults.ts'
import { signingKey, verifyMessageId } from './messageId.ts'
import { MimeTooComplex, parseMail, type ParsedMail } from './parseMail.ts'

export type InboundSource = 'smtp' | 'imap' | 'pipe' | 'api'

export interface StoreOptions {
  source: InboundSource
  /** The envelope recipients (RCPT TO), when the channel knows them. */
  envelopeTo?: string[]
  /** A channel's own identity for the message (IMAP mailbox, UIDVALIDITY and UID): stored at most once. */
  sourceKey?: string
  /** IMAP: the mailbox's department. */
  departmentId?: number
}

export type Outcome =
  | { inboundId: number; status: 'done' | 'duplicate'; ticketNumber: string; entryId?: number }
  | { inboundId: number; status: 'failed'; error: string }
  | { inboundId: number; status: 'pending' }

class MailRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Commits the raw message. Nothing else may happen to a message before this has returned. */
export async function storeInbound(
  app: App,
  raw: Buffer,
  options: StoreOptions,
): Promise<{ id: number; status: InboundMailStatus; fresh: boolean }> {
  const envelope = options.envelopeTo?.length ? options.envelopeTo.join(',').slice(0, 2000) : null
  const departmentHint = options.departmentId === undefined ? null : `dept:${options.departmentId}`
  return app.db.transact(async (trx) => {
    if (options.sourceKey !== undefined) {
      const existing = await trx
        .selectFrom('inbound_mail')
        .select(['id', 'status'])
        .where('source_key', '=', options.sourceKey)
        .executeTakeFirst()
      if (existing) return { ...existing, fresh: false }
    }
    const row = await trx
      .insertInto('inbound_mail')
      .values({
        raw,
        source: options.source,
        envelope_to: envelope ?? departmentHint,
        sender: null,
        source_key: options.sourceKey ?? null,
        status: 'pending',
        received_at: app.clock.now(),
      })
      .returning(['id', 'status'])
      .executeTakeFirstOrThrow()
    return { ...row, fresh: true }
  })
}

/** Stores, then processes. The outcome is never an exception unless the raw message could not be stored. */
export async function receiveEmail(app: App, raw: Buffer, options: StoreOptions): Promise<Outcome> {
  const stored = await storeInbound(app, raw, options)
  if (stored.status !== 'pending') return outcomeOf(app, stored.id)
  return processInbound(app, stored.id)
}

async function outcomeOf(app: App, id: number): Promise<Outcome> {
  const row = await app.db.read
    .selectFrom('inbound_mail as m')
    .leftJoin('tickets as t', 't.id', 'm.ticket_id')
    .select(['m.status', 'm.error', 't.number'])
    .where('m.id', '=', id)
    .executeTakeFirstOrThrow()
  // A discarded message failed too; an admin only took it off the list.
  if (row.status === 'failed' || row.status === 'discarded')
    return { inboundId: id, status: 'failed', error: row.error ?? '' }
  if (row.status === 'pending') return { inboundId: id, status: 'pending' }
  return { inboundId: id, status: row.status, ticketNumber: row.number ?? '' }
}

/** Processes one stored message. Safe to call again: a done message is a no-op, a Message-ID counts once. */
export async function processInbound(app: App, id: number): Promise<Outcome> {
  const row = await inboundForProcessing(app.db.read, id)
  if (!row) throw new Error(`inbound mail ${id} does not exist`)
  if (row.status === 'done' || row.status === 'duplicate') return outcomeOf(app, id)

  let lastError: unknown
  const seen: { sender?: string } = {}
  // A second attempt covers races between two copies of a new sender's first mail (unique email).
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const result = await handle(app, id, Buffer.from(row.raw), row.envelope_to, row.received_at, seen)
      // A filed message was marked done by the command's own transaction; a duplicate is marked here.
      if (result.duplicate)
        await finish(app, id, { status: 'duplicate', ticketId: result.ticketId, sender: result.sender })
      return {
        inboundId: id,
        status: result.duplicate ? 'duplicate' : 'done',
        ticketNumber: result.ticketNumber,
        ...(result.entryId !== undefined ? { entryId: result.entryId } : {}),
      }
    } catch (error) {
      lastError = error
      if (error instanceof MailRejected || error instanceof AppError) break
    }
  }
  const message = describe(lastError)
  if (!(lastError instanceof MailRejected) && !(lastError instanceof AppError))
    console.error(`mail: inbound ${id} failed`, lastError)
  await finish(app, id, { status: 'failed', error: message, ...seen })
  return { inboundId: id, status: 'failed', error: message }
}

function describe(error: unknown): string {
  if (error instanceof MailRejected || error instanceof AppError) return `${error.code}: ${error.message}`
  return `internal_error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2000)
}

async function finish(
  app: App,
  id: number,
  outcome: { status: InboundMailStatus; ticketId?: number; sender?: string; error?: string },
): Promise<void> {
  await app.db.transact(async (trx) => {
    await trx
      .updateTable('inbound_mail')
      .set({
        status: outcome.status,
        ticket_id: outcome.ticketId ?? null,
        error: outcome.error ?? null,
        processed_at: app.clock.now(),
        attempts: sql`attempts + 1`,
        ...(outcome.sender !== undefined ? { sender: outcome.sender } : {}),
      })
      .where('id', '=', id)
      // Never overwrite the outcome of a run that finished first (the crash sweep and a late original).
      .where('status', '=', 'pending')
      .execute()
  })
}

interface Handled {
  duplicate: boolean
  ticketId: number
  ticketNumber: string
  entryId?: number
  sender: string
}

async function handle(
  app: App,
  inboundId: number,
  raw: Buffer,
  envelopeTo: string | null,
  receivedAt: number,
  seen: { sender?: string },
): Promise<Handled> {
  const db = app.db.read
  const mail = await parseMail(raw).catch((error: unknown) => {
    if (error instanceof MimeTooComplex) throw new MailRejected(error.code, error.message)
    throw error
  })
  if (!mail.from) throw new MailRejected('no_sender', 'The message has no usable From address.')
  const sender = mail.from.address
  seen.sender = sender
  const senderCheck = checkEmailAddress(sender)
  if (!senderCheck.ok) throw new MailRejected(senderCheck.code, senderCheck.message)

  const known = await findMessage(app, mail.messageId)
  if (known) return { duplicate: true, ...known, sender }

  const intakeRows = (await listIntakeAddresses(db)).map((a) => ({ ...a, department_id: a.departmentId }))
  const intakeAddresses = new Set(intakeRows.map((r) => r.address))
  if (intakeAddresses.has(sender))
    throw new MailRejected('mail_loop', 'The message comes from one of our own intake addresses.')
  const departmentId = departmentFor(envelopeTo, mail, intakeRows)
  // The From header proves nothing. What can vouch for it: the receiving MTA's Authentication-Results, read
  // only under an authserv-id the intake address the mail was delivered to trusts (docs/SECURITY.md).
  const deliveredTo = deliveredIntake(envelopeTo, mail, intakeRows)
  const fromVerified =
    deliveredTo !== undefined && fromDomainVerified(mail.authResults, deliveredTo.trustedAuthservIds, sender)

  // Per-sender rate limit: past it we still file the mail, but stop answering, so two autoresponders cannot loop.
  const recent = await countFromSender(db, sender, receivedAt - 3600_000, inboundId)
  const overLimit = recent >= app.config.mail.senderHourlyLimit

  const { attachments, skipped } = limitAttachments(app, mail)
  let body = mail.text.trim() === '' ? '(no text)' : mail.text
  if (skipped.length > 0) body += `\n\n[Not kept, over the attachment limits: ${skipped.join(', ')}]`
  // Look-alike addresses on Cc are left out rather than failing the whole message.
  const cc = mail.cc.filter(
    (c) => c.address !== sender && !intakeAddresses.has(c.address) && checkEmailAddress(c.address).ok,
  )
  /**
   * What the mail may change besides adding its message: `join`, the sender becomes a collaborator; `addCc`,
   * the people on Cc do. `verified` is stored on the entry and shown to agents.
   */
  const intakeFor = (trust: { join: boolean; addCc: boolean; verified: boolean }): Intake => ({
    ...(departmentId !== undefined ? { departmentId } : {}),
    autorespond: !mail.autoReply && !overLimit,
    alert: !overLimit,
    autoReply: mail.autoReply,
    joinThread: trust.join,
    email: {
      messageId: mail.messageId,
      fromAddress: sender,
      html: mail.html ?? null,
      senderVerified: trust.verified,
    },
    inboundMailId: inboundId,
    attachments,
    collaborators: trust.addCc ? cc.map((c) => ({ email: c.address, name: c.name || undefined })) : [],
  })

  const existingUser = await findUserByEmail(db, sender)
  const thread = await findThread(app, mail, existingUser)

  try {
    if (existingUser?.type === 'agent') {
      // Mail from an agent's address is a note only when it answers mail we sent to that very agent:
      // a From header is easy to forge, our signed Message-ID is not.
      if (!thread || thread.how !== 'signed' || thread.signedFor !== existingUser.id)
        throw new MailRejected(
          'agent_unverified',
          'Mail from an agent address must reply to an alert that was sent to that agent.',
        )
      const agent = await loadActor(db, existingUser.id)
      if (!agent) throw new MailRejected('agent_disabled', 'That agent account is disabled.')
      const posted = await postMessage(
        app,
        agent,
        thread.number,
        { body, internal: true },
        {
          channel: 'email',
          intake: {
            ...intakeFor({ join: false, addCc: false, verified: true }),
            autorespond: false,
          },
        },
      )
      return {
        duplicate: false,
        ticketId: posted.ticket.id,
        ticketNumber: posted.ticket.number,
        entryId: posted.entryId,
        sender,
      }
    }

    const customer = await customerActor(app, existingUser?.id, sender, mail.from.name)
    if (thread) {
      // Only our signed Message-ID proves the sender was sent this thread; a Message-ID we merely know can
      // be guessed or copied, and the subject's [#number] is printed on every mail (docs/SECURITY.md).
      // A signed reply proves the sender was sent this thread (perhaps forwarded to them): they join, and the
      // people on Cc with them. A verified requester or collaborator may copy people in too. Anything else
      // adds its message, flagged unverified, and changes nobody's access.
      const signed = thread.how === 'signed'
      const trust = {
        join: signed,
        addCc: signed || fromVerified,
        verified: (signed && thread.signedFor === customer.id) || fromVerified,
      }
      const posted = await postMessage(
        app,
        customer,
        thread.number,
        { body, internal: false },
        { channel: 'email', intake: intakeFor(trust) },
      )
      return {
        duplicate: false,
        ticketId: posted.ticket.id,
        ticketNumber: posted.ticket.number,
        entryId: posted.entryId,
        sender,
      }
    }
    // A new ticket: the sender becomes its requester and Cc its collaborators, as in osTicket. Nobody gains
    // access to anything that existed before; the entry still says whether the From was vouched for.
    const created = await createTicket(
      app,
      customer,
      { subject: mail.subject, message: body },
      { channel: 'email', intake: intakeFor({ join: false, addCc: true, verified: fromVerified }) },
    )
    return { duplicate: false, ticketId: created.ticket.id, ticketNumber: created.ticket.number, sender }
  } catch (error) {
    if (error instanceof DuplicateMessage) {
      const again = await findMessage(app, mail.messageId)
      if (again) return { duplicate: true, ...again, sender }
    }
    throw error
  }
}

async function findMessage(app: App, messageId: string) {
  const row = await ticketOfMessage(app.db.read, messageId)
  return row ? { ticketId: row.id, ticketNumber: row.number } : undefined
}

function departmentFor(
  envelopeTo: string | null,
  mail: ParsedMail,
  intake: { address: string; department_id: number }[],
): number | undefined {
  if (envelopeTo?.startsWith('dept:')) return Number(envelopeTo.slice(5))
  const candidates = [
    ...(envelopeTo ?? '').split(',').map((a) => a.trim().toLowerCase()),
    ...mail.deliveredTo,
    ...mail.to.map((a) => a.address),
    ...mail.cc.map((a) => a.address),
  ]
  for (const c of candidates) {
    const hit = intake.find((i) => i.address === c)
    if (hit) return hit.department_id
  }
  return undefined
}

/**
 * The intake address the message was delivered to, for deciding whose Authentication-Results to trust: the
 * SMTP envelope, else the Delivered-To / X-Original-To the MTA added. Never To or Cc, which the sender writes.
 */
function deliveredIntake<T extends { address: string }>(
  envelopeTo: string | null,
  mail: ParsedMail,
  intake: T[],
): T | undefined {
  const candidates = envelopeTo?.startsWith('dept:')
    ? mail.deliveredTo
    : [...(envelopeTo ?? '').split(',').map((a) => a.trim().toLowerCase()), ...mail.deliveredTo]
  for (const c of candidates) {
    const hit = intake.find((i) => i.address === c)
    if (hit) return hit
  }
  return undefined
}

type Thread = { number: string } & (
  { how: 'signed'; signedFor: number } | { how: 'known' } | { how: 'subject' }
)

/**
 * Which ticket a reply belongs to, in order: our signed Message-ID (verified), any Message-ID we know, and
 * last the subject's [#number]. The last two count only when the sender is the requester or a collaborator.
 */
async function findThread(
  app: App,
  mail: ParsedMail,
  user: { id: number; type: 'agent' | 'customer' } | undefined,
): Promise<Thread | undefined> {
  const db = app.db.read
  const key = await signingKey(db)
  for (const ref of mail.references) {
    const signed = verifyMessageId(key, ref)
    if (!signed) continue
    const t = await db
      .selectFrom('tickets')
      .select('number')
      .where('id', '=', signed.ticketId)
      .executeTakeFirst()
    if (t) return { number: t.number, how: 'signed', signedFor: signed.userId }
  }
  if (!user) return undefined
  // Without a signature, the sender must already be on the ticket (its requester or a collaborator).
  const member = async (t: { id: number; requester_id: number }) =>
    t.requester_id === user.id || (await isCollaborator(db, t.id, user.id))
  if (mail.references.length > 0) {
    const refs = mail.references.slice(0, 100)
    const known = await db
      .selectFrom('mail_message_ids as m')
      .innerJoin('tickets as t', 't.id', 'm.ticket_id')
      .select(['t.id', 't.number', 't.requester_id', 'm.message_id'])
      .where('m.message_id', 'in', refs)
      .execute()
    for (const ref of refs) {
      const hit = known.find((k) => k.message_id === ref)
      if (hit && (await member(hit))) return { number: hit.number, how: 'known' }
    }
  }
  const token = /\[#(\d{1,12})\]/.exec(mail.subject)
  if (token) {
    const t = await db
      .selectFrom('tickets as t')
      .select(['t.id', 't.number', 't.requester_id'])
      .where('t.number', '=', token[1]!)
      .executeTakeFirst()
    if (t && (await member(t))) return { number: t.number, how: 'subject' }
  }
  return undefined
}

async function customerActor(
  app: App,
  knownId: number | undefined,
  address: string,
  name: string,
): Promise<CustomerActor> {
  const userId =
    knownId ??
    (
      await app.db.transact((trx) =>
        findOrCreateCustomer(trx, { email: address, name: name || undefined }, app.clock.now()),
      )
    ).id
  const actor = await loadActor(app.db.read, userId)
  if (!actor || actor.kind !== 'customer')
    throw new MailRejected('sender_disabled', 'The sender’s account is disabled.')
  return actor
}

function limitAttachments(app: App, mail: ParsedMail): { attachments: NewAttachment[]; skipped: string[] } {
  const { maxAttachments, maxAttachmentBytes } = app.config.mail
  const attachments: NewAttachment[] = []
  const skipped: string[] = []
  for (const a of mail.attachments) {
    if (attachments.length >= maxAttachments || a.content.length > maxAttachmentBytes) {
      skipped.push(`${a.filename} (${a.content.length} bytes)`)
      continue
    }
    attachments.push(a)
  }
  return { attachments, skipped }
}

/** Admin: the failed-mail list, newest first, keyset-paginated by id. */
export async function listFailedMail(app: App, options: { before?: number; limit: number }) {
  return app.db.read
    .selectFrom('inbound_mail')
    .select(['id', 'source', 'sender', 'envelope_to', 'error', 'attempts', 'received_at', 'processed_at'])
    .select((eb) => eb.fn('length', ['raw']).as('size'))
    .where('status', '=', 'failed')
    .$if(options.before !== undefined, (q) => q.where('id', '<', options.before!))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute()
}

/** Failures that no fix on our side can change: the same bytes fail the same way. */
const PERMANENT_FAILURES = ['mime_too_complex'] as const

export function isRetryable(error: string | null): boolean {
  return !PERMANENT_FAILURES.some((code) => error?.startsWith(`${code}:`))
}

/** Admin: process a failed message again (after a fix, a new intake address, an agent's account). */
export async function retryFailedMail(app: App, id: number): Promise<Outcome> {
  const moved = await app.db.transact(async (trx) => {
    const row = await trx
      .selectFrom('inbound_mail')
      .select('error')
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', 'not_found', 'No such failed mail.')
    if (!isRetryable(row.error))
      throw new AppError(
        'conflict',
        'not_retryable',
        'This message is beyond the parser’s limits; processing it again would fail the same way.',
      )
    const r = await trx
      .updateTable('inbound_mail')
      .set({ status: 'pending' })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst()
    return Number(r.numUpdatedRows) > 0
  })
  if (!moved) throw new AppError('not_found', 'not_found', 'No such failed mail.')
  return processInbound(app, id)
}

/** Picks up messages that were stored but never processed (the process stopped in between). */
export async function processPending(app: App, olderThanMs: number): Promise<number> {
  const rows = await app.db.read
    .selectFrom('inbound_mail')
    .select('id')
    .where('status', '=', 'pending')
    .where('received_at', '<=', app.clock.now() - olderThanMs)
    .orderBy('id')
    .limit(500)
    .execute()
  for (const r of rows) await processInbound(app, r.id)
  return rows.length
}

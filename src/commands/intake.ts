// What a trusted intake channel (inbound mail, an API key) adds to createTicket and postMessage: the
// department it feeds, the message's Message-ID, sanitised HTML, attachments and the people on Cc. The
// commands write these in their own transaction, so a mail is deduplicated and threaded atomically.
import type { Kysely } from 'kysely'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import type { Priority } from '../domain/tickets.ts'
import { AppError } from '../errors.ts'
import { insertCollaborator } from '../repositories/collaboratorRepo.ts'
import { insertEntryEmail, markInboundDone, recordMessageId } from '../repositories/inboundMailRepo.ts'
import { findOrCreateCustomer } from '../repositories/userRepo.ts'
import { storeIntakeAttachments } from './uploads.ts'

export interface NewAttachment {
  filename: string
  contentType: string
  content: Buffer
  /** Content-ID of an inline part, without <>: cid: images in the HTML name it. */
  contentId?: string | undefined
}

export interface Intake {
  /** The department the address, mailbox or key feeds; the customer never chooses it. */
  departmentId?: number
  priority?: Priority
  /** The ticket's source when the channel says otherwise (osTicket's API takes `source: Email`). */
  source?: 'api' | 'email'
  /**
   * What an osTicket integration says about the person (osTicket's ip, phone, notes): kept on the ticket's
   * creation event, which only agents see.
   */
  submitter?: { ip?: string; phone?: string; notes?: string }
  /** Send the requester the new-ticket auto-response. False for auto-replies, rate-limited senders, API opt-out. */
  autorespond: boolean
  /** Send agents their alerts about this message. */
  alert: boolean
  /** A bounce or an auto-reply: stored as an internal note, never reopens, never answered. */
  autoReply: boolean
  /** The sender proved they were on the thread (our signed Message-ID): add them as a collaborator. */
  joinThread: boolean
  /** `senderVerified`: our signed Message-ID or a trusted Authentication-Results pass vouched for the From. */
  email?: { messageId: string; fromAddress: string; html: string | null; senderVerified: boolean }
  /** The stored raw message this came from: marked done in the same transaction as the ticket. */
  inboundMailId?: number
  attachments: NewAttachment[]
  collaborators: { email: string; name?: string | undefined }[]
}

/** Raised inside the transaction when the Message-ID was already stored: the whole write rolls back. */
export class DuplicateMessage extends AppError {
  constructor(readonly messageId: string) {
    super('conflict', 'duplicate_message', 'This message was already received.')
  }
}

/** A customer joins a ticket's collaborators (the rules are the caller's); true when they were not one yet. */
export const addCollaborator = insertCollaborator

/** Writes the intake's Message-ID, email copy, attachments and collaborators for a new thread entry. */
export async function recordIntake(
  app: App,
  trx: Kysely<DB>,
  input: { ticketId: number; entryId: number; requesterId: number; at: number; intake: Intake },
): Promise<{ collaboratorsAdded: number[] }> {
  const { ticketId, entryId, at, intake } = input
  if (intake.email) {
    const fresh = await recordMessageId(trx, {
      message_id: intake.email.messageId,
      ticket_id: ticketId,
      entry_id: entryId,
      created_at: at,
    })
    if (!fresh) throw new DuplicateMessage(intake.email.messageId)
    await insertEntryEmail(trx, {
      entry_id: entryId,
      message_id: intake.email.messageId,
      from_address: intake.email.fromAddress,
      html: intake.email.html,
      auto_reply: intake.autoReply ? 1 : 0,
      sender_verified: intake.email.senderVerified ? 1 : 0,
      inbound_mail_id: intake.inboundMailId ?? null,
    })
  }
  if (intake.inboundMailId !== undefined)
    await markInboundDone(trx, intake.inboundMailId, ticketId, intake.email?.fromAddress ?? null, at)
  await storeIntakeAttachments(app, trx, intake.attachments, { ticketId, entryId, at })
  const collaboratorsAdded: number[] = []
  for (const c of intake.collaborators) {
    const user = await findOrCreateCustomer(trx, c, at)
    // Agents on Cc are not collaborators: they see the ticket through their departments.
    if (user.type !== 'customer' || user.id === input.requesterId) continue
    if (await addCollaborator(trx, ticketId, user.id, at)) collaboratorsAdded.push(user.id)
  }
  return { collaboratorsAdded }
}

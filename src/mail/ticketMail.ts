// Outbound mail for ticket changes. A command writes one `ticket.mail` outbox row in its transaction; after
// commit the drainer expands it into one `mail.send` row per recipient (so a retry never re-sends to people
// who already got it), and each of those is rendered and handed to SMTP. Internal notes only ever go to agents.
import type { Kysely } from 'kysely'
import type { App } from '../app.ts'
import type { RecordInput } from '../commands/ticketWrites.ts'
import type { DB } from '../db/schema.ts'
import type { EntryKind } from '../domain/tickets.ts'
import { autoresponseArticles } from '../queries/kbQueries.ts'
import { enqueue } from '../repositories/outboxRepo.ts'
import { attachmentsOfPublicEntry } from '../repositories/attachmentRepo.ts'
import { signedMessageId, signingKey } from './messageId.ts'
import { loadTemplate, render, type TemplateKey, type TemplateVars } from './templates.ts'
import { deliverMail, mailDomain } from './transport.ts'

export const TICKET_MAIL_TOPIC = 'ticket.mail'
export const MAIL_SEND_TOPIC = 'mail.send'

// The alerts are defined once in src/shared/mail.ts (the account screen imports them too).
import { AGENT_ALERTS, type AgentAlert } from '../shared/mail.ts'
export { AGENT_ALERTS, type AgentAlert }

export interface TicketMail {
  ticketId: number
  actorId: number
  entryId: number | null
  entryKind: EntryKind | null
  created: boolean
  assigned: boolean
  autorespond: boolean
  alert: boolean
}

/** What a change may need to email, or undefined when it needs nothing (a status change, a transfer). */
export function ticketMailFor(input: RecordInput): TicketMail | undefined {
  const created = input.changes.some((c) => c.type === 'ticket.created')
  const added = input.changes.find((c) => /^(message|response|note)\.added$/.test(c.type))
  const assigned = input.happenings.some((h) => h.kind === 'assigned')
  if (!created && !added && !assigned) return undefined
  const entryId = typeof added?.after?.entryId === 'number' ? added.after.entryId : null
  return {
    ticketId: input.ticket.id,
    actorId: input.actor.id,
    entryId,
    entryKind: added ? (added.type.split('.')[0] as EntryKind) : null,
    created,
    assigned,
    autorespond: input.mail?.autorespond ?? true,
    alert: input.mail?.alert ?? true,
  }
}

export interface OutgoingMail {
  template: TemplateKey
  to: { email: string; name: string }
  from: string
  messageId: string
  references: string[]
  /** Automatic mail (auto-responses, alerts) says so, so that well-behaved autoresponders stay quiet. */
  autoSubmitted: boolean
  vars: TemplateVars
  /** A public reply carries the files of its entry (read when sent; never those of a note). */
  attachEntryId?: number
  /** The sanitised HTML of {{message}} when the entry is formatted: the HTML part shows it formatted. */
  messageHtml?: string
  /** The ticket it is about (Mail preview shows it to admins who may see the ticket); absent in old rows. */
  ticketId?: number
}

interface Person {
  id: number
  name: string
  email: string
  type: 'agent' | 'customer'
}

/**
 * Where `{{ticket.link}}` leads this recipient: customers to their portal page, agents to the agent view.
 * Both are behind sign-in, and the web app brings the reader back to the link after signing in.
 */
export function ticketLinkFor(publicUrl: string, number: string, type: 'agent' | 'customer'): string {
  return `${publicUrl}/${type === 'agent' ? 'agent' : 'portal'}/tickets/${number}`
}

/**
 * Expands a ticket change into one outbox row per recipient. Needs no SMTP: without SMTP_URL each message is
 * kept in Mail preview instead of sent (transport.ts).
 */
export async function expandTicketMail(app: App, mail: TicketMail): Promise<void> {
  const db = app.db.read
  const ticket = await db
    .selectFrom('tickets as t')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .innerJoin('users as r', 'r.id', 't.requester_id')
    .select([
      't.id',
      't.number',
      't.subject',
      't.department_id',
      't.assignee_agent_id',
      'd.name as department_name',
      'r.id as requester_id',
      'r.name as requester_name',
      'r.email as requester_email',
      'r.type as requester_type',
      'r.is_active as requester_active',
    ])
    .where('t.id', '=', mail.ticketId)
    .executeTakeFirst()
  if (!ticket) return
  // A new ticket's change has no entry of its own: its first message is what alerts quote.
  const entry =
    mail.entryId === null && !mail.created
      ? undefined
      : await db
          .selectFrom('thread_entries as e')
          .innerJoin('users as u', 'u.id', 'e.author_id')
          .leftJoin('entry_email as ee', 'ee.entry_id', 'e.id')
          .select([
            'e.id',
            'e.kind',
            'e.body',
            'e.html',
            'ee.html as mail_html',
            'u.name as author_name',
            'ee.message_id',
          ])
          .$if(mail.entryId !== null, (q) => q.where('e.id', '=', mail.entryId!))
          .$if(mail.entryId === null, (q) =>
            q.where('e.ticket_id', '=', mail.ticketId).orderBy('e.id').limit(1),
          )
          .executeTakeFirst()
  const actor = await db
    .selectFrom('users')
    .select(['name'])
    .where('id', '=', mail.actorId)
    .executeTakeFirst()
  const firstMessage = await db
    .selectFrom('entry_email as ee')
    .innerJoin('thread_entries as e', 'e.id', 'ee.entry_id')
    .select('ee.message_id')
    .where('e.ticket_id', '=', ticket.id)
    .orderBy('e.id')
    .limit(1)
    .executeTakeFirst()
  const intake = await db
    .selectFrom('intake_addresses')
    .select('address')
    .where('department_id', '=', ticket.department_id)
    .orderBy('address')
    .limit(1)
    .executeTakeFirst()

  const from = intake?.address ?? app.config.mail.from
  const key = await signingKey(db)
  const domain = mailDomain(app)
  const references = [firstMessage?.message_id, entry?.message_id].filter((x): x is string => !!x)
  const outgoing: OutgoingMail[] = []
  const base = {
    'ticket.number': ticket.number,
    'ticket.subject': ticket.subject,
    'department.name': ticket.department_name,
    'author.name': entry?.author_name ?? actor?.name ?? '',
    message: entry?.body ?? '',
    'kb.suggestions':
      mail.created && mail.autorespond
        ? await autoresponseArticles(app, { departmentId: ticket.department_id, subject: ticket.subject })
        : '',
  }
  const messageHtml = entry?.html ?? entry?.mail_html ?? undefined
  const add = (template: TemplateKey, to: Person, autoSubmitted: boolean, attachEntryId?: number) => {
    if (outgoing.some((o) => o.to.email === to.email && o.template === template)) return
    outgoing.push({
      template,
      ticketId: ticket.id,
      to: { email: to.email, name: to.name },
      from,
      messageId: signedMessageId(
        key,
        { ticketId: ticket.id, userId: to.id, nonce: `${mail.entryId ?? 0}-${template.replace(/_/g, '-')}` },
        domain,
      ),
      references,
      autoSubmitted,
      vars: {
        ...base,
        'ticket.link': ticketLinkFor(app.config.mail.publicUrl, ticket.number, to.type),
        'recipient.name': to.name,
        'recipient.email': to.email,
      },
      ...(attachEntryId === undefined ? {} : { attachEntryId }),
      ...(messageHtml ? { messageHtml } : {}),
    })
  }
  const requester: Person = {
    id: ticket.requester_id,
    name: ticket.requester_name,
    email: ticket.requester_email,
    type: personType(ticket.requester_type),
  }

  // To customers: the auto-response on a new ticket, and public replies. Never a note.
  if (mail.created && mail.autorespond && ticket.requester_active === 1) add('autoresponse', requester, true)
  if (mail.entryKind === 'response' && entry?.kind === 'response') {
    const collaborators = await db
      .selectFrom('ticket_collaborators as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select(['u.id', 'u.name', 'u.email', 'u.type'])
      .where('c.ticket_id', '=', ticket.id)
      .where('u.is_active', '=', 1)
      .orderBy('u.id')
      .execute()
    for (const p of [requester, ...collaborators.map((c) => ({ ...c, type: personType(c.type) }))])
      add('reply', p, false, entry.id)
  }

  // To agents: alerts they have not switched off.
  if (mail.alert) {
    const wanted: { alert: AgentAlert; template: TemplateKey; ids: number[] }[] = []
    if (mail.created) {
      const ids = await db
        .selectFrom('agent_departments')
        .select('agent_id')
        .where('department_id', '=', ticket.department_id)
        .execute()
      wanted.push({ alert: 'new_ticket', template: 'alert_new_ticket', ids: ids.map((r) => r.agent_id) })
    }
    if (mail.assigned && ticket.assignee_agent_id !== null)
      wanted.push({ alert: 'assigned', template: 'alert_assigned', ids: [ticket.assignee_agent_id] })
    if (mail.entryKind === 'message' && !mail.created && ticket.assignee_agent_id !== null)
      wanted.push({ alert: 'new_message', template: 'alert_message', ids: [ticket.assignee_agent_id] })
    if (mail.entryKind === 'note') {
      const ids = await db
        .selectFrom('ticket_followers')
        .select('agent_id')
        .where('ticket_id', '=', ticket.id)
        .execute()
      wanted.push({ alert: 'note_followed', template: 'alert_note', ids: ids.map((r) => r.agent_id) })
    }
    const ids = [...new Set(wanted.flatMap((w) => w.ids))].filter((id) => id !== mail.actorId)
    if (ids.length > 0) {
      const [agents, off] = await Promise.all([
        db
          .selectFrom('users')
          .select(['id', 'name', 'email'])
          .where('id', 'in', ids)
          .where('type', '=', 'agent')
          .where('is_active', '=', 1)
          .execute(),
        db
          .selectFrom('agent_mail_alerts')
          .select(['agent_id', 'alert'])
          .where('agent_id', 'in', ids)
          .where('enabled', '=', 0)
          .execute(),
      ])
      for (const w of wanted) {
        for (const id of w.ids) {
          const agent = agents.find((a) => a.id === id)
          if (!agent || off.some((o) => o.agent_id === id && o.alert === w.alert)) continue
          add(w.template, { ...agent, type: 'agent' }, true)
        }
      }
    }
  }
  if (outgoing.length === 0) return
  await app.db.transact(async (trx) => {
    const at = app.clock.now()
    for (const o of outgoing) await enqueue(trx, MAIL_SEND_TOPIC, o, at)
  })
}

function personType(type: string): Person['type'] {
  return type === 'agent' ? 'agent' : 'customer'
}

export async function sendOutgoing(
  app: App,
  mail: OutgoingMail,
  db: Kysely<DB> = app.db.read,
): Promise<void> {
  const template = await loadTemplate(db, mail.template)
  const rendered = render(template, mail.vars, mail.messageHtml)
  const files = mail.attachEntryId === undefined ? [] : await attachmentsOfPublicEntry(db, mail.attachEntryId)
  const attachments = await Promise.all(
    files.map(async (f) => ({
      filename: f.filename,
      contentType: f.content_type,
      content: await app.attachments.read(db, f.sha256!),
    })),
  )
  await deliverMail(
    app,
    { kind: mail.template, ticketId: mail.ticketId ?? null },
    {
      from: mail.from,
      to: mail.to.name ? { name: mail.to.name, address: mail.to.email } : mail.to.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: mail.messageId,
      references: mail.references,
      inReplyTo: mail.references.at(-1),
      ...(attachments.length > 0 ? { attachments } : {}),
      headers: mail.autoSubmitted
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' }
        : {},
    },
  )
}

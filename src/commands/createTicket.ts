import { createHash } from 'node:crypto'
import type { Insertable, Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import { nextTicketId, nextTicketNumber } from '../db/dialect.ts'
import { reusable } from '../db/reusable.ts'
import type { DB } from '../db/schema.ts'
import { BODY_MAX, PRIORITIES, SUBJECT_MAX, type Source } from '../domain/tickets.ts'
import { AppError, badRequest, forbidden } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { canCreateIn } from '../policies/ticketPolicy.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { findTicketById, type TicketListRow } from '../repositories/ticketRepo.ts'
import { insertEntry } from '../repositories/threadRepo.ts'
import { findOrCreateCustomer } from '../repositories/userRepo.ts'
import { email, id, nonBlank, text } from './fields.ts'
import { recordIntake, type Intake } from './intake.ts'
import { COLLABORATORS_ON_CREATE_MAX, copyOnNewTicket } from './collaborators.ts'
import { attachUploads } from './uploads.ts'
import { formattedBody, htmlField } from './formatted.ts'
import { recordTicketChanges } from './ticketWrites.ts'
import { automate } from './ticketAutomation.ts'
import { acceptValues, FieldProblem, type FieldValues } from '../domain/customFields.ts'
import type { Priority } from '../domain/tickets.ts'

export const CreateTicket = z.object({
  subject: nonBlank(SUBJECT_MAX),
  /** Plain text; optional when messageHtml is given (the text copy is then made from the HTML). */
  message: nonBlank(BODY_MAX).optional(),
  messageHtml: htmlField.optional(),
  priority: z.enum(PRIORITIES).optional(),
  departmentId: id.optional(),
  /** Agents only: the customer the ticket is opened for, found by email or created. */
  requester: z.object({ email, name: text(128).optional() }).optional(),
  /** A help topic: it chooses the department, priority, SLA plan and form (customers: public topics only). */
  topicId: id.optional(),
  /** Custom field values by field key (see docs/sla.md). */
  fields: z.record(z.string().max(64), z.unknown()).optional(),
  attachments: z
    .array(id)
    .max(100)
    .optional()
    .describe('Ids of your own uploads (POST /api/v1/uploads) to attach to the first message'),
  collaborators: z
    .array(email)
    .max(COLLABORATORS_ON_CREATE_MAX)
    .optional()
    .describe(
      'Customers to copy (CC) by email: they see the ticket and receive its public replies; new addresses ' +
        'become customer accounts. An agent address is 400 collaborator_is_agent.',
    ),
})
export type CreateTicket = z.infer<typeof CreateTicket>

export interface CreateMeta {
  channel: Channel
  idempotencyKey?: string | undefined
  /** Set by a trusted intake channel (inbound mail, an API key) for a customer's ticket. */
  intake?: Intake
}

export interface Created {
  ticket: TicketListRow
  /** True when an earlier request with the same Idempotency-Key already created it. */
  replayed: boolean
}

class IdempotencyRace extends Error {}

export async function createTicket(
  app: App,
  actor: Actor,
  input: CreateTicket,
  meta: CreateMeta,
): Promise<Created> {
  if (actor.kind === 'customer') {
    for (const field of ['requester', 'departmentId', 'priority'] as const) {
      if (input[field] !== undefined)
        throw badRequest('field_not_allowed', `Customers cannot set "${field}".`)
    }
  } else if (!input.requester) {
    throw badRequest(
      'requester_required',
      'Say whom the ticket is for: requester.email is required for agents.',
    )
  }
  const { intake } = meta
  const formatted = await formattedBody(input.message, input.messageHtml, 'message')
  const message = formatted.body
  const source: Source =
    actor.kind === 'agent'
      ? 'agent'
      : intake?.source !== undefined
        ? intake.source
        : meta.channel === 'email'
          ? 'email'
          : meta.channel === 'api'
            ? 'api'
            : 'web'

  const requestHash = meta.idempotencyKey === undefined ? null : hashRequest(input)
  const run = () =>
    app.db.transact(async (trx) => {
      if (meta.idempotencyKey !== undefined) {
        const prior = await findIdempotent(trx, actor.id, meta.idempotencyKey)
        if (prior !== undefined) {
          // A key stands for one request: replaying it for another would answer with a ticket that does not
          // say what was asked, and silently drop the new request (issue 9, finding 8).
          if (prior.requestHash !== null && prior.requestHash !== requestHash) throw keyReused()
          return { ticket: await findTicketById(trx, prior.ticketId), replayed: true }
        }
      }
      const at = app.clock.now()
      const routing = await app.routing.current(trx)
      const topic = input.topicId === undefined ? undefined : routing.topic(input.topicId)
      if (
        input.topicId !== undefined &&
        // A trusted intake (an API key) may name any active topic, as osTicket's API may; the portal only public ones.
        (!topic || topic.is_active !== 1 || (actor.kind === 'customer' && !intake && topic.is_public !== 1))
      )
        throw badRequest('unknown_topic', 'That help topic does not exist.')
      // Routing precedence as in osTicket: an explicit choice, then the intake mailbox, then the help topic.
      const departmentId =
        input.departmentId ?? intake?.departmentId ?? topic?.department_id ?? routing.defaultDepartmentId()
      const department = departmentId === undefined ? undefined : routing.department(departmentId)
      if (!department || department.is_active !== 1) {
        throw badRequest('unknown_department', 'That department does not exist or is disabled.')
      }
      if (actor.kind === 'agent' && !canCreateIn(actor, department.id)) {
        throw forbidden(`You may not open tickets in ${department.name}.`)
      }
      let requester: { id: number; name: string; email: string } = actor
      if (actor.kind === 'agent') {
        const found = await findOrCreateCustomer(trx, input.requester!, at)
        if (found.type !== 'customer')
          throw badRequest('requester_is_agent', 'The requester must be a customer.')
        requester = found
      }
      const requesterId = requester.id

      const ticketId = await nextTicketId(app.db.dialect, trx)
      const number = await nextTicketNumber(app.db.dialect, trx)
      const priority =
        input.priority ?? intake?.priority ?? (topic?.priority as Priority | null | undefined) ?? 'normal'
      const customFields = JSON.stringify(
        acceptFields(app, input.fields ?? {}, intake ? 'agent' : actor.kind, actor.kind, topic),
      )
      const status = app.statuses.reopenKey()
      // Automation decides on the unsaved ticket, so the row is written once, with its final values.
      const automated = await automate(
        app,
        trx,
        {
          id: ticketId,
          number,
          subject: input.subject,
          priority,
          status,
          department_id: department.id,
          assignee_agent_id: null,
          assignee_team_id: null,
          requester_id: requesterId,
          closed_at: null,
          topic_id: topic?.id ?? null,
          version: 1,
          sla_plan_id: null,
          sla_plan_source: null,
          sla_clock: null,
          sla_first_responded_at: null,
          sla_first_response_due_at: null,
          sla_next_response_due_at: null,
          sla_resolution_due_at: null,
          sla_state: null,
          sla_alert_at: null,
          snoozed_until: null,
          custom_fields: customFields,
          requester_email: requester.email,
          requester_name: requester.name,
          department_name: department.name,
          topic_name: topic?.name ?? null,
          topic_plan_id: topic?.sla_plan_id ?? null,
        },
        {
          ticketId,
          event: 'ticket.created',
          actor,
          channel: meta.channel,
          at,
          messageBody: message,
          statusBefore: null,
          created: true,
          customerMessage: true,
          routing,
        },
      )
      await insertTicket(trx, {
        id: ticketId,
        number,
        subject: input.subject,
        requester_id: requesterId,
        source,
        topic_id: topic?.id ?? null,
        custom_fields: customFields,
        created_at: at,
        updated_at: at,
        last_activity_at: at,
        ...automated.columns,
      })
      const entryId = await insertEntry(trx, {
        ticketId,
        kind: 'message',
        body: message,
        html: formatted.html,
        authorId: actor.id,
        at,
      })
      const added = [
        ...(intake
          ? (await recordIntake(app, trx, { ticketId, entryId, requesterId, at, intake })).collaboratorsAdded
          : []),
        ...(await copyOnNewTicket(trx, { id: ticketId, requesterId }, input.collaborators ?? [], at)),
      ]
      await attachUploads(app, trx, actor, input.attachments ?? [], { ticketId, entryId, at })
      await app.db.indexForSearch(trx, [
        { ticketId, entryId: null, content: input.subject, internal: false },
        { ticketId, entryId, content: message, internal: false },
      ])
      await automated.writeRelated()
      await recordTicketChanges(trx, {
        ticket: {
          id: ticketId,
          number,
          subject: input.subject,
          assigneeAgentId: automated.ticket.assigneeAgentId,
          assigneeTeamId: automated.ticket.assigneeTeamId,
          departmentId: automated.ticket.departmentId,
          requesterId,
        },
        actor,
        channel: meta.channel,
        at,
        changes: [
          {
            type: 'ticket.created',
            after: {
              subject: input.subject,
              priority,
              status,
              departmentId: department.id,
              source,
              ...(topic ? { topicId: topic.id } : {}),
              ...(intake?.submitter ? { submitter: intake.submitter } : {}),
            },
          },
          ...automated.changes,
          ...(added.length > 0 ? [{ type: 'collaborators.added', after: { userIds: added } }] : []),
        ],
        happenings: automated.happenings,
        mail: { autorespond: intake?.autorespond ?? true, alert: intake?.alert ?? true },
      })
      if (meta.idempotencyKey !== undefined) {
        const stored = await trx
          .insertInto('idempotency_keys')
          .values({
            user_id: actor.id,
            key: meta.idempotencyKey,
            ticket_id: ticketId,
            created_at: at,
            request_hash: requestHash,
          })
          .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
          .executeTakeFirst()
        // A concurrent request with the same key committed first (PostgreSQL): undo ours, return theirs.
        if (Number(stored.numInsertedOrUpdatedRows ?? 0n) === 0) throw new IdempotencyRace()
      }
      // Read back in the transaction: the writer has these pages cached; the reader would fetch them again.
      return { ticket: await findTicketById(trx, ticketId), replayed: false }
    })

  let result: Awaited<ReturnType<typeof run>>
  try {
    result = await run()
  } catch (error) {
    if (!(error instanceof IdempotencyRace)) throw error
    result = await run()
  }
  const { ticket } = result
  if (!ticket)
    throw new AppError('unavailable', 'not_visible_yet', 'The ticket was saved but could not be read back.')
  return { ticket, replayed: result.replayed }
}

const insertTicket = reusable((db, ticket: Insertable<DB['tickets']>) =>
  db.insertInto('tickets').values(ticket),
)

async function findIdempotent(trx: Kysely<DB>, userId: number, key: string) {
  const row = await trx
    .selectFrom('idempotency_keys')
    .select(['ticket_id', 'request_hash'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst()
  return row && { ticketId: row.ticket_id, requestHash: row.request_hash }
}

const keyReused = () =>
  new AppError(
    'unprocessable',
    'idempotency_key_reused',
    'This Idempotency-Key was already used with a different request; use a new key for a new ticket.',
  )

/**
 * The request a key stands for: sha256 of the validated body with its object keys sorted, so the order of keys
 * and keys the schema drops do not make two requests differ, and every value that does make a difference does.
 */
function hashRequest(input: CreateTicket): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex')
}

/** Custom field values on a new ticket: the topic's form fields that are required-on-create must be given. */
/** `setter` may set the field (a trusted intake sets any, like an agent); `who` decides what is required. */
function acceptFields(
  app: App,
  input: Record<string, unknown>,
  setter: 'agent' | 'customer',
  who: 'agent' | 'customer',
  topic: { fields: string } | undefined,
): FieldValues {
  const defs = app.fields.all()
  // A field is required through a topic's form; without a topic no custom field is required.
  const form = topic ? (JSON.parse(topic.fields) as string[]) : []
  const required = defs
    .filter((d) => d.requiredOnCreate && form.includes(d.key) && (who === 'agent' || d.clientVisible))
    .map((d) => d.key)
  try {
    return acceptValues(defs, input, setter, {}, required)
  } catch (error) {
    if (error instanceof FieldProblem) throw badRequest('invalid_fields', error.message)
    throw error
  }
}

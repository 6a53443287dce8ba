// Time tracking (issue 16): agents log minutes on a ticket, alone or with the reply or note they wrote, and
// change or remove their own entries (admins anyone's). Logging needs ticket.edit on the ticket, as the ticket
// policy grants it; for customers the ticket's time does not exist (404, like a ticket they may not see).
import { entryIsOnTicket } from '../repositories/threadRepo.ts'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { badRequest, forbidden, notFound } from '../errors.ts'
import type { Actor, AgentActor } from '../policies/actor.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import type { TicketRow } from '../repositories/ticketRepo.ts'
import {
  deleteTimeEntry,
  findTimeEntry,
  insertTimeEntry,
  updateTimeEntry,
} from '../repositories/timeEntryRepo.ts'
import { id, text } from './fields.ts'
import { lockVisibleTicket, requireTicketEdit } from './ticketAccess.ts'
import { recordTicketChanges, ticketSummary, type Change } from './ticketWrites.ts'

/** One entry is at most a day's work; more is a typo (minutes for hours). */
export const MAX_MINUTES = 24 * 60

const minutes = z.number().int().min(1).max(MAX_MINUTES)
const note = text(1000, { min: 0 })

export const LogTime = z.object({
  minutes,
  note: note.optional(),
  billable: z.boolean().default(false),
  entryId: id.optional().describe('The reply or note of this ticket the time was spent on'),
})
export type LogTime = z.infer<typeof LogTime>

export const UpdateTime = z
  .object({ minutes: minutes.optional(), note: note.optional(), billable: z.boolean().optional() })
  .refine((u) => u.minutes !== undefined || u.note !== undefined || u.billable !== undefined, {
    message: 'Change at least one of minutes, note, billable',
  })
export type UpdateTime = z.infer<typeof UpdateTime>

interface Meta {
  channel: Channel
}

/** The ticket, locked, for an agent who may see it; customers are told it does not exist. */
async function lockForTime(app: App, trx: Kysely<DB>, actor: Actor, number: string) {
  if (actor.kind !== 'agent') throw notFound('ticket')
  const locked = await lockVisibleTicket(app, trx, actor, number)
  return { ...locked, agent: actor }
}

async function record(
  trx: Kysely<DB>,
  row: TicketRow,
  agent: AgentActor,
  meta: Meta,
  at: number,
  change: Change,
) {
  await recordTicketChanges(trx, {
    ticket: ticketSummary(row),
    actor: agent,
    channel: meta.channel,
    at,
    changes: [change],
    happenings: [],
  })
}

export async function logTime(app: App, actor: Actor, number: string, input: LogTime, meta: Meta) {
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const { row, facts, agent } = await lockForTime(app, trx, actor, number)
    requireTicketEdit(agent, facts, 'Logging time')
    if (input.entryId !== undefined) {
      if (!(await entryIsOnTicket(trx, row.id, input.entryId)))
        throw badRequest('unknown_entry', 'That entry is not on this ticket.')
    }
    const entryId = await insertTimeEntry(trx, {
      ticketId: row.id,
      agentId: agent.id,
      minutes: input.minutes,
      note: input.note ?? '',
      billable: input.billable,
      entryId: input.entryId ?? null,
      at,
    })
    await record(trx, row, agent, meta, at, {
      type: 'time.logged',
      after: { timeEntryId: entryId, minutes: input.minutes, billable: input.billable },
    })
    return (await findTimeEntry(trx, row.id, entryId))!
  })
}

/** The entry, for its author (with ticket.edit) or an admin who sees the ticket. */
async function ownEntry(app: App, trx: Kysely<DB>, actor: Actor, number: string, entryId: number) {
  const { row, facts, agent } = await lockForTime(app, trx, actor, number)
  const entry = await findTimeEntry(trx, row.id, entryId)
  if (!entry) throw notFound('time entry')
  if (!agent.isAdmin) {
    if (entry.agent_id !== agent.id) throw forbidden('You may change only your own time entries.')
    requireTicketEdit(agent, facts, 'Changing time')
  }
  return { row, agent, entry }
}

export async function changeTime(
  app: App,
  actor: Actor,
  number: string,
  entryId: number,
  input: UpdateTime,
  meta: Meta,
) {
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const { row, agent, entry } = await ownEntry(app, trx, actor, number, entryId)
    await updateTimeEntry(trx, entry.id, { ...input, at })
    const before = { minutes: entry.minutes, note: entry.note, billable: entry.billable === 1 }
    const after = { ...before, ...input }
    await record(trx, row, agent, meta, at, {
      type: 'time.updated',
      before: { timeEntryId: entry.id, ...before },
      after: { timeEntryId: entry.id, ...after },
    })
    return (await findTimeEntry(trx, row.id, entry.id))!
  })
}

export async function removeTime(app: App, actor: Actor, number: string, entryId: number, meta: Meta) {
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const { row, agent, entry } = await ownEntry(app, trx, actor, number, entryId)
    await deleteTimeEntry(trx, entry.id)
    await record(trx, row, agent, meta, at, {
      type: 'time.removed',
      before: { timeEntryId: entry.id, minutes: entry.minutes, billable: entry.billable === 1 },
    })
  })
}

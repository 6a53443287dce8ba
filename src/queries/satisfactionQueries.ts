// Reads of satisfaction: a ticket's surveys, the report per group, and the admin's per-department settings.
import type { App } from '../app.ts'
import { answerable } from '../commands/satisfaction.ts'
import { DEFAULT_QUESTION } from '../commands/satisfactionSurvey.ts'
import { requireAdmin } from '../commands/admin/adminWrites.ts'
import { notFound } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { ticketScope } from '../policies/ticketPolicy.ts'
import { listSettings, satisfactionByGroup, surveysOfTicket } from '../repositories/satisfactionRepo.ts'
import { reportRange, type ReportQuery } from './reportRange.ts'
import { findVisibleTicket } from './ticketQueries.ts'

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * A ticket's surveys as the reader may see them: every one for agents who see the ticket; for its requester the
 * latest one (collaborators none: the survey is the requester's).
 */
export async function ticketSatisfaction(app: App, actor: Actor, number: string) {
  const row = await findVisibleTicket(app, actor, number)
  if (!row) throw notFound('ticket')
  const now = app.clock.now()
  const isRequester = actor.kind === 'customer' && row.requester_id === actor.id
  const all = actor.kind === 'agent' || isRequester ? await surveysOfTicket(app.db.read, row.id) : []
  const surveys = actor.kind === 'agent' ? all : all.slice(0, 1)
  return {
    items: surveys.map((s) => ({
      id: s.id,
      question: s.question,
      askedAt: iso(s.asked_at),
      changeableUntil: iso(s.expires_at),
      open: answerable(s, now),
      rating: s.rating,
      comment: s.comment,
      ratedAt: s.rated_at === null ? null : iso(s.rated_at),
      channel: s.rated_channel,
      agent:
        actor.kind === 'agent' && s.agent_id !== null ? { id: s.agent_id, name: s.agent_name ?? '' } : null,
    })),
    canAnswer: isRequester,
  }
}

/** Good and bad answers per group over the surveys asked in the period, within the reader's ticket scope. */
export async function satisfactionReport(app: App, actor: Actor, q: ReportQuery) {
  const range = reportRange(q, app.clock.now())
  const rows = await satisfactionByGroup(app.db.read, ticketScope(actor), range, q.groupBy)
  const withScore = <T extends { asked: number; good: number; bad: number }>(r: T) => ({
    ...r,
    answered: r.good + r.bad,
    /** Share of good answers among the answers, in percent (null without answers). */
    score: r.good + r.bad === 0 ? null : Math.round((1000 * r.good) / (r.good + r.bad)) / 10,
  })
  const totals = rows.reduce(
    (t, r) => ({ asked: t.asked + r.asked, good: t.good + r.good, bad: t.bad + r.bad }),
    {
      asked: 0,
      good: 0,
      bad: 0,
    },
  )
  return {
    from: iso(range.from),
    to: iso(range.to),
    groupBy: q.groupBy,
    rows: rows
      .map(withScore)
      .sort((a, b) => b.asked - a.asked || (a.key?.name ?? '').localeCompare(b.key?.name ?? '')),
    totals: withScore(totals),
  }
}

/** Every department with whether it asks for satisfaction, and its question. */
export async function satisfactionSettings(app: App, actor: Actor) {
  requireAdmin(actor)
  const rows = await listSettings(app.db.read)
  return rows.map((r) => ({
    departmentId: r.id,
    department: r.name,
    enabled: r.enabled === 1,
    question: r.question ?? DEFAULT_QUESTION,
  }))
}

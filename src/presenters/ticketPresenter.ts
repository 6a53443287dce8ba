import { z } from 'zod'
import {
  ENTRY_KINDS,
  PRIORITIES,
  STATUS_CATEGORIES,
  SOURCES,
  type StatusCategory,
} from '../domain/tickets.ts'
import type { Actor } from '../policies/actor.ts'
import type { TicketListRow } from '../repositories/ticketRepo.ts'
import type { ThreadEntryRow } from '../repositories/threadRepo.ts'
import type { StatusCatalog } from '../statusCatalog.ts'
import { visibleValues, type FieldDef, type FieldValues } from '../domain/customFields.ts'
import { parseClock, SLA_STATES } from '../domain/slaClock.ts'
import type { AttachmentRow } from '../repositories/attachmentRepo.ts'
import { AttachmentOut, attachmentsByEntry } from './attachmentPresenter.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const ref = z.object({ id: z.number(), name: z.string() })

export const TicketOut = z.object({
  number: z.string(),
  subject: z.string(),
  status: z.string(),
  statusName: z.string(),
  statusCategory: z.enum(STATUS_CATEGORIES),
  priority: z.enum(PRIORITIES),
  source: z.enum(SOURCES),
  version: z.number(),
  departmentId: z.number(),
  department: ref,
  assigneeAgentId: z.number().nullable(),
  assigneeAgent: ref.nullable(),
  assigneeTeamId: z.number().nullable(),
  assigneeTeam: ref.nullable(),
  requester: z.object({ id: z.number(), name: z.string(), email: z.string() }),
  followUpOf: z.string().nullable().describe('Number of the closed ticket this one follows up'),
  mergedInto: z
    .string()
    .nullable()
    .describe('Number of the ticket this one was merged into (it is closed; its thread lives there)'),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  lastActivityAt: z.string(),
  sla: z
    .object({
      plan: ref.nullable(),
      firstResponseDueAt: z.string().nullable(),
      nextResponseDueAt: z.string().nullable(),
      resolutionDueAt: z.string().nullable(),
      firstRespondedAt: z.string().nullable(),
      finishedAt: z
        .string()
        .nullable()
        .describe(
          'When the ticket was resolved or closed and its clock stopped (null while it runs); state then says ' +
            'whether the SLA was met (ok) or missed (breached)',
        ),
      state: z
        .enum(SLA_STATES)
        .nullable()
        .describe('ok, at_risk (<25% of the time left), breached or paused'),
    })
    .nullable()
    .describe(
      'Service level: due times of the running targets, counted in the plan’s hours. Agents only: null for customers',
    ),
  snoozedUntil: z.string().nullable().describe('A pending ticket returns to open at this time'),
  topic: ref.nullable(),
  customFields: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .describe('Custom field values the viewer may see, by field key'),
  tags: z.array(z.string()).describe('In alphabetical order. Agents only: empty for customers'),
})
export type TicketOut = z.infer<typeof TicketOut>

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

/**
 * `fields` lists the custom field definitions and who is looking; without it no custom field is shown, so a
 * caller that forgets cannot leak an agent-only field to a customer.
 */
export function presentTicket(
  row: TicketListRow,
  statuses: StatusCatalog,
  fields?: { defs: readonly FieldDef[]; viewer: 'agent' | 'customer' },
): TicketOut {
  const status = statuses.get(row.status)
  return {
    number: row.number,
    subject: row.subject,
    status: row.status,
    statusName: status?.name ?? row.status,
    statusCategory: statuses.categoryOf(row.status),
    priority: row.priority as TicketOut['priority'],
    source: row.source as TicketOut['source'],
    version: row.version,
    departmentId: row.department_id,
    department: { id: row.department_id, name: row.department_name },
    assigneeAgentId: row.assignee_agent_id,
    assigneeAgent:
      row.assignee_agent_id === null
        ? null
        : { id: row.assignee_agent_id, name: row.assignee_agent_name ?? '' },
    assigneeTeamId: row.assignee_team_id,
    assigneeTeam:
      row.assignee_team_id === null ? null : { id: row.assignee_team_id, name: row.assignee_team_name ?? '' },
    requester: { id: row.requester_id, name: row.requester_name, email: row.requester_email },
    followUpOf: row.follow_up_of_number,
    mergedInto: row.merged_into_number,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    closedAt: row.closed_at === null ? null : iso(row.closed_at),
    lastActivityAt: iso(row.last_activity_at),
    sla:
      fields?.viewer !== 'agent'
        ? null
        : {
            plan: row.sla_plan_id === null ? null : { id: row.sla_plan_id, name: row.sla_plan_name ?? '' },
            firstResponseDueAt: isoOrNull(row.sla_first_response_due_at),
            nextResponseDueAt: isoOrNull(row.sla_next_response_due_at),
            resolutionDueAt: isoOrNull(row.sla_resolution_due_at),
            firstRespondedAt: isoOrNull(row.sla_first_responded_at),
            finishedAt: isoOrNull(slaFinishedAt(row, status?.category)),
            state: row.sla_state,
          },
    snoozedUntil: isoOrNull(row.snoozed_until),
    topic: row.topic_id === null ? null : { id: row.topic_id, name: row.topic_name ?? '' },
    customFields: fields
      ? visibleValues(fields.defs, JSON.parse(row.custom_fields) as FieldValues, fields.viewer)
      : {},
    // Tags are the agents' own filing: customers never see them (the detail view's `tags` said so already).
    tags: fields?.viewer === 'agent' ? row.tags : [],
  }
}

/** When a resolved or closed ticket's SLA clock stopped: the last time one of its targets was met. */
function slaFinishedAt(row: TicketListRow, category: StatusCategory | undefined): number | null {
  if ((category !== 'resolved' && category !== 'closed') || row.sla_plan_id === null) return null
  const clock = parseClock(row.sla_clock)
  if (!clock) return null
  let at: number | null = null
  for (const t of Object.values(clock.targets))
    if (t?.metAt != null && (at === null || t.metAt > at)) at = t.metAt
  return at
}

export const ThreadEntryOut = z.object({
  id: z.number(),
  kind: z.enum(ENTRY_KINDS),
  body: z.string().describe('Plain text (the text copy when the entry is formatted)'),
  bodyHtml: z
    .string()
    .nullable()
    .describe(
      'Sanitised HTML of a formatted entry (written in the composer or received by mail), or null. Remote ' +
        'images carry their address in data-remote-src, not src: render it sandboxed (see docs/web.md).',
    ),
  author: z.object({ id: z.number(), name: z.string(), type: z.enum(['agent', 'customer']) }),
  createdAt: z.string(),
  originTicket: z
    .string()
    .nullable()
    .describe('The number of the ticket the entry was written on, when a merge brought it here'),
  unverifiedSender: z
    .boolean()
    .optional()
    .describe(
      'Agents only: the entry came by email and nothing vouched for its From address (no signed Message-ID ' +
        'of ours for that person, no trusted Authentication-Results pass). Never sent to customers.',
    ),
  attachments: z.array(AttachmentOut),
})

/** Customers are given no internal notes; the query already left them out, and this is the second lock. */
export function presentThread(
  rows: ThreadEntryRow[],
  viewer: Actor,
  files?: { ticketNumber: string; rows: readonly AttachmentRow[] },
): z.infer<typeof ThreadEntryOut>[] {
  const byEntry = files
    ? attachmentsByEntry(files.ticketNumber, files.rows)
    : new Map<number, AttachmentOut[]>()
  return rows
    .filter((r) => viewer.kind === 'agent' || r.kind !== 'note')
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      body: r.body,
      bodyHtml: r.html,
      author: { id: r.author_id, name: r.author_name, type: r.author_type },
      createdAt: iso(r.created_at),
      originTicket: r.origin_number,
      // Entries stored before the check existed (null) are not flagged: we cannot say either way.
      ...(viewer.kind === 'agent' && r.emailed ? { unverifiedSender: r.sender_verified === 0 } : {}),
      attachments: byEntry.get(r.id) ?? [],
    }))
}

export const iso8601 = iso

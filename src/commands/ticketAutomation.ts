// The automation step that every ticket command (and the sweeps) runs inside its own transaction, after its
// own writes and before it records events: rules, then fair auto-assignment, then the SLA clock. Running in
// the same transaction means a rule's change, an assignment and the recomputed due times commit together
// with the change that caused them, or not at all.
//
// Loop guard: rules run once per command, for the command's event only. Changes made by rule actions never
// trigger rules again (not even ticket.updated ones), so no rule can trigger itself or another in a cycle.
import type { Kysely, Selectable } from 'kysely'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { chooseAssignee } from '../domain/assignment.ts'
import { renderTemplate } from '../domain/cannedTemplate.ts'
import { missingToClose, type FieldValues } from '../domain/customFields.ts'
import { normalizeTag } from '../domain/tags.ts'
import { ruleMatches, type Rule, type RuleAction, type RuleEvent, type RuleSubject } from '../domain/rules.ts'
import { advanceClock, columnsOf, parseClock } from '../domain/slaClock.ts'
import { ACTIVE_CATEGORIES, isFinished, PRIORITIES, type Priority } from '../domain/tickets.ts'
import { AppError, badRequest } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { canBeAssignedIn } from '../policies/ticketPolicy.ts'
import { isAvailable, lockAvailableAgents, markAssigned, openLoads } from '../repositories/assignmentRepo.ts'
import { findCanned, systemUserId } from '../repositories/automationRepo.ts'
import { addTags } from '../repositories/tagRepo.ts'
import { openTasksOfTicket } from '../repositories/taskRepo.ts'
import type { RoutingSnapshot } from '../routingConfig.ts'
import { findTeam } from '../repositories/directoryRepo.ts'
import type { Channel } from '../repositories/eventRepo.ts'
import { insertEntry } from '../repositories/threadRepo.ts'
import { insertNotifications } from '../repositories/notificationRepo.ts'
import { askSatisfaction } from './satisfactionSurvey.ts'
import { departmentIdsOfAgent, findUserById } from '../repositories/userRepo.ts'
import type { Happening } from './ticketNotifications.ts'
import type { Change } from './ticketWrites.ts'

export interface AutomationInput {
  ticketId: number
  /** The rules to run; null runs none (agent replies, notes, sweeps). */
  event: RuleEvent | null
  actor: Actor | null
  channel: Channel
  at: number
  /** The message that came with the change (its body is what `body` conditions test). */
  messageBody?: string | undefined
  /** The status before the command; null for a new ticket. */
  statusBefore: string | null
  created?: boolean
  /** The command moved the ticket to another department. */
  transferred?: boolean
  customerMessage?: boolean
  agentResponse?: boolean
  /** The configuration the command already read in this transaction. */
  routing?: RoutingSnapshot
  /** The rating a requester just gave (the `satisfaction.rated` event). */
  satisfaction?: 'good' | 'bad'
}

export interface AutomationResult {
  changes: Change[]
  happenings: Happening[]
  /** The ticket's routing after automation, for the command's notifications. */
  ticket: {
    departmentId: number
    assigneeAgentId: number | null
    assigneeTeamId: number | null
    priority: string
    status: string
  }
}

/** The ticket as automation sees it: its row with the names that rules test. */
export type AutomationTicket = Awaited<ReturnType<typeof loadTicket>>

async function loadTicket(trx: Kysely<DB>, id: number) {
  return trx
    .selectFrom('tickets')
    .innerJoin('users as r', 'r.id', 'tickets.requester_id')
    .innerJoin('departments as d', 'd.id', 'tickets.department_id')
    .leftJoin('help_topics as ht', 'ht.id', 'tickets.topic_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.subject',
      'tickets.priority',
      'tickets.status',
      'tickets.department_id',
      'tickets.assignee_agent_id',
      'tickets.assignee_team_id',
      'tickets.requester_id',
      'tickets.closed_at',
      'tickets.topic_id',
      'tickets.version',
      'tickets.sla_plan_id',
      'tickets.sla_plan_source',
      'tickets.sla_clock',
      'tickets.sla_first_responded_at',
      'tickets.sla_first_response_due_at',
      'tickets.sla_next_response_due_at',
      'tickets.sla_resolution_due_at',
      'tickets.sla_state',
      'tickets.sla_alert_at',
      'tickets.snoozed_until',
      'tickets.custom_fields',
      'r.email as requester_email',
      'r.name as requester_name',
      'd.name as department_name',
      'ht.name as topic_name',
      'ht.sla_plan_id as topic_plan_id',
    ])
    .where('tickets.id', '=', id)
    .executeTakeFirstOrThrow()
}

/** Runs automation on a stored ticket and writes what it decided. */
export async function runAutomation(
  app: App,
  trx: Kysely<DB>,
  input: AutomationInput,
): Promise<AutomationResult> {
  const row = await loadTicket(trx, input.ticketId)
  const decided = await automate(app, trx, row, input)
  await trx.updateTable('tickets').set(decided.columns).where('id', '=', row.id).execute()
  await decided.writeRelated()
  return decided
}

export interface Automated extends AutomationResult {
  /** The ticket columns automation decided: an UPDATE for a stored ticket, part of the INSERT for a new one. */
  columns: Pick<
    Selectable<DB['tickets']>,
    | 'priority'
    | 'status'
    | 'closed_at'
    | 'department_id'
    | 'assignee_agent_id'
    | 'assignee_team_id'
    | 'sla_plan_id'
    | 'sla_plan_source'
    | 'sla_clock'
    | 'sla_first_response_due_at'
    | 'sla_next_response_due_at'
    | 'sla_resolution_due_at'
    | 'sla_state'
    | 'sla_alert_at'
    | 'sla_first_responded_at'
    | 'snoozed_until'
  > & { version?: number; updated_at?: number }
  /** Rows that hang off the ticket (tags, followers, an automatic reply); run once the ticket row exists. */
  writeRelated(): Promise<void>
}

/**
 * Decides rules, assignment and the SLA clock for `row` without writing the ticket itself, so a new ticket
 * is inserted once with its final values rather than inserted and then updated.
 */
export async function automate(
  app: App,
  trx: Kysely<DB>,
  row: AutomationTicket,
  input: AutomationInput,
): Promise<Automated> {
  const { at } = input
  const routing = input.routing ?? (await app.routing.current(trx))
  const related: (() => Promise<void>)[] = []
  const draft = {
    priority: row.priority,
    status: row.status,
    closed_at: row.closed_at,
    department_id: row.department_id,
    department_name: row.department_name,
    assignee_agent_id: row.assignee_agent_id,
    assignee_team_id: row.assignee_team_id,
    sla_plan_id: row.sla_plan_id,
    sla_plan_source: row.sla_plan_source,
  }
  const changes: Change[] = []
  const happenings: Happening[] = []
  const fields = JSON.parse(row.custom_fields) as FieldValues
  let transferred = input.transferred ?? false

  // 1. Rules.
  if (input.event !== null) {
    const rules = routing.rules(input.event)
    for (const rule of rules) {
      const subject: RuleSubject = {
        subject: row.subject,
        body: input.messageBody ?? '',
        requesterEmail: row.requester_email,
        channel: input.channel,
        priority: draft.priority,
        status: draft.status,
        department: { id: draft.department_id, name: draft.department_name },
        topic: row.topic_id === null ? null : { id: row.topic_id, name: row.topic_name ?? '' },
        fields,
        satisfaction: input.satisfaction,
      }
      if (!ruleMatches(rule, subject)) continue
      const applied: string[] = []
      for (const action of rule.actions) {
        const did = await applyAction(app, trx, rule, action)
        if (did) applied.push(did)
      }
      changes.push({ type: 'rule.fired', after: { ruleId: rule.id, rule: rule.name, actions: applied } })
      if (rule.stopProcessing) break
    }
  }

  async function applyAction(app: App, trx: Kysely<DB>, rule: Rule, action: RuleAction) {
    const v = action.value
    const by = { ruleId: rule.id }
    /** An action that names someone who cannot take the work (disabled since the rule was saved) is an event. */
    const skipped = (a: RuleAction, after: Record<string, unknown>) => {
      changes.push({ type: 'rule.action_skipped', after: { ...by, action: a.type, ...after } })
      return null
    }
    switch (action.type) {
      case 'reject':
        throw new AppError('forbidden', 'rejected', 'This request was refused.')
      case 'set_priority': {
        if (!PRIORITIES.includes(v as Priority) || v === draft.priority) return null
        changes.push({
          type: 'ticket.priority_changed',
          before: { priority: draft.priority },
          after: { priority: v, ...by },
        })
        draft.priority = v as Priority
        return `priority=${String(v)}`
      }
      case 'set_status': {
        const next = app.statuses.get(String(v))
        if (!next || next.key === draft.status) return null
        const finishes = isFinished(next.category)
        // A rule never resolves or closes past open tasks (only an agent may, with force).
        if (finishes && (await openTasksOfTicket(trx, row.id)).length > 0)
          return skipped(action, { reason: 'open_tasks' })
        if (finishes !== isFinished(app.statuses.categoryOf(draft.status)) || finishes)
          draft.closed_at = finishes ? at : null
        changes.push({
          type: 'ticket.status_changed',
          before: { status: draft.status },
          after: { status: next.key, ...by },
        })
        draft.status = next.key
        return `status=${next.key}`
      }
      case 'set_department': {
        const department = routing.department(Number(v))
        if (!department || department.is_active !== 1 || department.id === draft.department_id) return null
        changes.push({
          type: 'ticket.transferred',
          before: { departmentId: draft.department_id },
          after: { departmentId: department.id, ...by },
        })
        draft.department_id = department.id
        draft.department_name = department.name
        transferred = true
        if (draft.assignee_agent_id !== null) {
          const ids = await departmentIdsOfAgent(trx, draft.assignee_agent_id)
          if (!canBeAssignedIn({ departmentIds: ids }, department.id)) {
            changes.push({
              type: 'ticket.released',
              before: { assigneeAgentId: draft.assignee_agent_id },
              after: { assigneeAgentId: null, ...by },
            })
            draft.assignee_agent_id = null
          }
        }
        happenings.push({ kind: 'transferred', departmentName: department.name })
        return `department=${department.id}`
      }
      case 'set_team': {
        const team = await findTeam(trx, Number(v))
        if (!team || team.is_active !== 1 || team.id === draft.assignee_team_id) return null
        changes.push({
          type: 'ticket.team_assigned',
          before: { assigneeTeamId: draft.assignee_team_id },
          after: { assigneeTeamId: team.id, ...by },
        })
        draft.assignee_team_id = team.id
        return `team=${team.id}`
      }
      case 'set_assignee': {
        const agent = await findUserById(trx, Number(v))
        if (!agent || agent.type !== 'agent' || agent.id === draft.assignee_agent_id) return null
        if (agent.is_active !== 1) return skipped(action, { agentId: agent.id, reason: 'agent_disabled' })
        const ids = await departmentIdsOfAgent(trx, agent.id)
        if (!canBeAssignedIn({ departmentIds: ids }, draft.department_id))
          return skipped(action, { agentId: agent.id, reason: 'not_in_department' })
        changes.push({
          type: 'ticket.assigned',
          before: { assigneeAgentId: draft.assignee_agent_id },
          after: { assigneeAgentId: agent.id, ...by },
        })
        draft.assignee_agent_id = agent.id
        happenings.push({ kind: 'assigned' })
        return `assignee=${agent.id}`
      }
      case 'set_sla_plan': {
        const plan = routing.plan(Number(v))
        if (!plan) return null
        draft.sla_plan_id = plan.id
        draft.sla_plan_source = 'rule'
        return `sla_plan=${plan.id}`
      }
      case 'add_tag': {
        const tag = normalizeTag(String(v ?? ''))
        if (tag === '') return null
        related.push(() => addTags(trx, row.id, [tag]))
        changes.push({ type: 'ticket.tagged', after: { tag, ...by } })
        return `tag=${tag}`
      }
      case 'add_follower': {
        const agent = await findUserById(trx, Number(v))
        if (!agent || agent.type !== 'agent') return null
        if (agent.is_active !== 1) return skipped(action, { agentId: agent.id, reason: 'agent_disabled' })
        related.push(async () => {
          await trx
            .insertInto('ticket_followers')
            .values({ ticket_id: row.id, agent_id: agent.id, created_at: at })
            .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doNothing())
            .execute()
        })
        changes.push({ type: 'ticket.followed', after: { agentId: agent.id, ...by } })
        return `follower=${agent.id}`
      }
      case 'notify_agent': {
        const agent = await findUserById(trx, Number(v))
        if (!agent || agent.type !== 'agent') return null
        if (agent.is_active !== 1) return skipped(action, { agentId: agent.id, reason: 'agent_disabled' })
        const text = `Rule “${rule.name}” on #${row.number} “${row.subject.slice(0, 80)}”`
        related.push(() =>
          insertNotifications(trx, [{ userId: agent.id, ticketId: row.id, kind: 'rule', text }], at),
        )
        return `notify=${agent.id}`
      }
      case 'send_canned_reply': {
        const canned = await findCanned(trx, Number(v))
        if (!canned) return null
        const body = renderTemplate(canned.body, {
          'ticket.number': row.number,
          'ticket.subject': row.subject,
          'ticket.status': app.statuses.get(draft.status)?.name ?? draft.status,
          'ticket.priority': draft.priority,
          'requester.name': row.requester_name,
          'requester.email': row.requester_email,
          'department.name': draft.department_name,
        })
        related.push(async () => {
          const authorId = await systemUserId(trx, at)
          const entryId = await insertEntry(trx, { ticketId: row.id, kind: 'response', body, authorId, at })
          await app.db.indexForSearch(trx, [{ ticketId: row.id, entryId, content: body, internal: false }])
          // An automatic reply is not a response by a person, so it does not stop the first-response clock.
          changes.push({ type: 'response.added', after: { entryId, cannedResponseId: canned.id, ...by } })
        })
        return `canned_reply=${canned.id}`
      }
    }
  }

  const categoryBefore = input.statusBefore === null ? null : app.statuses.categoryOf(input.statusBefore)
  const category = app.statuses.categoryOf(draft.status)
  const reopened = categoryBefore !== null && isFinished(categoryBefore) && !isFinished(category)

  // 2. Required-to-close fields, when a person (not a rule or a sweep) resolves or closes the ticket.
  const closedByPerson =
    input.actor !== null && isFinished(app.statuses.categoryOf(row.status)) && categoryBefore !== null
  if (closedByPerson && !isFinished(categoryBefore)) {
    const missing = missingToClose(app.fields.all(), fields)
    if (missing.length > 0)
      throw badRequest(
        'fields_required_to_close',
        `Fill in these fields before resolving or closing: ${missing.join(', ')}.`,
      )
  }

  // 3. Auto-assignment: on arrival, on transfer, and on reopening when the assignee can no longer take it.
  if (reopened && draft.assignee_agent_id !== null && !(await isAvailable(trx, draft.assignee_agent_id))) {
    changes.push({
      type: 'ticket.released',
      before: { assigneeAgentId: draft.assignee_agent_id },
      after: { assigneeAgentId: null, reason: 'unavailable' },
    })
    draft.assignee_agent_id = null
  }
  if (
    (input.created || transferred || reopened) &&
    draft.assignee_agent_id === null &&
    draft.assignee_team_id === null &&
    !isFinished(category)
  ) {
    const chosen = await autoAssign(app, trx, draft.department_id, at, routing)
    if (chosen !== undefined) {
      changes.push({
        type: 'ticket.assigned',
        before: { assigneeAgentId: null },
        after: { assigneeAgentId: chosen, auto: true },
      })
      draft.assignee_agent_id = chosen
      happenings.push({ kind: 'assigned' })
    }
  }

  // 4. The SLA plan (rule > help topic > department > system default) and its clock.
  let planId: number | null = draft.sla_plan_source === 'rule' ? draft.sla_plan_id : null
  let source = draft.sla_plan_source
  if (planId === null) {
    const department = routing.department(draft.department_id)
    if (row.topic_plan_id !== null) [planId, source] = [row.topic_plan_id, 'topic']
    else if (department?.sla_plan_id != null) [planId, source] = [department.sla_plan_id, 'department']
    else {
      planId = routing.defaultPlanId()
      source = planId === null ? null : 'default'
    }
  }
  const plan = planId === null ? undefined : routing.plan(planId)
  if ((plan?.id ?? null) !== row.sla_plan_id) {
    changes.push({
      type: 'sla.plan_changed',
      before: { planId: row.sla_plan_id },
      after: { planId: plan?.id ?? null, source },
    })
  }
  const clock = advanceClock(parseClock(row.sla_clock), {
    plan: plan ?? null,
    priority: draft.priority as Priority,
    category,
    customerMessage: input.customerMessage ?? false,
    agentResponse: input.agentResponse ?? false,
    created: input.created ?? false,
    reopened,
    firstRespondedAt: row.sla_first_responded_at,
    at,
  })
  const cols = columnsOf(clock, at)

  // 5. "How did we do?": each time a person or a rule finishes the ticket (not the auto-close of a resolved one).
  if (categoryBefore !== null && !isFinished(categoryBefore) && isFinished(category)) {
    related.push(async () => {
      const asked = await askSatisfaction(trx, {
        ticketId: row.id,
        number: row.number,
        subject: row.subject,
        requesterId: row.requester_id,
        departmentId: draft.department_id,
        agentId: draft.assignee_agent_id,
        teamId: draft.assignee_team_id,
        at,
      })
      if (asked) changes.push(asked)
    })
  }
  const firstRespondedAt = row.sla_first_responded_at ?? (input.agentResponse ? at : null)

  const routingChanged =
    draft.priority !== row.priority ||
    draft.status !== row.status ||
    draft.department_id !== row.department_id ||
    draft.assignee_agent_id !== row.assignee_agent_id ||
    draft.assignee_team_id !== row.assignee_team_id
  return {
    changes,
    happenings,
    ticket: {
      departmentId: draft.department_id,
      assigneeAgentId: draft.assignee_agent_id,
      assigneeTeamId: draft.assignee_team_id,
      priority: draft.priority,
      status: draft.status,
    },
    columns: {
      priority: draft.priority,
      status: draft.status,
      closed_at: draft.closed_at,
      department_id: draft.department_id,
      assignee_agent_id: draft.assignee_agent_id,
      assignee_team_id: draft.assignee_team_id,
      sla_plan_id: plan?.id ?? null,
      sla_plan_source: plan ? source : null,
      sla_clock: clock === null ? null : JSON.stringify(clock),
      sla_first_response_due_at: cols.firstResponseDueAt,
      sla_next_response_due_at: cols.nextResponseDueAt,
      sla_resolution_due_at: cols.resolutionDueAt,
      sla_state: cols.state,
      sla_alert_at: cols.alertAt,
      sla_first_responded_at: firstRespondedAt,
      // A snooze only means something while the ticket waits in a pending status.
      snoozed_until: category === 'pending' ? row.snoozed_until : null,
      ...(routingChanged && !input.created ? { version: row.version + 1, updated_at: at } : {}),
    },
    async writeRelated() {
      for (const write of related) await write()
    },
  }
}

/**
 * Picks an agent for a ticket in the department by its auto-assign mode, under a lock on the candidates'
 * rows (PostgreSQL) or the single writer (SQLite), so concurrent arrivals never push anyone past the cap.
 */
export async function autoAssign(
  app: App,
  trx: Kysely<DB>,
  departmentId: number,
  at: number,
  routing?: RoutingSnapshot,
): Promise<number | undefined> {
  const settings = (routing ?? (await app.routing.current(trx))).department(departmentId)
  if (!settings || settings.auto_assign === 'off') return undefined
  const since =
    settings.assign_signed_in_within_minutes === null
      ? null
      : at - settings.assign_signed_in_within_minutes * 60_000
  const candidates = await lockAvailableAgents(app.db.dialect, trx, departmentId, since, at)
  if (candidates.length === 0) return undefined
  const loads = await openLoads(
    trx,
    candidates.map((c) => c.id),
    app.statuses.keysIn(ACTIVE_CATEGORIES),
  )
  const chosen = chooseAssignee(
    settings.auto_assign,
    candidates.map((c) => ({ ...c, openTickets: loads.get(c.id) ?? 0 })),
    settings.max_open_per_agent,
  )
  // Strictly increasing, so two assignments in the same millisecond still take turns.
  const latest = Math.max(-1, ...candidates.map((c) => c.lastAssignedAt ?? -1))
  if (chosen !== undefined) await markAssigned(trx, chosen, Math.max(at, latest + 1))
  return chosen
}

// The SLA sweep: finds tickets whose stored alert time has passed (an indexed column), fires at-risk and
// breach for each target once, notifies the assignee and the department manager, and runs the plan's
// escalations. The "already fired" mark is stored in the ticket's clock in the same transaction as the
// events, so a sweep that crashes halfway, or runs again after a restart, never fires the same thing twice,
// and a breach that happened while the server was down is fired by the first sweep after it comes back.
import type { Kysely } from 'kysely'
import type { App } from '../app.ts'
import { autoAssign, runAutomation } from '../commands/ticketAutomation.ts'
import { recordSystemChangeSets, type SystemChangeSet } from '../commands/systemWrites.ts'
import type { Change } from '../commands/ticketWrites.ts'
import type { DB } from '../db/schema.ts'
import { updateSlaColumnsMany, type SlaColumnsUpdate } from '../db/dialect.ts'
import { columnsOf, fireDue, parseClock, type Firing } from '../domain/slaClock.ts'
import { PRIORITIES, type Priority } from '../domain/tickets.ts'
import { teamMemberIds } from '../repositories/directoryRepo.ts'
import type { NewNotification } from '../repositories/notificationRepo.ts'
import { claimSlaDue, type SweepRow } from '../repositories/sweepRepo.ts'
import { isAvailable } from '../repositories/assignmentRepo.ts'
import type { RoutingSnapshot } from '../routingConfig.ts'
import { canBeAssignedIn } from '../policies/ticketPolicy.ts'
import { departmentIdsOfAgent } from '../repositories/userRepo.ts'

const BATCH = 500

const TARGET_NAMES = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
} as const

export interface SweepResult {
  tickets: number
  firings: number
}

export async function runSlaSweep(app: App, options: { batch?: number } = {}): Promise<SweepResult> {
  const batch = options.batch ?? BATCH
  const total: SweepResult = { tickets: 0, firings: 0 }
  for (;;) {
    const result = await app.db.transact(async (trx) => {
      const now = app.clock.now()
      const rows = await claimSlaDue(app.db.dialect, trx, now, batch)
      const routing = await app.routing.current(trx)
      let firings = 0
      const sets: SystemChangeSet[] = []
      const updates: SlaColumnsUpdate[] = []
      for (const row of rows) {
        const swept = await sweepTicket(app, trx, row, now, routing)
        firings += swept.firings
        if (swept.set) sets.push(swept.set)
        if (swept.update) updates.push(swept.update)
      }
      await updateSlaColumnsMany(app.db.dialect, trx, updates)
      await recordSystemChangeSets(trx, sets, now)
      return { tickets: rows.length, firings }
    })
    total.tickets += result.tickets
    total.firings += result.firings
    if (result.tickets < batch) return total
  }
}

async function sweepTicket(
  app: App,
  trx: Kysely<DB>,
  row: SweepRow,
  now: number,
  routing: RoutingSnapshot,
): Promise<{ firings: number; set?: SystemChangeSet; update?: SlaColumnsUpdate }> {
  const stored = parseClock(row.sla_clock)
  if (!stored) {
    await trx.updateTable('tickets').set({ sla_alert_at: null }).where('id', '=', row.id).execute()
    return { firings: 0, update: { id: row.id, clock: null, state: null, alertAt: null } }
  }
  const { clock, firings } = fireDue(stored, now)
  const cols = columnsOf(clock, now)
  const plan = row.sla_plan_id === null ? undefined : routing.plan(row.sla_plan_id)
  const update: SlaColumnsUpdate = {
    id: row.id,
    clock: JSON.stringify(clock),
    state: cols.state,
    alertAt: cols.alertAt,
  }
  const escalates = firings.some((f) => plan?.escalations.some((e) => e.on === f.kind))
  // An escalation re-reads the ticket (to retime its clock), so its new clock must be stored first; the
  // rest are stored together at the end of the batch.
  if (escalates) await updateSlaColumnsMany(app.db.dialect, trx, [update])
  if (firings.length === 0) return { firings: 0, update }

  const department = routing.department(row.department_id)
  const changes: Change[] = []
  const notifications: NewNotification[] = []
  const ref = `#${row.number} “${row.subject.length > 60 ? `${row.subject.slice(0, 59)}…` : row.subject}”`
  const tell = (f: Firing, userId: number | null | undefined) => {
    if (userId === null || userId === undefined) return
    const what = TARGET_NAMES[f.target]
    notifications.push({
      userId,
      ticketId: row.id,
      kind: f.kind === 'breached' ? 'sla_breached' : 'sla_at_risk',
      text:
        f.kind === 'breached'
          ? `${ref} missed its ${what} target (due ${new Date(f.dueAt).toISOString()})`
          : `${ref} is at risk of missing its ${what} target (due ${new Date(f.dueAt).toISOString()})`,
    })
  }
  let priority = row.priority as Priority
  let assignee = row.assignee_agent_id
  for (const f of firings) {
    changes.push({ type: `sla.${f.kind}`, after: { target: f.target, dueAt: f.dueAt } })
    tell(f, row.assignee_agent_id)
    tell(f, department?.manager_id)
    for (const e of plan?.escalations ?? []) {
      if (e.on !== f.kind) continue
      switch (e.type) {
        case 'raise_priority': {
          const next = PRIORITIES[Math.min(PRIORITIES.indexOf(priority) + 1, PRIORITIES.length - 1)]!
          if (next === priority) break
          changes.push({
            type: 'ticket.priority_changed',
            before: { priority },
            after: { priority: next, escalation: f.kind },
          })
          priority = next
          break
        }
        case 'reassign': {
          const to = e.value ?? (await autoAssign(app, trx, row.department_id, now, routing))
          if (to === undefined || to === null || to === assignee) break
          // Only to an available member of the ticket's department, as for any assignment.
          const member = canBeAssignedIn(
            { departmentIds: await departmentIdsOfAgent(trx, to) },
            row.department_id,
          )
          if (!member || !(await isAvailable(trx, to))) {
            changes.push({ type: 'sla.escalation_skipped', after: { reassignTo: to, reason: 'unavailable' } })
            break
          }
          changes.push({
            type: 'ticket.assigned',
            before: { assigneeAgentId: assignee },
            after: { assigneeAgentId: to, escalation: f.kind },
          })
          assignee = to
          tell(f, to)
          break
        }
        case 'notify_team': {
          if (typeof e.value !== 'number') break
          for (const id of await teamMemberIds(trx, e.value)) tell(f, id)
          changes.push({ type: 'sla.escalated', after: { notifiedTeamId: e.value, on: f.kind } })
          break
        }
      }
    }
  }
  if (priority !== row.priority || assignee !== row.assignee_agent_id) {
    await trx
      .updateTable('tickets')
      .set({ priority, assignee_agent_id: assignee, version: row.version + 1, updated_at: now })
      .where('id', '=', row.id)
      .execute()
    // A new priority retimes the clock in the same transaction; deadlines already fired stay fired.
    const more = await runAutomation(app, trx, {
      ticketId: row.id,
      event: null,
      actor: null,
      channel: 'system',
      at: now,
      statusBefore: row.status,
    })
    changes.push(...more.changes)
  }
  return {
    firings: firings.length,
    set: { ticket: row, changes, notifications },
    ...(escalates ? {} : { update }),
  }
}

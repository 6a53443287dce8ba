// The SLA clock of one ticket, as pure functions over a small value that is stored as JSON on the ticket.
// Each target (first response, next response, resolution) has a start, a duration and the counted time spent
// paused; its due time is start + duration + paused, counted in the target's calendar. The sweep reads only
// the stored `alertAt` (an indexed column), so nothing is held in memory and a restart loses nothing.
import { addCountedTime, countedTimeBetween, type BusinessSchedule, type Calendar } from './businessTime.ts'
import type { Priority, StatusCategory } from './tickets.ts'

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution'] as const
export type SlaTarget = (typeof SLA_TARGETS)[number]
// The clock states and hours are defined once in src/shared/sla.ts (the web app imports them too).
import { SLA_STATES, type SlaState } from '../shared/sla.ts'
export { SLA_STATES, type SlaState }
import { type SlaHours as Hours } from '../shared/sla.ts'
export { type Hours }

/** At-risk begins when less than this share of the target's time is left. */
export const AT_RISK_SHARE = 0.25

export interface PriorityTargets {
  firstResponseMinutes: number | null
  nextResponseMinutes: number | null
  resolutionMinutes: number | null
  hours: Hours
}
export type PlanTargets = Record<Priority, PriorityTargets>

export interface SlaPlan {
  id: number
  name: string
  schedule: BusinessSchedule | null
  targets: PlanTargets
}

/** 0: nothing fired yet; 1: at-risk fired; 2: breach fired. */
export type Stage = 0 | 1 | 2

export interface TargetClock {
  startAt: number
  durationMs: number
  hours: Hours
  /** Counted time spent paused since the start, added back to the due time. */
  pausedMs: number
  dueAt: number
  riskAt: number
  stage: Stage
  /** When the target was met or stopped (a reply, a resolution); null while it runs. */
  metAt: number | null
}

export interface SlaClock {
  planId: number
  pausedAt: number | null
  targets: Partial<Record<SlaTarget, TargetClock>>
}

export function calendarOf(hours: Hours, schedule: BusinessSchedule | null): Calendar {
  return hours === 'business' && schedule ? { kind: 'business', schedule } : { kind: '24x7' }
}

function minutesFor(targets: PriorityTargets, target: SlaTarget): number | null {
  switch (target) {
    case 'first_response':
      return targets.firstResponseMinutes
    case 'next_response':
      return targets.nextResponseMinutes
    case 'resolution':
      return targets.resolutionMinutes
  }
}

function timed(t: TargetClock, schedule: BusinessSchedule | null): TargetClock {
  const calendar = calendarOf(t.hours, schedule)
  const dueAt = addCountedTime(calendar, t.startAt, t.durationMs + t.pausedMs)
  const riskAt = addCountedTime(
    calendar,
    t.startAt,
    Math.round(t.durationMs * (1 - AT_RISK_SHARE)) + t.pausedMs,
  )
  // A deadline moved later fires again; one unchanged or moved earlier keeps what it already fired, so a
  // priority raised on breach does not announce the same breach twice.
  let stage: Stage = 0
  if (t.stage >= 2 && dueAt <= t.dueAt) stage = 2
  else if (t.stage >= 1 && riskAt <= t.riskAt) stage = 1
  return { ...t, dueAt, riskAt, stage }
}

function start(plan: SlaPlan, priority: Priority, target: SlaTarget, at: number): TargetClock | undefined {
  const targets = plan.targets[priority]
  const minutes = minutesFor(targets, target)
  if (minutes === null || minutes <= 0) return undefined
  return timed(
    {
      startAt: at,
      durationMs: minutes * 60_000,
      hours: targets.hours,
      pausedMs: 0,
      dueAt: -1,
      riskAt: -1,
      stage: 0,
      metAt: null,
    },
    plan.schedule,
  )
}

const isActive = (t: TargetClock | undefined): t is TargetClock => t !== undefined && t.metAt === null

export interface SlaFacts {
  plan: SlaPlan | null
  priority: Priority
  category: StatusCategory
  /** What this change did to the thread. */
  customerMessage: boolean
  agentResponse: boolean
  /** The ticket was just created (or opened as a follow-up). */
  created: boolean
  /** The ticket came back from resolved/closed to an active category. */
  reopened: boolean
  /** First response already given before this change. */
  firstRespondedAt: number | null
  at: number
}

/** The clock after a change. Pure: the caller stores the result in the same transaction as the change. */
export function advanceClock(prev: SlaClock | null, f: SlaFacts): SlaClock | null {
  const { plan, at } = f
  if (!plan) return null
  const schedule = plan.schedule
  const finished = f.category === 'resolved' || f.category === 'closed'
  const paused = f.category === 'pending' || f.category === 'on_hold'
  let clock: SlaClock

  if (!prev || f.created) {
    const first = f.firstRespondedAt === null ? start(plan, f.priority, 'first_response', at) : undefined
    const resolution = start(plan, f.priority, 'resolution', at)
    clock = {
      planId: plan.id,
      pausedAt: null,
      targets: { ...(first ? { first_response: first } : {}), ...(resolution ? { resolution } : {}) },
    }
  } else {
    // A priority or plan change retimes each running target from its own start, keeping its paused time.
    clock = { ...prev, planId: plan.id, targets: { ...prev.targets } }
    const targets = plan.targets[f.priority]
    for (const key of SLA_TARGETS) {
      const t = clock.targets[key]
      if (!isActive(t)) continue
      const minutes = minutesFor(targets, key)
      if (minutes === null || minutes <= 0) delete clock.targets[key]
      else clock.targets[key] = timed({ ...t, durationMs: minutes * 60_000, hours: targets.hours }, schedule)
    }
    if (!clock.targets.resolution && !finished) {
      const resolution = start(plan, f.priority, 'resolution', at)
      if (resolution) clock.targets.resolution = resolution
    }
  }

  if (f.reopened) {
    const resolution = start(plan, f.priority, 'resolution', at)
    if (resolution) clock.targets.resolution = resolution
    else delete clock.targets.resolution
    clock.pausedAt = null
  }

  if (f.agentResponse) {
    for (const key of ['first_response', 'next_response'] as const) {
      const t = clock.targets[key]
      if (isActive(t)) clock.targets[key] = { ...t, metAt: at }
    }
  }
  const responded = f.firstRespondedAt !== null || f.agentResponse
  if (f.customerMessage && !f.created && responded && !isActive(clock.targets.next_response)) {
    const next = start(plan, f.priority, 'next_response', at)
    if (next) clock.targets.next_response = next
  }

  if (finished) {
    for (const key of SLA_TARGETS) {
      const t = clock.targets[key]
      if (isActive(t)) clock.targets[key] = { ...t, metAt: at }
    }
    clock.pausedAt = null
  } else if (paused && clock.pausedAt === null) {
    clock.pausedAt = at
  } else if (!paused && clock.pausedAt !== null) {
    clock = resume(clock, at, schedule)
  }
  return clock
}

function resume(clock: SlaClock, at: number, schedule: BusinessSchedule | null): SlaClock {
  const pausedAt = clock.pausedAt!
  const targets: SlaClock['targets'] = {}
  for (const key of SLA_TARGETS) {
    const t = clock.targets[key]
    if (!t) continue
    // A target already breached when the pause began stays breached; the others get the paused time back.
    if (!isActive(t) || t.dueAt <= pausedAt) {
      targets[key] = t
      continue
    }
    const pausedMs = countedTimeBetween(calendarOf(t.hours, schedule), pausedAt, at)
    targets[key] = timed({ ...t, pausedMs: t.pausedMs + pausedMs }, schedule)
  }
  return { ...clock, pausedAt: null, targets }
}

export interface SlaColumns {
  firstResponseDueAt: number | null
  nextResponseDueAt: number | null
  resolutionDueAt: number | null
  state: SlaState | null
  alertAt: number | null
}

/** What the ticket row stores, derived from the clock at `now`. */
export function columnsOf(clock: SlaClock | null, now: number): SlaColumns {
  if (!clock) {
    return {
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      resolutionDueAt: null,
      state: null,
      alertAt: null,
    }
  }
  const t = clock.targets
  const active = SLA_TARGETS.map((k) => t[k]).filter(isActive)
  let state: SlaState
  if (clock.pausedAt !== null) state = 'paused'
  else if (active.length === 0) {
    const missed = SLA_TARGETS.some((k) => {
      const x = t[k]
      return x !== undefined && x.metAt !== null && x.metAt > x.dueAt
    })
    state = missed ? 'breached' : 'ok'
  } else if (active.some((x) => x.dueAt <= now)) state = 'breached'
  else if (active.some((x) => x.riskAt <= now)) state = 'at_risk'
  else state = 'ok'
  let alertAt: number | null = null
  if (clock.pausedAt === null) {
    for (const x of active) {
      const next = x.stage === 0 ? x.riskAt : x.stage === 1 ? x.dueAt : null
      if (next !== null && (alertAt === null || next < alertAt)) alertAt = next
    }
  }
  return {
    firstResponseDueAt: t.first_response?.dueAt ?? null,
    nextResponseDueAt: isActive(t.next_response) ? t.next_response.dueAt : null,
    resolutionDueAt: t.resolution?.dueAt ?? null,
    state,
    alertAt,
  }
}

export interface Firing {
  target: SlaTarget
  kind: 'at_risk' | 'breached'
  dueAt: number
}

/**
 * The sweep's step: which targets crossed a threshold by `now` and have not fired yet, and the clock with
 * those marked as fired. Firing the same clock twice gives nothing the second time.
 */
export function fireDue(clock: SlaClock, now: number): { clock: SlaClock; firings: Firing[] } {
  if (clock.pausedAt !== null) return { clock, firings: [] }
  const firings: Firing[] = []
  const targets = { ...clock.targets }
  for (const key of SLA_TARGETS) {
    const t = targets[key]
    if (!isActive(t)) continue
    if (t.stage < 2 && t.dueAt <= now) {
      firings.push({ target: key, kind: 'breached', dueAt: t.dueAt })
      targets[key] = { ...t, stage: 2 }
    } else if (t.stage < 1 && t.riskAt <= now) {
      firings.push({ target: key, kind: 'at_risk', dueAt: t.dueAt })
      targets[key] = { ...t, stage: 1 }
    }
  }
  return { clock: { ...clock, targets }, firings }
}

export function parseClock(json: string | null): SlaClock | null {
  return json === null ? null : (JSON.parse(json) as SlaClock)
}

import { useEffect, useState } from 'react'
import type { SlaState } from '@shared/sla.ts'
import type { Ticket } from './api.ts'

type Sla = NonNullable<Ticket['sla']>

/** The current time, refreshed every minute so countdowns move on their own. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(id)
  }, [intervalMs])
  return now
}

/** "2 h 10 min", "3 d 4 h", "5 min", "less than a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000)
  if (minutes < 1) return 'less than a minute'
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const mins = minutes % 60
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`
  return `${mins} min`
}

/** The due time that matters now: the first response until it is made, then the earliest running target. */
export function nextDue(sla: Sla): string | null {
  const candidates = [
    sla.firstRespondedAt ? null : sla.firstResponseDueAt,
    sla.nextResponseDueAt,
    sla.resolutionDueAt,
  ]
  let best: string | null = null
  for (const c of candidates) if (c && (best === null || Date.parse(c) < Date.parse(best))) best = c
  return best
}

/** Readable SLA text: "Paused", "Due in 2 h 10 min", "Breached 25 min ago", or null without a plan. */
export function slaText(sla: Ticket['sla'], now: number): string | null {
  if (!sla?.plan) return null
  // A resolved or closed ticket has no countdown any more: only whether it was met.
  if (sla.finishedAt) return sla.state === 'breached' ? 'SLA missed' : 'SLA met'
  if (sla.state === 'paused') return 'SLA paused'
  const due = nextDue(sla)
  if (!due) return sla.state === 'breached' ? 'SLA breached' : null
  const left = Date.parse(due) - now
  if (left <= 0) return `SLA breached ${formatDuration(left)} ago`
  const prefix = sla.state === 'at_risk' ? 'At risk: due in' : 'Due in'
  return `${prefix} ${formatDuration(left)}`
}

/** The SLA state as of `now`: a due time that has passed is breached before the sweep marks it so. */
export function slaState(sla: Sla, now: number): SlaState {
  if (sla.finishedAt) return sla.state === 'breached' ? 'breached' : 'ok'
  const due = nextDue(sla)
  const breached =
    sla.state === 'breached' || (due !== null && sla.state !== 'paused' && Date.parse(due) <= now)
  return breached ? 'breached' : (sla.state ?? 'ok')
}

/** The SLA countdown as a text badge (the colour only repeats what the text says). */
export function SlaBadge({ sla, now }: { sla: Ticket['sla']; now: number }) {
  const text = slaText(sla, now)
  if (!text || !sla) return null
  const due = sla.finishedAt ? null : nextDue(sla)
  const state = slaState(sla, now)
  return (
    <span className={`sla sla-${state}`} title={due ? new Date(due).toLocaleString() : undefined}>
      {text}
    </span>
  )
}

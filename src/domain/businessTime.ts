// Business-time arithmetic: "4 business hours after Friday 16:00" and "how much business time lies between
// two instants", in a schedule's own time zone. Pure: no clock, no database. Luxon does the time-zone work,
// so DST gaps and overlaps follow the IANA database (a 08:00–17:00 day is 9 hours on either side of a change;
// an interval that crosses the change is counted in real elapsed time).
import { DateTime } from 'luxon'

// The weekdays are defined once in src/shared/sla.ts (the schedules screen imports them too).
import { WEEKDAYS, type Weekday } from '../shared/sla.ts'
export { WEEKDAYS, type Weekday }

/** One stretch of working time on a day, as local "HH:MM" (end may be "24:00"). */
export interface DayInterval {
  start: string
  end: string
}

export interface BusinessSchedule {
  /** IANA zone, e.g. Europe/London. */
  timeZone: string
  weekly: Partial<Record<Weekday, DayInterval[]>>
  /** Local dates (YYYY-MM-DD) with no working time at all. */
  holidays: string[]
}

/** How a target is counted: in a schedule's business hours, or around the clock. */
export type Calendar = { kind: '24x7' } | { kind: 'business'; schedule: BusinessSchedule }

/** No schedule has a year without working time, so a search further than this means a bad schedule. */
const MAX_DAYS = 3 * 366

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/

export function minutesOf(hhmm: string): number {
  if (!HHMM.test(hhmm)) throw new Error(`"${hhmm}" is not a time of day (HH:MM)`)
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return h * 60 + m
}

/** Problems with a schedule, for admin input validation; empty when it is usable. */
export function scheduleProblems(s: BusinessSchedule): string[] {
  const problems: string[] = []
  if (!DateTime.local().setZone(s.timeZone).isValid) problems.push(`unknown time zone "${s.timeZone}"`)
  let any = false
  for (const day of WEEKDAYS) {
    const intervals = [...(s.weekly[day] ?? [])]
    const spans: [number, number][] = []
    for (const i of intervals) {
      if (!HHMM.test(i.start) || !HHMM.test(i.end)) {
        problems.push(`${day}: times must be HH:MM`)
        continue
      }
      const a = minutesOf(i.start)
      const b = minutesOf(i.end)
      if (b <= a) problems.push(`${day}: ${i.start}–${i.end} ends before it starts`)
      else spans.push([a, b])
    }
    spans.sort((x, y) => x[0] - y[0])
    for (let k = 1; k < spans.length; k++)
      if (spans[k]![0] < spans[k - 1]![1]) problems.push(`${day}: intervals overlap`)
    if (spans.length > 0) any = true
  }
  if (!any) problems.push('the schedule has no working hours in the week')
  for (const h of s.holidays)
    if (!DateTime.fromISO(h, { zone: 'utc' }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(h))
      problems.push(`holiday "${h}" is not a date (YYYY-MM-DD)`)
  return problems
}

/** The working intervals of the local day that starts at `day` (a DateTime at local midnight), as epoch ms. */
function intervalsOn(s: BusinessSchedule, day: DateTime, holidays: Set<string>): [number, number][] {
  if (holidays.has(day.toISODate()!)) return []
  const weekday = WEEKDAYS[day.weekday - 1]!
  const out: [number, number][] = []
  for (const i of s.weekly[weekday] ?? []) {
    const at = (minutes: number) =>
      minutes === 24 * 60
        ? day.plus({ days: 1 }).toMillis()
        : day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis()
    const a = at(minutesOf(i.start))
    const b = at(minutesOf(i.end))
    if (b > a) out.push([a, b])
  }
  return out.sort((x, y) => x[0] - y[0])
}

interface Day {
  intervals: [number, number][]
  /** Epoch ms of the next local midnight. */
  next: number
}

// Luxon's zone arithmetic costs tens of microseconds a call, and every ticket change counts across the same
// few days, so each schedule's days are worked out once and kept (bounded; cleared when full).
const DAY_CACHE_MAX = 20_000
const dayCache = new Map<string, Day>()
const scheduleKeys = new WeakMap<BusinessSchedule, string>()

function keyOf(s: BusinessSchedule): string {
  let key = scheduleKeys.get(s)
  if (key === undefined) scheduleKeys.set(s, (key = JSON.stringify([s.timeZone, s.weekly, s.holidays])))
  return key
}

function dayAt(s: BusinessSchedule, startMs: number): Day {
  const key = `${keyOf(s)}|${startMs}`
  let day = dayCache.get(key)
  if (day === undefined) {
    const start = DateTime.fromMillis(startMs, { zone: s.timeZone })
    day = { intervals: intervalsOn(s, start, new Set(s.holidays)), next: start.plus({ days: 1 }).toMillis() }
    if (dayCache.size >= DAY_CACHE_MAX) dayCache.clear()
    dayCache.set(key, day)
  }
  return day
}

// Every UTC offset in use is a multiple of 15 minutes, so no local midnight falls inside a quarter hour of UTC:
// all instants of one quarter hour share their local day start, which makes it safe to memoise by quarter hour.
const QUARTER_HOUR_MS = 15 * 60_000
const dayStartCache = new Map<string, number>()

function localDayStart(s: BusinessSchedule, ms: number): number {
  const key = `${s.timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`
  let start = dayStartCache.get(key)
  if (start === undefined) {
    start = DateTime.fromMillis(ms, { zone: s.timeZone }).startOf('day').toMillis()
    if (dayStartCache.size >= DAY_CACHE_MAX) dayStartCache.clear()
    dayStartCache.set(key, start)
  }
  return start
}

/** The instant `durationMs` of counted time after `from`. A zero duration gives `from` back. */
export function addCountedTime(calendar: Calendar, from: number, durationMs: number): number {
  if (durationMs <= 0) return from
  if (calendar.kind === '24x7') return from + durationMs
  const s = calendar.schedule
  let remaining = durationMs
  let dayStart = localDayStart(s, from)
  for (let n = 0; n < MAX_DAYS; n++) {
    const day = dayAt(s, dayStart)
    for (const [a, b] of day.intervals) {
      const start = Math.max(a, from)
      if (start >= b) continue
      if (b - start >= remaining) return start + remaining
      remaining -= b - start
    }
    dayStart = day.next
  }
  throw new Error('the schedule has no working time within three years')
}

/** Counted time between two instants (0 when `to` is not after `from`). */
export function countedTimeBetween(calendar: Calendar, from: number, to: number): number {
  if (to <= from) return 0
  if (calendar.kind === '24x7') return to - from
  const s = calendar.schedule
  let total = 0
  let dayStart = localDayStart(s, from)
  while (dayStart < to) {
    const day = dayAt(s, dayStart)
    for (const [a, b] of day.intervals) {
      const start = Math.max(a, from)
      const end = Math.min(b, to)
      if (end > start) total += end - start
    }
    dayStart = day.next
  }
  return total
}

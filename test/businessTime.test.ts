// Business-time maths with fixed instants: weekends, holidays, DST changes and time zones.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addCountedTime,
  countedTimeBetween,
  scheduleProblems,
  type BusinessSchedule,
  type Calendar,
} from '../src/domain/businessTime.ts'

const H = 3_600_000
const M = 60_000
const weekdays = (start: string, end: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start, end }]]))
const office = (timeZone: string, holidays: string[] = []): Calendar => ({
  kind: 'business',
  schedule: { timeZone, weekly: weekdays('08:00', '17:00'), holidays },
})
const london = office('Europe/London', ['2026-12-25', '2026-12-28'])
const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

describe('addCountedTime', () => {
  it('counts around the clock for 24x7', () => {
    // Across the London spring-forward night: 3 real hours are 3 hours.
    expect(iso(addCountedTime({ kind: '24x7' }, at('2026-03-28T23:30:00Z'), 3 * H))).toBe(
      '2026-03-29T02:30:00.000Z',
    )
  })

  it('stays inside one working day', () => {
    // Tuesday 09:15 GMT + 4h = 13:15.
    expect(iso(addCountedTime(london, at('2026-11-24T09:15:00Z'), 4 * H))).toBe('2026-11-24T13:15:00.000Z')
  })

  it('carries over the weekend', () => {
    // Friday 16:00 + 4h: 1h on Friday, then 3h from Monday 08:00.
    expect(iso(addCountedTime(london, at('2026-11-27T16:00:00Z'), 4 * H))).toBe('2026-11-30T11:00:00.000Z')
  })

  it('starts at opening time when created at night or at the weekend', () => {
    expect(iso(addCountedTime(london, at('2026-11-30T06:00:00Z'), 30 * M))).toBe('2026-11-30T08:30:00.000Z')
    expect(iso(addCountedTime(london, at('2026-11-28T10:00:00Z'), 1 * H))).toBe('2026-11-30T09:00:00.000Z')
    expect(iso(addCountedTime(london, at('2026-11-24T18:00:00Z'), 1 * H))).toBe('2026-11-25T09:00:00.000Z')
  })

  it('ends exactly at closing time rather than at next opening', () => {
    expect(iso(addCountedTime(london, at('2026-11-24T16:00:00Z'), 1 * H))).toBe('2026-11-24T17:00:00.000Z')
  })

  it('skips holidays', () => {
    // Thursday 24 Dec 16:00 + 2h: 1h on Thursday; Fri 25 (holiday), weekend, Mon 28 (holiday); Tue 29 09:00.
    expect(iso(addCountedTime(london, at('2026-12-24T16:00:00Z'), 2 * H))).toBe('2026-12-29T09:00:00.000Z')
  })

  it('follows the clock change in spring (GMT to BST)', () => {
    // Friday 27 March 16:00 GMT + 2h: 1h on Friday, then Monday 30 March 08:00 BST (07:00Z) + 1h.
    expect(iso(addCountedTime(london, at('2026-03-27T16:00:00Z'), 2 * H))).toBe('2026-03-30T08:00:00.000Z')
  })

  it('follows the clock change in autumn (BST to GMT)', () => {
    // Friday 23 October 16:00 BST (15:00Z) + 2h: Monday 26 October 09:00 GMT.
    expect(iso(addCountedTime(london, at('2026-10-23T15:00:00Z'), 2 * H))).toBe('2026-10-26T09:00:00.000Z')
  })

  it('counts the real length of a day that contains the change', () => {
    const allSunday: Calendar = {
      kind: 'business',
      schedule: {
        timeZone: 'Europe/London',
        weekly: { sun: [{ start: '00:00', end: '24:00' }] },
        holidays: [],
      },
    }
    // Sunday 29 March 2026 has 23 hours in London; Sunday 25 October has 25.
    expect(countedTimeBetween(allSunday, at('2026-03-28T12:00:00Z'), at('2026-03-30T12:00:00Z'))).toBe(23 * H)
    expect(countedTimeBetween(allSunday, at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'))).toBe(25 * H)
  })

  it('works in other time zones', () => {
    // New York: Friday 16:00 EST (21:00Z) + 2h = Monday 09:00 EST (14:00Z).
    expect(iso(addCountedTime(office('America/New_York'), at('2026-11-27T21:00:00Z'), 2 * H))).toBe(
      '2026-11-30T14:00:00.000Z',
    )
    // Kolkata (UTC+05:30, no DST): Monday 16:30 IST (11:00Z) + 1h = Tuesday 08:30 IST (03:00Z).
    expect(iso(addCountedTime(office('Asia/Kolkata'), at('2026-11-30T11:00:00Z'), 1 * H))).toBe(
      '2026-12-01T03:00:00.000Z',
    )
    // Auckland's Saturday morning is still Friday in UTC: 2026-11-27T20:00Z is Sat 09:00 NZDT.
    expect(iso(addCountedTime(office('Pacific/Auckland'), at('2026-11-27T20:00:00Z'), 1 * H))).toBe(
      '2026-11-29T20:00:00.000Z',
    )
  })

  it('supports split days', () => {
    const split: Calendar = {
      kind: 'business',
      schedule: {
        timeZone: 'UTC',
        weekly: {
          mon: [
            { start: '13:00', end: '17:00' },
            { start: '09:00', end: '12:00' },
          ],
        },
        holidays: [],
      },
    }
    expect(iso(addCountedTime(split, at('2026-11-30T11:00:00Z'), 2 * H))).toBe('2026-11-30T14:00:00.000Z')
  })
})

describe('countedTimeBetween', () => {
  it('counts only working time', () => {
    expect(countedTimeBetween(london, at('2026-11-27T16:00:00Z'), at('2026-11-30T11:00:00Z'))).toBe(4 * H)
    expect(countedTimeBetween(london, at('2026-11-28T00:00:00Z'), at('2026-11-29T23:59:00Z'))).toBe(0)
    expect(countedTimeBetween(london, at('2026-12-01T00:00:00Z'), at('2026-11-01T00:00:00Z'))).toBe(0)
  })

  it('is the inverse of addCountedTime (property)', () => {
    const calendars: Calendar[] = [
      london,
      office('America/New_York'),
      office('Australia/Sydney', ['2026-12-25']),
      { kind: '24x7' },
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...calendars),
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }),
        fc.integer({ min: 0, max: 200 * H }),
        (calendar, from, duration) => {
          const due = addCountedTime(calendar, from, duration)
          expect(due).toBeGreaterThanOrEqual(from)
          expect(countedTimeBetween(calendar, from, due)).toBe(duration)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('scheduleProblems', () => {
  it('accepts a normal schedule and names what is wrong with a bad one', () => {
    const good: BusinessSchedule = {
      timeZone: 'Europe/London',
      weekly: weekdays('08:00', '17:00'),
      holidays: [],
    }
    expect(scheduleProblems(good)).toEqual([])
    expect(
      scheduleProblems({
        timeZone: 'Mars/Olympus',
        weekly: { mon: [{ start: '17:00', end: '08:00' }], tue: [{ start: '25:00', end: '26:00' }] },
        holidays: ['someday'],
      }),
    ).toEqual([
      'unknown time zone "Mars/Olympus"',
      'mon: 17:00–08:00 ends before it starts',
      'tue: times must be HH:MM',
      'the schedule has no working hours in the week',
      'holiday "someday" is not a date (YYYY-MM-DD)',
    ])
  })
})

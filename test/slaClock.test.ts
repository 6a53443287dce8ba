// The SLA clock as pure functions: starting, pausing, retiming, firing once.
import { describe, expect, it } from 'vitest'
import { advanceClock, columnsOf, fireDue, type SlaFacts, type SlaPlan } from '../src/domain/slaClock.ts'

const MIN = 60_000
const t24 = (first: number | null, resolution: number | null) => ({
  firstResponseMinutes: first,
  nextResponseMinutes: first,
  resolutionMinutes: resolution,
  hours: '24x7' as const,
})
const plan: SlaPlan = {
  id: 1,
  name: 'Test',
  schedule: null,
  targets: { low: t24(120, 600), normal: t24(60, 300), high: t24(30, 120), emergency: t24(10, 60) },
}
const T = Date.parse('2026-12-01T00:00:00Z')
const facts = (over: Partial<SlaFacts>): SlaFacts => ({
  plan,
  priority: 'normal',
  category: 'open',
  customerMessage: false,
  agentResponse: false,
  created: false,
  reopened: false,
  firstRespondedAt: null,
  at: T,
  ...over,
})

describe('SLA clock', () => {
  const created = advanceClock(null, facts({ created: true, customerMessage: true }))!

  it('starts first response and resolution at creation', () => {
    expect(columnsOf(created, T)).toEqual({
      firstResponseDueAt: T + 60 * MIN,
      nextResponseDueAt: null,
      resolutionDueAt: T + 300 * MIN,
      state: 'ok',
      alertAt: T + 45 * MIN,
    })
    expect(columnsOf(created, T + 46 * MIN).state).toBe('at_risk')
    expect(columnsOf(created, T + 60 * MIN).state).toBe('breached')
    expect(advanceClock(null, facts({ plan: null, created: true }))).toBeNull()
  })

  it('fires each threshold once', () => {
    const first = fireDue(created, T + 50 * MIN)
    expect(first.firings).toEqual([{ target: 'first_response', kind: 'at_risk', dueAt: T + 60 * MIN }])
    expect(fireDue(first.clock, T + 50 * MIN).firings).toEqual([])
    const second = fireDue(first.clock, T + 61 * MIN)
    expect(second.firings.map((f) => f.kind)).toEqual(['breached'])
    expect(fireDue(second.clock, T + 200 * MIN).firings).toEqual([])
    expect(columnsOf(second.clock, T + 61 * MIN).alertAt).toBe(T + 225 * MIN) // resolution's at-risk moment
  })

  it('adds paused time back, except to a target already breached', () => {
    const paused = advanceClock(created, facts({ category: 'pending', at: T + 70 * MIN }))!
    expect(columnsOf(paused, T + 70 * MIN)).toMatchObject({ state: 'paused', alertAt: null })
    expect(fireDue(paused, T + 1000 * MIN).firings).toEqual([])
    const resumed = advanceClock(paused, facts({ category: 'open', at: T + 100 * MIN }))!
    // First response was already breached at the pause (due T+60): unchanged. Resolution gets 30 minutes.
    expect(columnsOf(resumed, T + 100 * MIN)).toMatchObject({
      firstResponseDueAt: T + 60 * MIN,
      resolutionDueAt: T + 330 * MIN,
      state: 'breached',
    })
  })

  it('retimes from the start on a priority change, without re-announcing a breach', () => {
    const fired = fireDue(created, T + 61 * MIN).clock // first response breached at normal
    const raised = advanceClock(fired, facts({ priority: 'high', at: T + 62 * MIN }))!
    expect(columnsOf(raised, T + 62 * MIN).firstResponseDueAt).toBe(T + 30 * MIN)
    expect(fireDue(raised, T + 62 * MIN).firings).toEqual([]) // earlier deadline: the breach stands, once
    const lowered = advanceClock(fired, facts({ priority: 'low', at: T + 62 * MIN }))!
    expect(columnsOf(lowered, T + 62 * MIN)).toMatchObject({ firstResponseDueAt: T + 120 * MIN, state: 'ok' })
    expect(fireDue(lowered, T + 121 * MIN).firings.map((f) => f.kind)).toEqual(['breached']) // a new deadline
  })

  it('meets first response on a reply, runs next response after the customer answers, stops on resolve', () => {
    const replied = advanceClock(created, facts({ agentResponse: true, at: T + 10 * MIN }))!
    expect(replied.targets.first_response?.metAt).toBe(T + 10 * MIN)
    const answered = advanceClock(
      replied,
      facts({ customerMessage: true, firstRespondedAt: T + 10 * MIN, at: T + 20 * MIN }),
    )!
    expect(columnsOf(answered, T + 20 * MIN).nextResponseDueAt).toBe(T + 80 * MIN)
    const resolved = advanceClock(
      answered,
      facts({ category: 'resolved', firstRespondedAt: T, at: T + 30 * MIN }),
    )!
    expect(columnsOf(resolved, T + 30 * MIN)).toMatchObject({
      state: 'ok',
      alertAt: null,
      nextResponseDueAt: null,
    })
    const reopened = advanceClock(
      resolved,
      facts({ reopened: true, customerMessage: true, firstRespondedAt: T, at: T + 40 * MIN }),
    )!
    expect(columnsOf(reopened, T + 40 * MIN)).toMatchObject({
      resolutionDueAt: T + 340 * MIN,
      nextResponseDueAt: T + 100 * MIN,
      state: 'ok',
    })
  })
})

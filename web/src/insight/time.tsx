// Time tracking in the agent panel (issue 16): the ticket's time card (totals, entries, log more, change or
// remove one's own) and the composer's "Time spent", which logs an entry with the reply or note it came with.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get } from '../api.ts'
import { ErrorBox, formatTime } from '../ui.tsx'

export interface TimeEntry {
  id: number
  minutes: number
  note: string
  billable: boolean
  entryId: number | null
  agent: { id: number; name: string }
  createdAt: string
  updatedAt: string
  mine: boolean
}
export interface TimeTotals {
  entries: number
  minutes: number
  billableMinutes: number
  nonBillableMinutes: number
}

/** 95 → "1 h 35 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`
}

const timeKey = (number: string) => ['time', number]
const timePath = (number: string) => `/api/v1/tickets/${encodeURIComponent(number)}/time`

/** Minutes typed into a field: a whole number from 1 to 1440, or undefined. */
const parseMinutes = (raw: string) => {
  const n = Number(raw)
  return raw.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 1440 ? n : undefined
}

/** The composer's "Time spent": its fields' state, and the call that logs it with the entry just posted. */
export function useTimeSpent(number: string) {
  const client = useQueryClient()
  const [minutes, setMinutes] = useState('')
  const [billable, setBillable] = useState(false)
  const log = useMutation({
    mutationFn: (input: { minutes: number; billable: boolean; entryId: number }) =>
      api('POST', timePath(number), input),
    onSuccess: async () => {
      setMinutes('')
      await client.invalidateQueries({ queryKey: timeKey(number) })
    },
  })
  return {
    minutes,
    setMinutes,
    billable,
    setBillable,
    log,
    invalid: minutes.trim() !== '' && parseMinutes(minutes) === undefined,
    /** After the reply or note was posted: logs the time typed, if any. */
    async logWith(entryId: number) {
      const m = parseMinutes(minutes)
      if (m !== undefined) await log.mutateAsync({ minutes: m, billable, entryId }).catch(() => undefined)
    },
  }
}

export function TimeSpentField({ state }: { state: ReturnType<typeof useTimeSpent> }) {
  return (
    <div className="time-spent">
      {state.log.isError && <ErrorBox error={state.log.error} />}
      <label className="field">
        <span>Time spent (minutes)</span>
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          value={state.minutes}
          aria-invalid={state.invalid}
          onChange={(e) => state.setMinutes(e.target.value)}
        />
      </label>
      <label className="field check">
        <input
          type="checkbox"
          checked={state.billable}
          onChange={(e) => state.setBillable(e.target.checked)}
        />
        <span>Billable</span>
      </label>
    </div>
  )
}

/** Beside the ticket: the total, the entries, and a form to log time on its own. */
export function TimeCard({ number, canLog }: { number: string; canLog: boolean }) {
  const client = useQueryClient()
  const list = useQuery({
    queryKey: timeKey(number),
    queryFn: () => get<{ items: TimeEntry[]; totals: TimeTotals }>(timePath(number)),
  })
  const refresh = () => client.invalidateQueries({ queryKey: timeKey(number) })
  const [minutes, setMinutes] = useState('')
  const [note, setNote] = useState('')
  const [billable, setBillable] = useState(false)
  const add = useMutation({
    mutationFn: (m: number) =>
      api('POST', timePath(number), { minutes: m, billable, ...(note ? { note } : {}) }),
    onSuccess: async () => {
      setMinutes('')
      setNote('')
      await refresh()
    },
  })
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `${timePath(number)}/${id}`),
    onSuccess: refresh,
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const m = parseMinutes(minutes)
    if (m !== undefined) add.mutate(m)
  }
  const totals = list.data?.totals
  return (
    <section className="card time" aria-labelledby="time-title">
      <h2 id="time-title">Time</h2>
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {totals && (
        <p role="status" aria-label="Time spent in total">
          <strong>Total: {formatMinutes(totals.minutes)}</strong>
          {totals.minutes > 0 && (
            <span className="muted"> ({formatMinutes(totals.billableMinutes)} billable)</span>
          )}
        </p>
      )}
      {(list.data?.items.length ?? 0) > 0 && (
        <ul className="plain-list time-entries" aria-label="Time entries">
          {list.data!.items.map((e) => (
            <li key={e.id}>
              <span>
                {formatMinutes(e.minutes)} · {e.agent.name}
                {e.billable ? ' · billable' : ''}
                {e.note ? ` · ${e.note}` : ''} <span className="muted">{formatTime(e.createdAt)}</span>
              </span>
              {e.mine && (
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${formatMinutes(e.minutes)} by ${e.agent.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(e.id)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError && <ErrorBox error={remove.error} />}
      {canLog && (
        <form onSubmit={submit}>
          {add.isError && <ErrorBox error={add.error} />}
          <label className="field">
            <span>Log minutes</span>
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={1440}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          </label>
          <label className="field">
            <span>What for (optional)</span>
            <input value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
          </label>
          <label className="field check">
            <input type="checkbox" checked={billable} onChange={(e) => setBillable(e.target.checked)} />
            <span>Billable</span>
          </label>
          <button
            type="submit"
            className="secondary"
            disabled={add.isPending || parseMinutes(minutes) === undefined}
          >
            Log time
          </button>
        </form>
      )}
    </section>
  )
}

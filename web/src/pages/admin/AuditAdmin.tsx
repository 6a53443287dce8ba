// The audit log: who did what, when and from where, newest first, filtered by actor, type and day.
import { useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { get } from '../../api.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'
import { useAdminList, type AdminAgent } from './adminApi.ts'

interface AuditEvent {
  id: number
  type: string
  channel: string
  actor: { id: number; name: string } | null
  ticketNumber: string | null
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  ip: string | null
  createdAt: string
}
interface Filters {
  actorId: string
  type: string
  from: string
  to: string
}
const EMPTY: Filters = { actorId: '', type: '', from: '', to: '' }
const query = (f: Filters, cursor: string | null) =>
  new URLSearchParams(
    Object.entries({ ...f, ...(cursor ? { cursor } : {}) }).filter(([, v]) => v !== ''),
  ).toString()
const change = (e: AuditEvent) =>
  [e.before && `before ${JSON.stringify(e.before)}`, e.after && `after ${JSON.stringify(e.after)}`]
    .filter(Boolean)
    .join('; ')

export function AuditAdmin() {
  const agents = useAdminList<AdminAgent>('/api/v1/admin/agents')
  const [draft, setDraft] = useState<Filters>(EMPTY)
  const [filters, setFilters] = useState<Filters>(EMPTY)
  const list = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    queryFn: ({ pageParam }) =>
      get<{ items: AuditEvent[]; nextCursor: string | null }>(
        `/api/v1/admin/audit?${query(filters, pageParam)}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }))
  const events = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form
        role="search"
        aria-label="Filter the audit log"
        className="card inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          setFilters(draft)
        }}
      >
        <label className="field">
          <span>Who</span>
          <select value={draft.actorId} onChange={(e) => set({ actorId: e.target.value })}>
            <option value="">Anyone</option>
            {(agents.data?.items ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Event type</span>
          <input
            value={draft.type}
            placeholder="auth.* or admin.mailbox.created"
            maxLength={100}
            onChange={(e) => set({ type: e.target.value })}
          />
        </label>
        <label className="field">
          <span>From day</span>
          <input type="date" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label className="field">
          <span>To day</span>
          <input type="date" value={draft.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <div className="actions field">
          <button type="submit">Filter</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(EMPTY)
              setFilters(EMPTY)
            }}
          >
            Clear filters
          </button>
        </div>
      </form>
      {list.isPending && <Loading what="Loading the audit log" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        // Wide rows scroll sideways: the region takes focus so the keyboard can scroll it too.
        <div className="table-wrap" role="region" aria-label="Audit events" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Event</th>
                <th scope="col">Ticket</th>
                <th scope="col">Change</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No events match.
                  </td>
                </tr>
              )}
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.createdAt)}</td>
                  <td>{e.actor?.name ?? 'System'}</td>
                  <td>
                    {e.type} <span className="muted">({e.channel})</span>
                  </td>
                  <td>{e.ticketNumber ? `#${e.ticketNumber}` : '—'}</td>
                  <td className="preview">{change(e) || '—'}</td>
                  <td>{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <p>
          <button
            type="button"
            className="secondary"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            Load older events
          </button>
        </p>
      )}
    </section>
  )
}

import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import { get, PRIORITIES, type Queue, type Ticket } from '../../api.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'
import { SlaBadge, useNow } from '../../sla.tsx'
import { rememberQueue } from './queueMemory.ts'

function listPath(key: string | undefined, q: string | null): string {
  if (q) return `/api/v1/tickets?view=all&q=${encodeURIComponent(q)}`
  if (key?.startsWith('department:')) return `/api/v1/tickets?view=open&departmentId=${key.slice(11)}`
  const view = key === 'mine' || key === 'unassigned' ? key : 'open'
  return `/api/v1/tickets?view=${view}`
}

export function QueuePage() {
  const { key } = useParams()
  const [params] = useSearchParams()
  const q = params.get('q')
  const path = listPath(key, q)
  const list = useQuery({
    queryKey: ['tickets', path],
    queryFn: () => get<{ items: Ticket[]; nextCursor: string | null }>(path),
  })
  const queues = useQuery({ queryKey: ['queues'], queryFn: () => get<{ items: Queue[] }>('/api/v1/queues') })
  const now = useNow()
  const title = q ? `Search: ${q}` : (queues.data?.items.find((x) => x.key === key)?.name ?? 'Open')

  useEffect(() => {
    document.title = `${title} · Switchboard`
  }, [title])
  useEffect(() => {
    if (list.data) rememberQueue(list.data.items.map((t) => t.number))
  }, [list.data])

  return (
    <main className="page queue">
      <h1>{title}</h1>
      {list.isPending && <Loading what="Loading tickets" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <p className="muted">No tickets here.</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="ticket-list">
          {list.data.items.map((t) => (
            <li key={t.number} className={`priority-${t.priority}`}>
              <Link to={`/agent/tickets/${t.number}`}>{t.subject}</Link>
              <span className="meta">
                <span>#{t.number}</span>
                <span>{t.requester.name}</span>
                <span className={`status status-${t.statusCategory}`}>{t.statusName}</span>
                <span className={`priority priority-${t.priority}`}>
                  {PRIORITIES.find((p) => p.key === t.priority)?.name}
                </span>
                <span>{t.department.name}</span>
                <span>{t.assigneeAgent?.name ?? t.assigneeTeam?.name ?? 'Unassigned'}</span>
                <time dateTime={t.lastActivityAt}>{formatTime(t.lastActivityAt)}</time>
                <SlaBadge sla={t.sla} now={now} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}

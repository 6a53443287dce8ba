import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link, Navigate } from 'react-router'
import { get, type Ticket } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { RelativeTime } from '../../time.tsx'
import { useCurrentUser } from '../Shell.tsx'

export function MyTickets() {
  const me = useCurrentUser()
  const list = useQuery({
    queryKey: ['tickets', 'portal'],
    queryFn: () => get<{ items: Ticket[] }>('/api/v1/tickets?limit=100'),
    enabled: me.user.type === 'customer',
  })
  useEffect(() => {
    document.title = 'My tickets · Switchboard'
  }, [])
  if (me.user.type !== 'customer') return <Navigate to="/agent/queues/open" replace />
  return (
    <main className="page">
      <div className="page-head">
        <h1>My tickets</h1>
        <Link className="button" to="/portal/new">
          Open a new ticket
        </Link>
      </div>
      {list.isPending && <Loading what="Loading your tickets" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <p className="muted">You have no tickets yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="ticket-list">
          {list.data.items.map((t) => (
            <li key={t.number}>
              <Link to={`/portal/tickets/${t.number}`}>{t.subject}</Link>
              <span className="meta">
                <span>#{t.number}</span>
                <span className={`status status-${t.statusCategory}`}>{t.statusName}</span>
                <RelativeTime iso={t.lastActivityAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}

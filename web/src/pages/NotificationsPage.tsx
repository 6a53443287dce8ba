import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { api } from '../api.ts'
import { ErrorBox, Loading } from '../ui.tsx'
import { RelativeTime } from '../time.tsx'
import { useCurrentUser, useNotifications } from './Shell.tsx'

export function NotificationsPage() {
  const me = useCurrentUser()
  const list = useNotifications()
  const client = useQueryClient()
  const markAll = useMutation({
    mutationFn: () => api('POST', '/api/v1/notifications/read', {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  })
  const markOne = useMutation({
    mutationFn: (id: number) => api('POST', '/api/v1/notifications/read', { ids: [id] }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  })
  useEffect(() => {
    document.title = 'Notifications · Switchboard'
  }, [])
  const ticketPath = (n: string) =>
    me.user.type === 'agent' ? `/agent/tickets/${n}` : `/portal/tickets/${n}`

  return (
    <main className="page">
      <div className="page-head">
        <h1>Notifications</h1>
        {list.data && list.data.unreadCount > 0 && (
          <button
            type="button"
            className="secondary"
            onClick={() => markAll.mutate()}
            disabled={markAll.isPending}
          >
            Mark all as read
          </button>
        )}
      </div>
      {markAll.isError && <ErrorBox error={markAll.error} />}
      {list.isPending && <Loading what="Loading notifications" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <p className="muted">Nothing yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="notifications">
          {list.data.items.map((n) => (
            <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
              <Link
                to={ticketPath(n.ticketNumber)}
                onClick={() => {
                  if (!n.readAt) markOne.mutate(n.id)
                }}
              >
                Ticket #{n.ticketNumber}
              </Link>
              <span className="text">{n.text}</span>
              <RelativeTime iso={n.createdAt} className="muted" />
              {!n.readAt && <span className="tag">Unread</span>}
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}

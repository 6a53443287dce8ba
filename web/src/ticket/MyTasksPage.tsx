// My tasks (issue 12): the open tasks assigned to me or (when no agent holds them) my teams, on tickets I may
// see, soonest due first. Completing one here is the same PATCH as the ticket view's checkbox.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { api, get, type Task } from '../api.ts'
import { ErrorBox, formatTime, Loading } from '../ui.tsx'

export function MyTasksPage() {
  const client = useQueryClient()
  const list = useQuery({ queryKey: ['my-tasks'], queryFn: () => get<{ items: Task[] }>('/api/v1/tasks') })
  useEffect(() => {
    document.title = 'My tasks · Switchboard'
  }, [])
  const done = useMutation({
    mutationFn: (t: Task) =>
      api('PATCH', `/api/v1/tickets/${encodeURIComponent(t.ticket.number)}/tasks/${t.id}`, {
        completed: true,
      }),
    onSuccess: (_r, t) =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['my-tasks'] }),
        client.invalidateQueries({ queryKey: ['tasks', t.ticket.number] }),
      ]),
  })
  const items = list.data?.items ?? []
  return (
    <main className="page my-tasks">
      <h1>My tasks</h1>
      {list.isPending && <Loading what="Loading your tasks" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {done.isError && <ErrorBox error={done.error} />}
      {list.isSuccess && items.length === 0 && <p className="muted">No open tasks for you.</p>}
      {items.length > 0 && (
        <table className="queue-table">
          <thead>
            <tr>
              <th scope="col">Done</th>
              <th scope="col">Task</th>
              <th scope="col">Ticket</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Complete ${t.title}`}
                    checked={false}
                    disabled={done.isPending}
                    onChange={() => done.mutate(t)}
                  />
                </td>
                <td>{t.title}</td>
                <td>
                  <Link to={`/agent/tickets/${encodeURIComponent(t.ticket.number)}`}>
                    #{t.ticket.number} {t.ticket.subject}
                  </Link>
                </td>
                <td>{t.dueAt ? formatTime(t.dueAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  )
}

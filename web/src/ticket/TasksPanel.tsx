// Tasks on the agent's ticket view (issue 12): a checkbox per task to complete or reopen it, who holds it and
// when it is due, a short notes thread per task, and a form to add one. While a task is open the ticket cannot
// be resolved or closed (the Update form shows the server's list). Kept out of TicketPage so the page only
// mounts it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get, type Agent, type Status, type Task, type TicketDetail } from '../api.ts'
import { ErrorBox, formatTime } from '../ui.tsx'

const tasksPath = (number: string) => `/api/v1/tickets/${encodeURIComponent(number)}/tasks`

export function TasksPanel({
  number,
  departmentId,
  canEdit,
  canClose,
}: {
  number: string
  departmentId: number
  canEdit: boolean
  /** ticket.close: may resolve past open tasks, after confirming (recorded as tasks.close_forced). */
  canClose: boolean
}) {
  const client = useQueryClient()
  const list = useQuery({
    queryKey: ['tasks', number],
    queryFn: () => get<{ items: Task[] }>(tasksPath(number)),
  })
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['tasks', number] }),
      client.invalidateQueries({ queryKey: ['my-tasks'] }),
    ])
  const toggle = useMutation({
    mutationFn: (t: { id: number; completed: boolean }) =>
      api('PATCH', `${tasksPath(number)}/${t.id}`, { completed: t.completed }),
    onSuccess: refresh,
  })
  const agents = useAgents()
  const members = agents.filter((a) => a.departments.some((d) => d.id === departmentId))
  const items = list.data?.items ?? []
  const open = items.filter((t) => !t.completedAt).length
  return (
    <section className="card tasks" aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks</h2>
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {toggle.isError && <ErrorBox error={toggle.error} />}
      {list.isSuccess && items.length === 0 && <p className="muted">No tasks.</p>}
      {items.length > 0 && (
        <>
          <p className="muted" role="status">
            {open === 0
              ? 'All tasks are done.'
              : `${open} open: the ticket cannot be resolved until they are done.`}
          </p>
          <ul aria-label="Tasks" className="task-list">
            {items.map((t) => (
              <TaskItem
                key={t.id}
                number={number}
                task={t}
                busy={toggle.isPending}
                onToggle={(completed) => toggle.mutate({ id: t.id, completed })}
                onNoted={refresh}
                reassignTo={canEdit ? members : undefined}
              />
            ))}
          </ul>
        </>
      )}
      {canEdit && <AddTask number={number} departmentId={departmentId} onAdded={refresh} />}
      {canClose && open > 0 && <ResolveAnyway number={number} open={open} />}
    </section>
  )
}

function TaskItem(props: {
  number: string
  task: Task
  busy: boolean
  onToggle: (completed: boolean) => void
  onNoted: () => Promise<unknown>
  /** Agents the task may be given to (for agents with ticket.edit). */
  reassignTo?: Agent[] | undefined
}) {
  const { task } = props
  const reassign = useMutation({
    mutationFn: (agentId: number | null) =>
      api('PATCH', `${tasksPath(props.number)}/${task.id}`, { assigneeAgentId: agentId }),
    onSuccess: () => props.onNoted(),
  })
  const [body, setBody] = useState('')
  const note = useMutation({
    mutationFn: () => api('POST', `${tasksPath(props.number)}/${task.id}/notes`, { body }),
    onSuccess: async () => {
      setBody('')
      await props.onNoted()
    },
  })
  const holder = task.assigneeAgent?.name ?? task.assigneeTeam?.name
  return (
    <li className={task.completedAt ? 'task done' : 'task'}>
      <label className="check">
        <input
          type="checkbox"
          checked={task.completedAt !== null}
          disabled={props.busy}
          onChange={(e) => props.onToggle(e.target.checked)}
        />
        <span>{task.title}</span>
      </label>
      <span className="muted small">
        {holder ? ` ${holder}` : ' Unassigned'}
        {task.dueAt && ` · due ${formatTime(task.dueAt)}`}
        {task.completedAt && task.completedBy && ` · done by ${task.completedBy.name}`}
      </span>
      <details>
        <summary>
          Notes ({task.notes.length})<span className="visually-hidden"> on {task.title}</span>
        </summary>
        {task.notes.length > 0 && (
          <ul className="task-notes">
            {task.notes.map((n) => (
              <li key={n.id}>
                <strong>{n.author.name}</strong>: {n.body}{' '}
                <span className="muted small">{formatTime(n.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
        {props.reassignTo && (
          <label className="field">
            <span>Give “{task.title}” to</span>
            <select
              value={task.assigneeAgent?.id ?? ''}
              disabled={reassign.isPending}
              onChange={(e) => reassign.mutate(e.target.value === '' ? null : Number(e.target.value))}
            >
              <option value="">Nobody</option>
              {props.reassignTo.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {reassign.isError && <ErrorBox error={reassign.error} />}
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault()
            if (body.trim()) note.mutate()
          }}
        >
          {note.isError && <ErrorBox error={note.error} />}
          <label className="field">
            <span>Note on “{task.title}”</span>
            <input type="text" value={body} maxLength={2000} onChange={(e) => setBody(e.target.value)} />
          </label>
          <button type="submit" className="secondary" disabled={note.isPending || !body.trim()}>
            Add note
          </button>
        </form>
      </details>
    </li>
  )
}

function AddTask({
  number,
  departmentId,
  onAdded,
}: {
  number: string
  departmentId: number
  onAdded: () => Promise<unknown>
}) {
  const [title, setTitle] = useState('')
  const [assignee, setAssignee] = useState('')
  const [due, setDue] = useState('')
  const members = useAgents().filter((a) => a.departments.some((d) => d.id === departmentId))
  const add = useMutation({
    mutationFn: () =>
      api('POST', tasksPath(number), {
        title: title.trim(),
        ...(assignee ? { assigneeAgentId: Number(assignee) } : {}),
        ...(due ? { dueAt: new Date(due).toISOString() } : {}),
      }),
    onSuccess: async () => {
      setTitle('')
      setAssignee('')
      setDue('')
      await onAdded()
    },
  })
  return (
    <form
      className="task-add"
      aria-label="Add a task"
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        if (title.trim()) add.mutate()
      }}
    >
      {add.isError && <ErrorBox error={add.error} />}
      <label className="field">
        <span>New task</span>
        <input type="text" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="field">
        <span>Give it to</span>
        <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">Nobody yet</option>
          {members.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Task due (optional)</span>
        <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <button type="submit" disabled={add.isPending || !title.trim()}>
        {add.isPending ? 'Adding…' : 'Add task'}
      </button>
    </form>
  )
}

/** Resolve although tasks are open: two steps, and the server records it (`force: true`). */
function ResolveAnyway({ number, open }: { number: string; open: number }) {
  const client = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const statuses = useQuery({
    queryKey: ['statuses'],
    queryFn: () => get<{ items: Status[] }>('/api/v1/statuses'),
    staleTime: 300_000,
  })
  const resolved =
    statuses.data?.items.find((s) => s.key === 'resolved') ??
    statuses.data?.items.find((s) => s.category === 'resolved')
  const force = useMutation({
    mutationFn: async () => {
      const detail = client.getQueryData<TicketDetail>(['ticket', number])
      if (!detail || !resolved) throw new Error('Reload the ticket and try again.')
      return api('PATCH', `/api/v1/tickets/${encodeURIComponent(number)}`, {
        version: detail.ticket.version,
        status: resolved.key,
        force: true,
      })
    },
    onSuccess: async () => {
      setConfirming(false)
      await Promise.all([
        client.invalidateQueries({ queryKey: ['ticket', number] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
      ])
    },
  })
  if (!resolved) return null
  return (
    <div className="resolve-anyway">
      {force.isError && <ErrorBox error={force.error} />}
      {confirming ? (
        <div className="actions" role="group" aria-label="Resolve with open tasks">
          <button type="button" disabled={force.isPending} onClick={() => force.mutate()}>
            {`Resolve with ${open} open task${open === 1 ? '' : 's'}`}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it open
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Resolve anyway…
        </button>
      )}
    </div>
  )
}

/** The agents directory (the same query as the ticket page's). */
function useAgents(): Agent[] {
  const agents = useQuery({
    queryKey: ['agents'],
    queryFn: () => get<{ items: Agent[] }>('/api/v1/agents'),
    staleTime: 300_000,
  })
  return agents.data?.items ?? []
}

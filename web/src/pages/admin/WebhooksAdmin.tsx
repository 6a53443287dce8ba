// Webhooks (issue 18): register targets for ticket events, enable or disable them, and watch their deliveries
// (with the receiver's status code and answer), sending a failed one again. The secret is write-only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, get } from '../../api.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'
import { ActiveCell } from './AdminLayout.tsx'
import type { AdminWebhook, AdminWebhookDelivery } from './adminApi.ts'

const BASE = '/api/v1/admin/webhooks'

/** The names the console shows for the server's event kinds (src/domain/webhooks.ts). */
const EVENT_LABELS: Record<string, string> = {
  'ticket.created': 'Ticket created',
  'ticket.updated': 'Ticket updated',
  'ticket.assigned': 'Ticket assigned',
  'ticket.transferred': 'Ticket transferred',
  'ticket.status_changed': 'Status changed',
  'message.added': 'Message or reply added',
  'note.added': 'Internal note added',
  'sla.at_risk': 'SLA at risk',
  'sla.breached': 'SLA breached',
  'csat.answered': 'Satisfaction survey answered',
}

interface WebhookList {
  items: AdminWebhook[]
  events: { name: string; internalOnly: boolean }[]
}

export function WebhooksAdmin() {
  const client = useQueryClient()
  const refresh = () => client.invalidateQueries({ queryKey: ['admin'] })
  const list = useQuery({ queryKey: ['admin', BASE], queryFn: () => get<WebhookList>(BASE) })
  const settings = useQuery({
    queryKey: ['admin', `${BASE}/settings`],
    queryFn: () => get<{ allowPrivateTargets: boolean }>(`${BASE}/settings`),
  })
  const saveSettings = useMutation({
    mutationFn: (allowPrivateTargets: boolean) => api('PUT', `${BASE}/settings`, { allowPrivateTargets }),
    onSuccess: refresh,
  })
  const save = useMutation({
    mutationFn: ({ id, body }: { id?: number; body: Record<string, unknown> }) =>
      id === undefined
        ? api<{ webhook: AdminWebhook; secret?: string }>('POST', BASE, body)
        : api<{ webhook: AdminWebhook; secret?: string }>('PATCH', `${BASE}/${id}`, body),
    onSuccess: refresh,
  })
  const toggle = useMutation({
    mutationFn: (w: AdminWebhook) => api('PATCH', `${BASE}/${w.id}`, { active: !w.active }),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `${BASE}/${id}`),
    onSuccess: refresh,
  })

  const [editing, setEditing] = useState<AdminWebhook | null>(null)
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<string[]>(['ticket.created'])
  const [secret, setSecret] = useState('')
  const [description, setDescription] = useState('')
  const [internal, setInternal] = useState(false)
  const [active, setActive] = useState(true)
  const [shownSecret, setShownSecret] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<number | null>(null)
  const [watching, setWatching] = useState<AdminWebhook | null>(null)

  const edit = (w: AdminWebhook | null) => {
    setEditing(w)
    setUrl(w?.url ?? '')
    setEvents(w?.events ?? ['ticket.created'])
    setSecret('')
    setDescription(w?.description ?? '')
    setInternal(w?.internal ?? false)
    setActive(w?.active ?? true)
    save.reset()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setShownSecret(null)
    const body: Record<string, unknown> = { url, events, description, internal, active }
    if (secret) body.secret = secret
    save.mutate(
      { id: editing?.id, body },
      {
        onSuccess: (res) => {
          if (res.secret) setShownSecret(res.secret)
          edit(null)
        },
      },
    )
  }
  const flip = (name: string, on: boolean) =>
    setEvents((now) => (on ? [...now, name] : now.filter((x) => x !== name)))

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Each event is POSTed as JSON, signed with the webhook&apos;s secret (see docs/integrations.md),
        retried with backoff for about a day, then listed as failed below.
      </p>
      {settings.data && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.data.allowPrivateTargets}
            disabled={saveSettings.isPending}
            onChange={(e) => saveSettings.mutate(e.target.checked)}
          />
          Allow private targets (loopback and private networks, for on-premise integrations)
        </label>
      )}
      {saveSettings.isError && <ErrorBox error={saveSettings.error} />}
      <form
        className="card inline-form"
        onSubmit={submit}
        aria-label={editing ? `Edit webhook ${editing.url}` : 'New webhook'}
      >
        <label className="field wide">
          <span>URL</span>
          <input
            required
            type="url"
            maxLength={2000}
            placeholder="https://hooks.example.com/switchboard"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Description</span>
          <input maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="field">
          <span>{editing ? 'New secret (leave empty to keep)' : 'Secret (leave empty to generate)'}</span>
          <input
            type="password"
            autoComplete="new-password"
            minLength={16}
            maxLength={256}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        <fieldset className="field wide event-choices">
          <legend>Events</legend>
          {(list.data?.events ?? []).map((ev) => (
            <label key={ev.name} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(ev.name)}
                disabled={ev.internalOnly && !internal}
                onChange={(e) => flip(ev.name, e.target.checked)}
              />
              {EVENT_LABELS[ev.name] ?? ev.name}
              {ev.internalOnly ? ' (internal webhooks only)' : ''}
            </label>
          ))}
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
          Internal: also send internal notes and agent-only fields (for agent-side tools only)
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          Active
        </label>
        <div className="actions field">
          <button type="submit" disabled={save.isPending || events.length === 0}>
            {editing ? 'Save webhook' : 'Create webhook'}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {shownSecret && (
        <div className="card" role="status">
          <p>
            The webhook&apos;s signing secret, shown only now: <code>{shownSecret}</code>
          </p>
          <button type="button" className="secondary" onClick={() => setShownSecret(null)}>
            I have stored it
          </button>
        </div>
      )}
      {save.isError && <ErrorBox error={save.error} />}
      {(toggle.isError || remove.isError) && <ErrorBox error={toggle.error ?? remove.error} />}
      {list.isPending && <Loading what="Loading webhooks" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((w) => (
                <tr key={w.id}>
                  <td>
                    {w.url}
                    {w.description && <div className="muted">{w.description}</div>}
                  </td>
                  <td>{w.events.map((e) => EVENT_LABELS[e] ?? e).join(', ')}</td>
                  <td>{w.internal ? 'Internal' : 'Public'}</td>
                  <ActiveCell active={w.active} />
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${w.url}`}
                      onClick={() => edit(w)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`${w.active ? 'Disable' : 'Enable'} ${w.url}`}
                      onClick={() => toggle.mutate(w)}
                    >
                      {w.active ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Deliveries of ${w.url}`}
                      aria-pressed={watching?.id === w.id}
                      onClick={() => setWatching(watching?.id === w.id ? null : w)}
                    >
                      Deliveries
                    </button>
                    {confirming === w.id ? (
                      <span role="group" aria-label={`Confirm deleting ${w.url}`}>
                        <button
                          type="button"
                          onClick={() => {
                            remove.mutate(w.id)
                            setConfirming(null)
                            if (watching?.id === w.id) setWatching(null)
                          }}
                        >
                          Delete for good
                        </button>
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Delete ${w.url}`}
                        onClick={() => setConfirming(w.id)}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {watching && <Deliveries webhook={watching} />}
    </section>
  )
}

function Deliveries({ webhook }: { webhook: AdminWebhook }) {
  const client = useQueryClient()
  const path = `${BASE}/${webhook.id}/deliveries`
  const list = useQuery({
    queryKey: ['admin', path],
    queryFn: () => get<{ items: AdminWebhookDelivery[]; nextCursor: number | null }>(path),
  })
  const redeliver = useMutation({
    mutationFn: (id: number) => api('POST', `${path}/${id}/redeliver`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', path] }),
  })
  return (
    <section aria-labelledby="deliveries-title" className="card">
      <h3 id="deliveries-title">Deliveries of {webhook.url}</h3>
      <button type="button" className="secondary" onClick={() => void list.refetch()}>
        Refresh
      </button>
      {redeliver.isError && <ErrorBox error={redeliver.error} />}
      {list.isPending && <Loading what="Loading deliveries" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <p className="muted">No deliveries yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Delivery</th>
                <th scope="col">Event</th>
                <th scope="col">Ticket</th>
                <th scope="col">Status</th>
                <th scope="col">Tries</th>
                <th scope="col">Answer</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    #{d.id}
                    <div className="muted">{formatTime(d.createdAt)}</div>
                  </td>
                  <td>{EVENT_LABELS[d.event] ?? d.event}</td>
                  <td>{d.ticketNumber ?? '—'}</td>
                  <td>
                    {d.status === 'pending' && d.nextAttemptAt
                      ? `Pending (next try ${formatTime(d.nextAttemptAt)})`
                      : d.status === 'succeeded'
                        ? 'Delivered'
                        : d.status === 'failed'
                          ? 'Failed'
                          : 'Pending'}
                  </td>
                  <td>{d.attempts}</td>
                  <td className="preview">
                    {d.responseStatus !== null && <strong>{d.responseStatus} </strong>}
                    {d.error && <span>{d.error} </span>}
                    {d.responseExcerpt && <code>{d.responseExcerpt.slice(0, 200)}</code>}
                  </td>
                  <td className="actions">
                    {d.status === 'failed' && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Redeliver delivery ${d.id}`}
                        disabled={redeliver.isPending}
                        onClick={() => redeliver.mutate(d.id)}
                      >
                        Redeliver
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

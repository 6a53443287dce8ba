// The ticket view's side panels (issue 11): who the requester is and what else they asked, following, team
// assignment, snooze and custom fields. Each card is one request; a stale version reloads the ticket.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent, type ReactNode } from 'react'
import { Link } from 'react-router'
import { ACTIVE_CATEGORIES } from '@shared/tickets.ts'
import { api, ApiError, get, type Ref, type Ticket, type TicketDetail, type TicketRow } from '../../api.ts'
import { FieldInput, shownValue, type FieldDef, type FieldValue } from '../../customFieldInput.tsx'
import { RelativeTime } from '../../time.tsx'
import { ErrorBox } from '../../ui.tsx'
import { refetchAfterChange } from './TicketWork.tsx'

const ACTIVE: readonly string[] = ACTIVE_CATEGORIES
const CHANNELS: Record<string, string> = {
  web: 'Portal',
  email: 'Email',
  api: 'API',
  agent: 'Opened by an agent',
}

function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card side-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  )
}

function StaleOr({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === 'version_conflict')
    return (
      <p className="error" role="alert">
        Someone changed this ticket meanwhile; it has been reloaded. Try again.
      </p>
    )
  return <ErrorBox error={error} />
}

/** The requester beside the thread: organisation, channel, and their other tickets as links. */
export function RequesterPanel({ ticket, organization }: { ticket: Ticket; organization: Ref | null }) {
  const others = useQuery({
    queryKey: ['tickets', 'requester', ticket.requester.id],
    queryFn: () =>
      get<{ items: TicketRow[] }>(
        `/api/v1/tickets?requester=${ticket.requester.id}&sort=activity&order=desc&limit=20`,
      ),
  })
  const items = (others.data?.items ?? []).filter((t) => t.number !== ticket.number)
  const open = items.filter((t) => ACTIVE.includes(t.statusCategory))
  const recent = items.filter((t) => !ACTIVE.includes(t.statusCategory)).slice(0, 5)
  const list = (rows: TicketRow[], label: string) =>
    rows.length === 0 ? (
      <p className="muted">None.</p>
    ) : (
      <ul className="plain-list" aria-label={label}>
        {rows.map((t) => (
          <li key={t.number}>
            <Link to={`/agent/tickets/${t.number}`}>
              #{t.number} {t.subject}
            </Link>{' '}
            <span className="muted">
              {t.statusName} · <RelativeTime iso={t.lastActivityAt} />
            </span>
          </li>
        ))}
      </ul>
    )
  return (
    <Card id="requester-title" title="Requester">
      <p className="requester-name">
        <strong>{ticket.requester.name}</strong>
        <br />
        <a href={`mailto:${ticket.requester.email}`}>{ticket.requester.email}</a>
      </p>
      <dl className="side-facts">
        <dt>Organisation</dt>
        <dd>{organization?.name ?? 'None'}</dd>
        <dt>Channel</dt>
        <dd>{CHANNELS[ticket.source] ?? ticket.source}</dd>
      </dl>
      {others.isError && <ErrorBox error={others.error} />}
      <h3>Other open tickets</h3>
      {others.isPending ? <p className="muted">Loading…</p> : list(open, 'Other open tickets')}
      <h3>Recent tickets</h3>
      {others.isPending ? <p className="muted">Loading…</p> : list(recent, 'Recent tickets')}
    </Card>
  )
}

/** Follow / Unfollow, and who follows (followers get an email for each internal note). */
export function FollowCard({ detail }: { detail: TicketDetail }) {
  const client = useQueryClient()
  const number = detail.ticket.number
  const toggle = useMutation({
    mutationFn: (follow: boolean) =>
      api(follow ? 'PUT' : 'DELETE', `/api/v1/tickets/${encodeURIComponent(number)}/follow`),
    onSuccess: () => refetchAfterChange(client, number),
  })
  return (
    <Card id="followers-title" title="Followers">
      {toggle.isError && <ErrorBox error={toggle.error} />}
      {detail.followers.length === 0 ? (
        <p className="muted">Nobody follows this ticket.</p>
      ) : (
        <ul className="plain-list" aria-label="Followers">
          {detail.followers.map((f) => (
            <li key={f.id}>{f.name}</li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="secondary"
        disabled={toggle.isPending}
        onClick={() => toggle.mutate(!detail.following)}
      >
        {detail.following ? 'Unfollow' : 'Follow'}
      </button>
    </Card>
  )
}

/** Assigns the ticket to a team (as well as, or instead of, an agent). */
export function TeamCard({ ticket, canAssign }: { ticket: Ticket; canAssign: boolean }) {
  const client = useQueryClient()
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => get<{ items: Ref[] }>('/api/v1/teams'),
    enabled: canAssign,
  })
  const [chosen, setChosen] = useState<string | null>(null)
  const value = chosen ?? String(ticket.assigneeTeamId ?? '')
  const save = useMutation({
    mutationFn: (teamId: number | null) =>
      api('PATCH', `/api/v1/tickets/${encodeURIComponent(ticket.number)}`, {
        version: ticket.version,
        assigneeTeamId: teamId,
      }),
    onSuccess: async () => {
      setChosen(null)
      await refetchAfterChange(client, ticket.number)
    },
    onError: () => client.invalidateQueries({ queryKey: ['ticket', ticket.number] }),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(value === '' ? null : Number(value))
  }
  return (
    <Card id="team-title" title="Team">
      <p>
        Assigned team: <strong>{ticket.assigneeTeam?.name ?? 'None'}</strong>
      </p>
      {save.isError && <StaleOr error={save.error} />}
      {canAssign && (
        <form onSubmit={submit}>
          <label className="field">
            <span>Assign to team</span>
            <select value={value} onChange={(e) => setChosen(e.target.value)}>
              <option value="">No team</option>
              {(teams.data?.items ?? (ticket.assigneeTeam ? [ticket.assigneeTeam] : [])).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="secondary"
            disabled={save.isPending || value === String(ticket.assigneeTeamId ?? '')}
          >
            Assign team
          </button>
        </form>
      )}
    </Card>
  )
}

/** `YYYY-MM-DDTHH:mm` in local time, for <input type="datetime-local">. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}

/** Snooze a pending ticket until a time; it returns to open then. Shows when it wakes. */
export function SnoozeCard({ ticket, canEdit }: { ticket: Ticket; canEdit: boolean }) {
  const client = useQueryClient()
  const [until, setUntil] = useState(() => localInput(Date.now() + 24 * 3_600_000))
  const snooze = useMutation({
    mutationFn: (at: string | null) =>
      api('PUT', `/api/v1/tickets/${encodeURIComponent(ticket.number)}/snooze`, {
        version: ticket.version,
        until: at,
      }),
    onSuccess: () => refetchAfterChange(client, ticket.number),
    onError: () => client.invalidateQueries({ queryKey: ['ticket', ticket.number] }),
  })
  const pending = ticket.statusCategory === 'pending'
  const submit = (e: FormEvent) => {
    e.preventDefault()
    snooze.mutate(new Date(until).toISOString())
  }
  return (
    <Card id="snooze-title" title="Snooze">
      {snooze.isError && <StaleOr error={snooze.error} />}
      {ticket.snoozedUntil ? (
        <p role="status">
          Snoozed until{' '}
          <time dateTime={ticket.snoozedUntil} title="When it returns to open">
            {new Date(ticket.snoozedUntil).toLocaleString(undefined, {
              dateStyle: 'medium',
              timeStyle: 'short',
            })}
          </time>{' '}
          (<RelativeTime iso={ticket.snoozedUntil} />)
        </p>
      ) : (
        <p className="muted">
          {pending
            ? 'Not snoozed.'
            : 'Only a pending ticket can be snoozed: set the status to Pending first.'}
        </p>
      )}
      {canEdit && pending && (
        <form onSubmit={submit} className="inline-form">
          <label className="field">
            <span>Snooze until</span>
            <input
              type="datetime-local"
              required
              value={until}
              min={localInput(Date.now())}
              onChange={(e) => setUntil(e.target.value)}
            />
          </label>
          <div className="actions">
            <button type="submit" className="secondary" disabled={snooze.isPending}>
              Snooze
            </button>
            {ticket.snoozedUntil && (
              <button
                type="button"
                className="secondary"
                disabled={snooze.isPending}
                onClick={() => snooze.mutate(null)}
              >
                Wake now
              </button>
            )}
          </div>
        </form>
      )}
    </Card>
  )
}

/** Custom field values: the fields agents may see, edited in place when the agent may edit the ticket. */
export function FieldsCard({ ticket, canEdit }: { ticket: Ticket; canEdit: boolean }) {
  const client = useQueryClient()
  const defs = useQuery({
    queryKey: ['custom-fields'],
    queryFn: () => get<{ items: FieldDef[] }>('/api/v1/custom-fields'),
  })
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState<Record<string, FieldValue | null>>({})
  const values = ticket.customFields ?? {}
  const save = useMutation({
    mutationFn: () =>
      api('PATCH', `/api/v1/tickets/${encodeURIComponent(ticket.number)}/fields`, {
        version: ticket.version,
        fields: draft,
      }),
    onSuccess: async () => {
      setEditing(false)
      setDraft({})
      await refetchAfterChange(client, ticket.number)
    },
    onError: () => client.invalidateQueries({ queryKey: ['ticket', ticket.number] }),
  })
  const items = defs.data?.items ?? []
  if (defs.isSuccess && items.length === 0) return null
  const current = (key: string): FieldValue | undefined => {
    const v = key in draft ? draft[key] : values[key]
    return v === null ? undefined : v
  }
  const set = (key: string, v: FieldValue | null) => setDraft((d) => ({ ...d, [key]: v }))
  return (
    <Card id="fields-title" title="Fields">
      {defs.isError && <ErrorBox error={defs.error} />}
      {save.isError && <StaleOr error={save.error} />}
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            save.mutate()
          }}
        >
          {items.map((def) => (
            <label key={def.key} className={def.type === 'checkbox' ? 'field check' : 'field'}>
              <span>{def.label}</span>
              <FieldInput def={def} value={current(def.key)} onChange={(v) => set(def.key, v)} />
            </label>
          ))}
          <div className="actions">
            <button type="submit" disabled={save.isPending || Object.keys(draft).length === 0}>
              Save fields
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setEditing(false)
                setDraft({})
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <dl className="side-facts">
            {items.map((def) => (
              <div key={def.key}>
                <dt>{def.label}</dt>
                <dd>{shownValue(def, values[def.key])}</dd>
              </div>
            ))}
          </dl>
          {canEdit && (
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              Edit fields
            </button>
          )}
        </>
      )}
    </Card>
  )
}

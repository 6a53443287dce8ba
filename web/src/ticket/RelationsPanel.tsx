// Ticket relationships on the agent's ticket view (issue 12): merge this ticket into another (pick it by search,
// see what moves, undo it), the merges into this ticket (each with Undo while the window lasts), links to other
// tickets, and splitting customer messages off into a new ticket. Kept out of TicketPage so the page only
// mounts it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, get, type TicketDetail, type TicketLink, type TicketLinkKind, type TicketRow } from '../api.ts'
import { ErrorBox } from '../ui.tsx'

const KIND_TEXT: Record<TicketLinkKind, string> = {
  related: 'Related to',
  parent: 'Child of',
  child: 'Parent of',
  duplicate: 'Duplicated by',
  original: 'Duplicate of',
}

const ticketPath = (number: string) => `/api/v1/tickets/${encodeURIComponent(number)}`

/** Everything the page shows about the ticket changed: refetch it, its links, tasks and the queues. */
function useRefresh() {
  const client = useQueryClient()
  return async (...numbers: string[]) => {
    await Promise.all([
      ...numbers.flatMap((n) => [
        client.invalidateQueries({ queryKey: ['ticket', n] }),
        client.invalidateQueries({ queryKey: ['links', n] }),
        client.invalidateQueries({ queryKey: ['tasks', n] }),
        client.invalidateQueries({ queryKey: ['ticket-mail', n] }),
      ]),
      client.invalidateQueries({ queryKey: ['queues'] }),
      client.invalidateQueries({ queryKey: ['tickets'] }),
    ])
  }
}

export function RelationsPanel({ detail }: { detail: TicketDetail }) {
  const { ticket } = detail
  const navigate = useNavigate()
  // A merged ticket's number keeps working: the agent view goes on to the ticket it was merged into.
  useEffect(() => {
    if (ticket.mergedInto)
      void navigate(`/agent/tickets/${encodeURIComponent(ticket.mergedInto)}`, { replace: true })
  }, [navigate, ticket.mergedInto])
  return (
    <section className="card relations" aria-labelledby="relations-title">
      <h2 id="relations-title">Related tickets</h2>
      <MergedHere detail={detail} />
      <Links number={ticket.number} canEdit={detail.abilities.edit} />
      {detail.abilities.edit && <SplitOff detail={detail} />}
      <MergeInto detail={detail} />
    </section>
  )
}

/** The merges into this ticket that are still in force, each with Undo. */
function MergedHere({ detail }: { detail: TicketDetail }) {
  const refresh = useRefresh()
  const merged = new Map<string, string>()
  for (const e of detail.events ?? []) {
    const from = typeof e.after?.from === 'string' ? e.after.from : undefined
    if (!from) continue
    if (e.type === 'ticket.merged_in') merged.set(from, e.createdAt)
    if (e.type === 'ticket.unmerged_out') merged.delete(from)
  }
  const undo = useMutation({
    mutationFn: (source: string) => api('POST', `${ticketPath(source)}/unmerge`, {}),
    onSuccess: (_r, source) => refresh(detail.ticket.number, source),
  })
  if (merged.size === 0 && undo.isIdle) return null
  return (
    <div className="merged-here">
      {merged.size > 0 && <h3>Merged into this ticket</h3>}
      {undo.isError && <ErrorBox error={undo.error} />}
      {undo.isSuccess && (
        <p className="notice" role="status">
          Merge undone: #{undo.variables} is its own ticket again.
        </p>
      )}
      {merged.size > 0 && (
        <ul aria-label="Merged into this ticket">
          {[...merged.keys()].map((source) => (
            <li key={source}>
              <span>#{source}</span>
              <button
                type="button"
                className="secondary"
                aria-label={`Undo merge of #${source}`}
                disabled={undo.isPending}
                onClick={() => undo.mutate(source)}
              >
                Undo
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** A ticket search for picking another ticket: by number, words or requester, as the queue's search box. */
function TicketSearch({
  label,
  exclude,
  onPick,
}: {
  label: string
  exclude: string
  onPick: (t: TicketRow) => void
}) {
  const [q, setQ] = useState('')
  const id = useId()
  const term = q.trim()
  const results = useQuery({
    queryKey: ['ticket-search', term],
    queryFn: () => get<{ items: TicketRow[] }>(`/api/v1/tickets?limit=8&q=${encodeURIComponent(term)}`),
    enabled: term.length > 0,
    staleTime: 10_000,
  })
  const items = (results.data?.items ?? []).filter((t) => t.number !== exclude && !t.mergedInto)
  return (
    <div className="ticket-search">
      <label className="field">
        <span>{label}</span>
        <input
          type="search"
          autoComplete="off"
          value={q}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setQ(e.target.value)}
        />
      </label>
      <p id={`${id}-hint`} className="muted small">
        A number, words of the subject or thread, or the requester.
      </p>
      {term.length > 0 && results.isSuccess && items.length === 0 && (
        <p className="muted">No ticket found.</p>
      )}
      {items.length > 0 && (
        <ul aria-label="Matching tickets" className="search-results">
          {items.map((t) => (
            <li key={t.number}>
              <button type="button" className="link" onClick={() => onPick(t)}>
                #{t.number} {t.subject}
              </button>
              <span className="muted"> · {t.requester.name}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function Links({ number, canEdit }: { number: string; canEdit: boolean }) {
  const refresh = useRefresh()
  const list = useQuery({
    queryKey: ['links', number],
    queryFn: () => get<{ items: TicketLink[] }>(`${ticketPath(number)}/links`),
  })
  const [kind, setKind] = useState<Exclude<TicketLinkKind, 'original'>>('related')
  const add = useMutation({
    mutationFn: (other: string) => api('POST', `${ticketPath(number)}/links`, { number: other, kind }),
    onSuccess: (_r, other) => refresh(number, other),
  })
  const remove = useMutation({
    mutationFn: (other: string) => api('DELETE', `${ticketPath(number)}/links`, { number: other }),
    onSuccess: (_r, other) => refresh(number, other),
  })
  const items = list.data?.items ?? []
  return (
    <div className="links">
      <h3>Links</h3>
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {remove.isError && <ErrorBox error={remove.error} />}
      {list.isSuccess && items.length === 0 && <p className="muted">No linked tickets.</p>}
      {items.length > 0 && (
        <ul aria-label="Linked tickets">
          {items.map((l, i) =>
            l.visible ? (
              <li key={l.number}>
                <span>
                  {KIND_TEXT[l.kind]}{' '}
                  <Link to={`/agent/tickets/${encodeURIComponent(l.number)}`}>
                    #{l.number} {l.subject}
                  </Link>
                </span>
                {canEdit && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Unlink #${l.number}`}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(l.number)}
                  >
                    Unlink
                  </button>
                )}
              </li>
            ) : (
              <li key={`hidden-${i}`}>
                <span className="muted">{KIND_TEXT[l.kind]} a linked ticket you cannot open</span>
              </li>
            ),
          )}
        </ul>
      )}
      {canEdit && (
        <div className="link-add">
          {add.isError && <ErrorBox error={add.error} />}
          <label className="field">
            <span>Link as</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="related">Related ticket</option>
              <option value="parent">Parent of this ticket</option>
              <option value="child">Child of this ticket</option>
              <option value="duplicate">Duplicate of this ticket</option>
            </select>
          </label>
          <TicketSearch label="Find a ticket to link" exclude={number} onPick={(t) => add.mutate(t.number)} />
        </div>
      )}
    </div>
  )
}

/** Merge this ticket into another: pick the target, see what moves, confirm; the target then offers Undo. */
function MergeInto({ detail }: { detail: TicketDetail }) {
  const { ticket } = detail
  const navigate = useNavigate()
  const refresh = useRefresh()
  const [target, setTarget] = useState<TicketRow | null>(null)
  const [open, setOpen] = useState(false)
  const merge = useMutation({
    mutationFn: (into: string) =>
      api<{ target: { number: string } }>('POST', `${ticketPath(ticket.number)}/merge`, {
        into,
        version: ticket.version,
      }),
    onSuccess: async (r) => {
      await refresh(ticket.number, r.target.number)
      void navigate(`/agent/tickets/${encodeURIComponent(r.target.number)}`)
    },
  })
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Merge into another ticket…
      </button>
    )
  const entries = detail.thread.length
  return (
    <div className="merge" role="group" aria-label="Merge into another ticket">
      <h3>Merge into another ticket</h3>
      {merge.isError && <ErrorBox error={merge.error} />}
      <TicketSearch label="Find the ticket to merge into" exclude={ticket.number} onPick={setTarget} />
      {target && (
        <div className="merge-preview" role="region" aria-label="What the merge moves">
          <p>
            Merge <strong>#{ticket.number}</strong> into{' '}
            <strong>
              #{target.number} {target.subject}
            </strong>
            :
          </p>
          <ul>
            <li>
              {entries} thread entr{entries === 1 ? 'y' : 'ies'} with their attachments, and its tasks
            </li>
            <li>
              {detail.tags.length > 0 ? `tags ${detail.tags.join(', ')}` : 'no tags'};{' '}
              {detail.followers.length} follower{detail.followers.length === 1 ? '' : 's'}
            </li>
            <li>
              {target.requester.id === ticket.requester.id
                ? 'collaborators join (same requester)'
                : `${ticket.requester.name} and ${target.requester.name} keep seeing only their own messages`}
            </li>
            <li>
              #{ticket.number} is closed; its number leads to #{target.number}. You can undo it.
            </li>
          </ul>
          <div className="actions">
            <button type="button" disabled={merge.isPending} onClick={() => merge.mutate(target.number)}>
              {merge.isPending ? 'Merging…' : `Merge into #${target.number}`}
            </button>
            <button type="button" className="secondary" onClick={() => setTarget(null)}>
              Choose another
            </button>
          </div>
        </div>
      )}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </div>
  )
}

/** Split customer messages off into a new ticket for the same requester, linked to this one. */
function SplitOff({ detail }: { detail: TicketDetail }) {
  const { ticket } = detail
  const navigate = useNavigate()
  const refresh = useRefresh()
  const [open, setOpen] = useState(false)
  const [chosen, setChosen] = useState<number[]>([])
  const [subject, setSubject] = useState('')
  const messages = detail.thread.filter((e) => e.kind === 'message' && !e.originTicket)
  const split = useMutation({
    mutationFn: () =>
      api<{ created: { number: string } }>('POST', `${ticketPath(ticket.number)}/split`, {
        entryIds: chosen,
        ...(subject.trim() ? { subject: subject.trim() } : {}),
      }),
    onSuccess: async (r) => {
      setChosen([])
      setOpen(false)
      await refresh(ticket.number, r.created.number)
      void navigate(`/agent/tickets/${encodeURIComponent(r.created.number)}`)
    },
  })
  if (messages.length < 2) return null
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Split messages off…
      </button>
    )
  return (
    <form
      className="split"
      aria-label="Split messages off into a new ticket"
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        if (chosen.length > 0) split.mutate()
      }}
    >
      <h3>Split messages off</h3>
      {split.isError && <ErrorBox error={split.error} />}
      <fieldset>
        <legend>Customer messages to move</legend>
        {messages.map((m) => (
          <label key={m.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(m.id)}
              onChange={(e) =>
                setChosen((c) => (e.target.checked ? [...c, m.id] : c.filter((x) => x !== m.id)))
              }
            />
            <span>{m.body.length > 80 ? `${m.body.slice(0, 79)}…` : m.body}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>New ticket’s subject</span>
        <input
          type="text"
          value={subject}
          placeholder={ticket.subject}
          onChange={(e) => setSubject(e.target.value)}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={split.isPending || chosen.length === 0}>
          {split.isPending ? 'Splitting…' : 'Split into a new ticket'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}

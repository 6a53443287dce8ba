// The ticket view's tags and "Apply macro": two small cards beside the update form, each one request.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api, ApiError, get, type MacroList, type Ticket, type TicketDetail } from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'

/**
 * After a change of one's own: the ticket, and the queue lists and counts it may have moved in (a tag a saved
 * view filters on, a macro's status). The stream's `ticket` event would do it too, but not at once.
 */
export async function refetchAfterChange(client: QueryClient, number: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: ['ticket', number] }),
    client.invalidateQueries({ queryKey: ['queues'] }),
    client.invalidateQueries({ queryKey: ['tickets'] }),
  ])
}

/** The tags as the server spells them (src/domain/tags.ts), so the chip shows what will be stored. */
export const normalizeTag = (raw: string) => raw.trim().toLowerCase().replace(/\s+/g, '-')

export function TicketTags({ ticket, tags, canEdit }: { ticket: Ticket; tags: string[]; canEdit: boolean }) {
  const client = useQueryClient()
  const [draft, setDraft] = useState('')
  const save = useMutation({
    mutationFn: (next: string[]) =>
      api<{ ticket: Ticket; tags: string[] }>(
        'PUT',
        `/api/v1/tickets/${encodeURIComponent(ticket.number)}/tags`,
        {
          tags: next,
        },
      ),
    onSuccess: async () => {
      setDraft('')
      await refetchAfterChange(client, ticket.number)
    },
  })
  const add = (e: FormEvent) => {
    e.preventDefault()
    const added = draft.split(',').map(normalizeTag).filter(Boolean)
    if (added.length > 0) save.mutate([...new Set([...tags, ...added])])
  }
  return (
    <section className="card tags-card" aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      {save.isError && <ErrorBox error={save.error} />}
      {tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <ul className="tag-list" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              {tag}
              {canEdit && (
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove tag ${tag}`}
                  disabled={save.isPending}
                  onClick={() => save.mutate(tags.filter((t) => t !== tag))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form onSubmit={add} className="tag-add">
          <label className="field">
            <span>Add tags</span>
            <input
              value={draft}
              maxLength={500}
              placeholder="e.g. vip, printer"
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <button type="submit" className="secondary" disabled={save.isPending || draft.trim() === ''}>
            Add tag
          </button>
        </form>
      )}
    </section>
  )
}

export function ApplyMacro({ ticket }: { ticket: Ticket }) {
  const client = useQueryClient()
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => get<MacroList>('/api/v1/macros') })
  const [chosen, setChosen] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const apply = useMutation({
    mutationFn: (id: string) =>
      api<{ ticket: Ticket }>(
        'POST',
        `/api/v1/tickets/${encodeURIComponent(ticket.number)}/macros/${encodeURIComponent(id)}`,
        { version: ticket.version },
      ),
    onSuccess: async ({ ticket: updated }, id) => {
      client.setQueryData<TicketDetail>(['ticket', ticket.number], (old) =>
        old ? { ...old, ticket: updated } : old,
      )
      setDone(macros.data?.items.find((m) => String(m.id) === id)?.name ?? 'The macro')
      setChosen('')
      await refetchAfterChange(client, ticket.number)
    },
    // A stale version: load the current ticket, so applying again is based on what the agent now sees.
    onError: () => client.invalidateQueries({ queryKey: ['ticket', ticket.number] }),
  })
  const items = macros.data?.items ?? []
  const stale = apply.error instanceof ApiError && apply.error.code === 'version_conflict'
  return (
    <form
      className="card apply-macro"
      aria-labelledby="macro-title"
      onSubmit={(e) => {
        e.preventDefault()
        setDone(null)
        if (chosen) apply.mutate(chosen)
      }}
    >
      <h2 id="macro-title">Macros</h2>
      {macros.isError && <ErrorBox error={macros.error} />}
      {apply.isError &&
        (stale ? (
          <p className="error" role="alert">
            Someone changed this ticket since you opened it; nothing was applied. Look at the current state
            and apply the macro again.
          </p>
        ) : (
          <ErrorBox error={apply.error} />
        ))}
      {done && !apply.isPending && (
        <p className="notice" role="status">
          Applied “{done}”.
        </p>
      )}
      <label className="field">
        <span>Macro</span>
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{items.length === 0 ? 'No macros yet' : 'Choose a macro…'}</option>
          {items.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
              {m.shared ? ' (shared)' : ''}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" disabled={!chosen || apply.isPending}>
          {apply.isPending ? 'Applying…' : 'Apply macro'}
        </button>
        <Link to="/agent/macros">Manage macros</Link>
      </div>
    </form>
  )
}

// The bar that appears with a selection: one set of changes (and/or a macro) applied to every selected ticket in
// one POST /api/v1/tickets/bulk. Each ticket succeeds or fails on its own; the outcome says which.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { BULK_OUTCOMES } from '@shared/tickets.ts'
import {
  api,
  get,
  PRIORITIES,
  type Agent,
  type BulkChanges,
  type BulkOutcome,
  type BulkResult,
  type Macro,
  type Priority,
  type Status,
} from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'
import { useCurrentUser } from '../Shell.tsx'

const OUTCOME_TEXT: Record<BulkOutcome, string> = {
  updated: 'updated',
  unchanged: 'unchanged',
  conflict: 'changed by someone else meanwhile',
  forbidden: 'not allowed',
  invalid: 'refused',
  not_found: 'not found',
}
const ORDER = BULK_OUTCOMES

/** "2 updated, 1 not found". */
export function outcomeSummary(results: BulkResult[]): string {
  return ORDER.map((o) => [o, results.filter((r) => r.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${OUTCOME_TEXT[o]}`)
    .join(', ')
}

/** What the last Apply did, kept on screen after the bar closes. */
export function BulkOutcomeNotice({ results, onDismiss }: { results: BulkResult[]; onDismiss: () => void }) {
  const failed = results.filter((r) => r.outcome !== 'updated' && r.outcome !== 'unchanged')
  return (
    <div className={failed.length > 0 ? 'bulk-outcome conflict' : 'bulk-outcome notice'}>
      <p>
        <strong>{outcomeSummary(results)}.</strong>{' '}
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
      {failed.length > 0 && (
        <ul>
          {failed.map((r) => (
            <li key={r.number}>
              #{r.number}: {r.error?.message ?? OUTCOME_TEXT[r.outcome]}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function BulkBar(props: {
  numbers: string[]
  /** The version of each selected ticket as the list showed it: one changed meanwhile answers `conflict`. */
  versions: Record<string, number>
  onClear: () => void
  onApplied: (results: BulkResult[]) => void
}) {
  const me = useCurrentUser()
  const client = useQueryClient()
  const statuses = useQuery({
    queryKey: ['statuses'],
    queryFn: () => get<{ items: Status[] }>('/api/v1/statuses'),
    staleTime: 300_000,
  })
  const agents = useQuery({
    queryKey: ['agents'],
    queryFn: () => get<{ items: Agent[] }>('/api/v1/agents'),
    staleTime: 300_000,
  })
  const macros = useQuery({
    queryKey: ['macros'],
    queryFn: () => get<{ items: Macro[] }>('/api/v1/macros'),
    staleTime: 60_000,
  })
  const [assignee, setAssignee] = useState('')
  const [status, setStatus] = useState('')
  const [priority, setPriority] = useState('')
  const [tag, setTag] = useState('')
  const [macro, setMacro] = useState('')

  const changes: BulkChanges = {}
  if (assignee !== '') changes.assigneeAgentId = assignee === 'none' ? null : Number(assignee)
  if (status !== '') changes.status = status
  if (priority !== '') changes.priority = priority as Priority
  if (tag.trim() !== '') changes.addTags = [tag.trim()]
  const nothing = Object.keys(changes).length === 0 && macro === ''

  const apply = useMutation({
    mutationFn: () =>
      api<{ results: BulkResult[] }>('POST', '/api/v1/tickets/bulk', {
        numbers: props.numbers,
        versions: props.versions,
        changes,
        ...(macro !== '' ? { macroId: Number(macro) } : {}),
      }),
    onSuccess: async ({ results }) => {
      props.onApplied(results)
      setAssignee('')
      setStatus('')
      setPriority('')
      setTag('')
      setMacro('')
      await Promise.all([
        client.invalidateQueries({ queryKey: ['tickets'] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
        ...results.map((r) => client.invalidateQueries({ queryKey: ['ticket', r.number] })),
      ])
    },
  })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!nothing) apply.mutate()
  }
  const count = props.numbers.length
  const others = (agents.data?.items ?? []).filter((a) => a.id !== me.user.id)

  return (
    <form className="bulk-bar card" aria-label="Bulk actions" onSubmit={submit}>
      <p className="bulk-count">
        <strong>{count} selected</strong>{' '}
        <button type="button" className="link" onClick={props.onClear}>
          Clear selection
        </button>
      </p>
      {apply.isError && <ErrorBox error={apply.error} />}
      <label className="field">
        <span>Assign to</span>
        <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">No change</option>
          <option value={me.user.id}>Me ({me.user.name})</option>
          <option value="none">Unassigned</option>
          {others.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Set status</span>
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">No change</option>
          {(statuses.data?.items ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Set priority</span>
        <select value={priority} onChange={(e) => setPriority(e.target.value)}>
          <option value="">No change</option>
          {PRIORITIES.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Add tag</span>
        <input value={tag} maxLength={64} onChange={(e) => setTag(e.target.value)} />
      </label>
      <label className="field">
        <span>Apply macro</span>
        <select value={macro} onChange={(e) => setMacro(e.target.value)}>
          <option value="">None</option>
          {(macros.data?.items ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
              {m.shared ? ' (shared)' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={nothing || apply.isPending}>
        {apply.isPending ? 'Applying…' : 'Apply'}
      </button>
    </form>
  )
}

// "Save as view" and "Edit view": a name, whether other agents see it (for those who may share), the columns,
// and the filters and sort the queue shows now.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import {
  api,
  get,
  type QueueColumn,
  type QueueFilters,
  type QueueSort,
  type Ref,
  type SortOrder,
  type View,
  type ViewInput,
} from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'
import { useCurrentUser } from '../Shell.tsx'
import { COLUMNS } from './queueQuery.ts'

export function useCanShareViews(): boolean {
  const me = useCurrentUser()
  return me.user.isAdmin || me.departments.some((d) => d.permissions.includes('view.share'))
}

export function ViewDialog(props: {
  /** The view being edited; absent for "Save as view". */
  view?: View
  filters: QueueFilters
  sort: QueueSort
  order: SortOrder
  columns: QueueColumn[]
  onClose: () => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const client = useQueryClient()
  const navigate = useNavigate()
  const canShare = useCanShareViews()
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => get<{ items: Ref[] }>('/api/v1/departments'),
    staleTime: 300_000,
    enabled: canShare,
  })
  const [name, setName] = useState(props.view?.name ?? '')
  const [shared, setShared] = useState(props.view?.shared ?? false)
  const [departmentId, setDepartmentId] = useState(props.view?.departmentId ?? null)
  const [columns, setColumns] = useState<QueueColumn[]>(props.view?.columns ?? props.columns)
  const [useCurrent, setUseCurrent] = useState(true)

  useEffect(() => {
    dialog.current?.showModal()
  }, [])

  const save = useMutation({
    mutationFn: (input: ViewInput) =>
      props.view
        ? api<{ view: View }>('PATCH', `/api/v1/views/${props.view.id}`, input)
        : api<{ view: View }>('POST', '/api/v1/views', input),
    onSuccess: async ({ view }) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['views'] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
      ])
      props.onClose()
      void navigate(`/agent/queues/view:${view.id}`)
    },
  })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const keep = props.view && !useCurrent
    save.mutate({
      name: name.trim(),
      shared: canShare && shared,
      // A personal view has no department; a shared one is for every agent (null) or one department's.
      ...(canShare && shared ? { departmentId } : {}),
      filters: keep ? props.view!.filters : props.filters,
      sort: keep ? props.view!.sort : { sort: props.sort, order: props.order },
      columns: COLUMNS.map((c) => c.key).filter((c) => c === 'subject' || columns.includes(c)),
    })
  }
  const toggleColumn = (key: QueueColumn, on: boolean) =>
    setColumns((cs) => (on ? [...cs, key] : cs.filter((c) => c !== key)))
  const title = props.view ? `Edit view “${props.view.name}”` : 'Save as view'

  return (
    <dialog
      ref={dialog}
      aria-labelledby="view-dialog-title"
      className="card view-dialog"
      onClose={props.onClose}
    >
      <form onSubmit={submit}>
        <h2 id="view-dialog-title">{title}</h2>
        {save.isError && <ErrorBox error={save.error} />}
        <label className="field">
          <span>View name</span>
          <input value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        {props.view && (
          <label className="checkbox">
            <input type="checkbox" checked={useCurrent} onChange={(e) => setUseCurrent(e.target.checked)} />
            Use the filters and sort shown now
          </label>
        )}
        {canShare && (
          <>
            <label className="checkbox">
              <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
              Shared with other agents
            </label>
            {shared && (
              <label className="field">
                <span>Shared with</span>
                <select
                  value={departmentId ?? ''}
                  onChange={(e) => setDepartmentId(e.target.value === '' ? null : Number(e.target.value))}
                >
                  <option value="">Every agent</option>
                  {(departments.data?.items ?? []).map((d) => (
                    <option key={d.id} value={d.id}>
                      Agents of {d.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}
        <fieldset className="columns-choice">
          <legend>Columns</legend>
          {COLUMNS.filter((c) => c.key !== 'subject').map((c) => (
            <label key={c.key} className="checkbox">
              <input
                type="checkbox"
                checked={columns.includes(c.key)}
                onChange={(e) => toggleColumn(c.key, e.target.checked)}
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={save.isPending || name.trim() === ''}>
            {save.isPending ? 'Saving…' : 'Save view'}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}

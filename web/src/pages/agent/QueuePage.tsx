// A queue (Mine, Open, a department, Following, a saved view) or a search: the filter bar and sort, the view's
// actions, the bulk bar for the selected rows, and the table, which loads page after page as the agent scrolls.
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import type { RowSelectionState } from '@tanstack/react-table'
import { useEffect, useMemo, useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import {
  api,
  get,
  PRIORITIES,
  type Agent,
  type BulkResult,
  type Queue,
  type QueueSort,
  type SortOrder,
  type Status,
  type View,
} from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { BulkBar, BulkOutcomeNotice } from './BulkBar.tsx'
import { rememberQueue } from './queueMemory.ts'
import {
  DEFAULT_COLUMNS,
  filtersToSave,
  listQuery,
  queueState,
  SLA_FILTERS,
  SORTS,
  withFilter,
  withSort,
  type QueueState,
} from './queueQuery.ts'
import { QueueTable } from './QueueTable.tsx'
import { exportLink } from './reportsApi.ts'
import { ViewDialog } from './ViewDialog.tsx'
import type { ResponseOf } from '../../api/types.ts'

type Page = ResponseOf<'/api/v1/tickets'>

function useViews(enabled: boolean) {
  return useQuery({ queryKey: ['views'], queryFn: () => get<{ items: View[] }>('/api/v1/views'), enabled })
}

export function QueuePage() {
  const { key } = useParams()
  const [params, setParams] = useSearchParams()
  const q = params.get('q')
  const viewId = key?.startsWith('view:') ? Number(key.slice('view:'.length)) : undefined
  const views = useViews(viewId !== undefined)
  const view = viewId !== undefined ? views.data?.items.find((v) => v.id === viewId) : undefined
  const state = queueState(params, view)
  const query = listQuery(key, q, state).toString()
  const waitingForView = viewId !== undefined && !views.data
  // Deleted (here or elsewhere) or never visible to this agent: asking for its tickets could only be a 404.
  const viewMissing = viewId !== undefined && views.data !== undefined && view === undefined

  const list = useInfiniteQuery({
    queryKey: ['tickets', 'queue', query],
    queryFn: ({ pageParam }) =>
      get<Page>(`/api/v1/tickets?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !waitingForView && !viewMissing,
    // While the agent types a search or changes a filter, the old rows stay until the new ones arrive.
    placeholderData: keepPreviousData,
  })
  const rows = useMemo(() => {
    // A ticket updated while pages load can move from one page to the next; show it once.
    const seen = new Set<string>()
    return (list.data?.pages ?? [])
      .flatMap((p) => p.items)
      .filter((t) => !seen.has(t.number) && seen.add(t.number))
  }, [list.data])

  const queues = useQuery({ queryKey: ['queues'], queryFn: () => get<{ items: Queue[] }>('/api/v1/queues') })
  const queue = queues.data?.items.find((x) => x.key === key)
  const title =
    q !== null ? `Search: ${q}` : viewMissing ? 'View not found' : (view?.name ?? queue?.name ?? 'Open')

  // The selection belongs to one list: changing the queue, a filter or the sort clears it.
  const [selected, setSelected] = useState<{ for: string; rows: RowSelectionState }>({ for: query, rows: {} })
  const selection = selected.for === query ? selected.rows : {}
  const setSelection = (rows: RowSelectionState) => setSelected({ for: query, rows })
  const selectedRows = rows.filter((t) => selection[t.number])
  const selectedNumbers = selectedRows.map((t) => t.number)
  const [outcome, setOutcome] = useState<BulkResult[] | null>(null)
  const [dialog, setDialog] = useState<'save' | 'edit' | null>(null)

  useEffect(() => {
    document.title = `${title} · Switchboard`
  }, [title])
  useEffect(() => {
    rememberQueue(rows.map((t) => t.number))
  }, [rows])

  if (viewMissing)
    return (
      <main className="page queue">
        <h1>{title}</h1>
        <p className="muted">
          This view no longer exists, or it is no longer shared with you.{' '}
          <Link to="/agent/queues/open">Go to the Open queue</Link>
        </p>
      </main>
    )

  const columns = view?.columns.length ? view.columns : DEFAULT_COLUMNS
  const onApplied = (results: BulkResult[]) => {
    setOutcome(results)
    const next = { ...selection }
    for (const r of results) if (r.outcome === 'updated' || r.outcome === 'unchanged') delete next[r.number]
    setSelection(next)
  }

  return (
    <main className="page queue">
      <div className="page-head">
        <h1>{title}</h1>
        <ViewActions
          view={view}
          // A search is not a view: views hold filters, not words.
          canSave={!waitingForView && q === null}
          onSave={() => setDialog('save')}
          onEdit={() => setDialog('edit')}
        />
        {q === null && !waitingForView && (
          <a className="button" href={exportLink(filtersToSave(key, q, state))} download>
            Export CSV
          </a>
        )}
      </div>
      <FilterBar
        state={state}
        view={view}
        onChange={(next) => setParams(next, { replace: true })}
        params={params}
      />
      {selectedNumbers.length > 0 && (
        <BulkBar
          numbers={selectedNumbers}
          versions={Object.fromEntries(selectedRows.map((t) => [t.number, t.version]))}
          onClear={() => setSelection({})}
          onApplied={onApplied}
        />
      )}
      <div role="status" className="bulk-status">
        {outcome && <BulkOutcomeNotice results={outcome} onDismiss={() => setOutcome(null)} />}
      </div>
      {(list.isPending || waitingForView) && <Loading what="Loading tickets" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && <p className="muted">No tickets here.</p>}
      {list.isSuccess && rows.length > 0 && (
        <QueueTable
          label={title}
          rows={rows}
          columns={columns}
          sort={state.sort}
          order={state.order}
          onSort={(sort, order) => setParams(withSort(params, sort, order), { replace: true })}
          selection={selection}
          onSelectionChange={setSelection}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={() => void list.fetchNextPage()}
          total={state.overridden || q !== null ? undefined : queue?.count}
        />
      )}
      {dialog && (
        <ViewDialog
          view={dialog === 'edit' ? view : undefined}
          filters={filtersToSave(key, q, state)}
          sort={state.sort}
          order={state.order}
          columns={columns}
          onClose={() => setDialog(null)}
        />
      )}
    </main>
  )
}

function ViewActions(props: {
  view: View | undefined
  canSave: boolean
  onSave: () => void
  onEdit: () => void
}) {
  const client = useQueryClient()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `/api/v1/views/${id}`),
    onSuccess: async () => {
      setConfirming(false)
      // Leave the view's page before the views are refetched: it should not ask for a view that is gone.
      await navigate('/agent/queues/open')
      await Promise.all([
        client.invalidateQueries({ queryKey: ['views'] }),
        client.invalidateQueries({ queryKey: ['queues'] }),
      ])
    },
  })
  const { view } = props
  return (
    <div className="actions view-actions">
      {remove.isError && <ErrorBox error={remove.error} />}
      {props.canSave && (
        <button type="button" className="secondary" onClick={props.onSave}>
          Save as view
        </button>
      )}
      {view?.editable && !confirming && (
        <>
          <button type="button" className="secondary" onClick={props.onEdit}>
            Edit view
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Delete view
          </button>
        </>
      )}
      {view?.editable && confirming && (
        <span role="group" aria-label="Confirm deleting the view" className="actions">
          <span>Delete “{view.name}”?</span>
          <button type="button" onClick={() => remove.mutate(view.id)} disabled={remove.isPending}>
            Yes, delete it
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </span>
      )}
    </div>
  )
}

/** How each sort reads in descending and ascending order. */
const ORDER_NAMES: Record<QueueSort, [string, string]> = {
  activity: ['Newest first', 'Oldest first'],
  created: ['Newest first', 'Oldest first'],
  updated: ['Newest first', 'Oldest first'],
  priority: ['Most urgent first', 'Least urgent first'],
  due: ['Latest due first', 'Soonest due first'],
}

function FilterBar(props: {
  state: QueueState
  view: View | undefined
  params: URLSearchParams
  onChange: (next: URLSearchParams) => void
}) {
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
  const { state, view, params, onChange } = props
  const f = state.filters
  const set = (field: 'priority' | 'status' | 'assignee' | 'sla') => (value: string) =>
    onChange(withFilter(params, field, value, view?.filters[field] !== undefined))
  const first = (v: readonly unknown[] | undefined) => (v?.[0] === undefined ? '' : String(v[0]))
  return (
    <div className="filter-bar" role="group" aria-label="Filters and sort">
      <label className="field">
        <span>Priority</span>
        <select value={first(f.priority)} onChange={(e) => set('priority')(e.target.value)}>
          <option value="">Any priority</option>
          {PRIORITIES.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Status</span>
        <select value={first(f.status)} onChange={(e) => set('status')(e.target.value)}>
          <option value="">Any status</option>
          {(statuses.data?.items ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Assignee</span>
        <select value={first(f.assignee)} onChange={(e) => set('assignee')(e.target.value)}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          {(agents.data?.items ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>SLA</span>
        <select value={first(f.sla)} onChange={(e) => set('sla')(e.target.value)}>
          <option value="">Any SLA state</option>
          {SLA_FILTERS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Sort by</span>
        <select
          value={state.sort}
          onChange={(e) => {
            const sort = e.target.value as QueueSort
            onChange(withSort(params, sort, sort === 'due' ? 'asc' : 'desc'))
          }}
        >
          {SORTS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Order</span>
        <select
          value={state.order}
          onChange={(e) => onChange(withSort(params, state.sort, e.target.value as SortOrder))}
        >
          <option value="desc">{ORDER_NAMES[state.sort][0]}</option>
          <option value="asc">{ORDER_NAMES[state.sort][1]}</option>
        </select>
      </label>
    </div>
  )
}

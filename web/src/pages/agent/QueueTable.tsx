// The queue as a dense table: TanStack Table for the columns, sorting (done by the server) and row selection,
// TanStack Virtual so a queue of thousands renders only the rows on screen, and the next page loaded as the
// agent nears the end. j/k move between rows, x selects, Enter opens (the focus is on the subject link).
import {
  columnVisibilityFeature,
  createColumnHelper,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef } from 'react'
import { flushSync } from 'react-dom'
import { Link } from 'react-router'
import { PRIORITIES, type QueueColumn, type QueueSort, type SortOrder, type TicketRow } from '../../api.ts'
import { formatDuration, nextDue, slaState, useNow } from '../../sla.tsx'
import { RelativeTime } from '../../time.tsx'
import { COLUMNS } from './queueQuery.ts'

const features = tableFeatures({ rowSortingFeature, rowSelectionFeature, columnVisibilityFeature })
const helper = createColumnHelper<typeof features, TicketRow>()

/** Which server sort a column header asks for. */
const SORT_OF: Partial<Record<QueueColumn, QueueSort>> = {
  number: 'created',
  created: 'created',
  priority: 'priority',
  sla: 'due',
  updated: 'activity',
}
/** The column that shows a server sort, for aria-sort. */
const COLUMN_OF: Record<QueueSort, QueueColumn | undefined> = {
  created: 'number',
  priority: 'priority',
  due: 'sla',
  activity: 'updated',
  updated: undefined,
}

const columnName = (key: QueueColumn) => COLUMNS.find((c) => c.key === key)?.name ?? key

/** Emergency and High stand out by a marker and a shape as well as colour. */
export function PriorityBadge({ priority }: { priority: TicketRow['priority'] }) {
  const name = PRIORITIES.find((p) => p.key === priority)?.name ?? priority
  if (priority === 'emergency')
    return (
      <span className="prio prio-emergency">
        <span aria-hidden="true">▲ </span>
        {name}
      </span>
    )
  if (priority === 'high') return <span className="prio prio-high">{name}</span>
  return <span className="prio">{name}</span>
}

/** The nearest due time, in words; a breach is a bordered badge with a marker. */
function SlaCell({ sla, now }: { sla: TicketRow['sla']; now: number }) {
  if (!sla?.plan) return <span className="muted">—</span>
  const state = slaState(sla, now)
  const due = nextDue(sla)
  const title = due ? `Due ${new Date(due).toLocaleString()}` : undefined
  if (sla.finishedAt)
    return (
      <span className={`sla sla-${state}`}>
        {state === 'breached' ? 'Missed' : 'Met'} <RelativeTime iso={sla.finishedAt} />
      </span>
    )
  if (state === 'paused') return <span className="sla sla-paused">Paused</span>
  if (!due) return state === 'breached' ? <span className="sla sla-breached">Breached</span> : <span>—</span>
  const left = Date.parse(due) - now
  if (state === 'breached' || left <= 0)
    return (
      <span className="sla sla-breached" title={title}>
        <span aria-hidden="true">⚠ </span>
        Breached {formatDuration(left)} ago
      </span>
    )
  return (
    <span className={`sla sla-${state}`} title={title}>
      {state === 'at_risk' ? 'At risk: due in' : 'Due in'} {formatDuration(left)}
    </span>
  )
}

function makeColumns(now: number) {
  return helper.columns([
    helper.display({
      id: 'select',
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = !table.getIsAllRowsSelected() && table.getIsSomeRowsSelected()
          }}
          onChange={(e) => table.toggleAllRowsSelected(e.target.checked)}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.subject}`}
          checked={row.getIsSelected()}
          onChange={(e) => row.toggleSelected(e.target.checked)}
        />
      ),
    }),
    helper.accessor('number', { id: 'number', header: 'Number', cell: (c) => `#${c.getValue()}` }),
    helper.accessor('subject', {
      id: 'subject',
      header: 'Subject',
      // The title shows the whole subject where the column cuts it short.
      cell: ({ row }) => (
        <Link to={`/agent/tickets/${row.original.number}`} title={row.original.subject}>
          {row.original.subject}
        </Link>
      ),
    }),
    helper.accessor((t) => t.requester.name, {
      id: 'requester',
      header: 'Requester',
      cell: ({ row }) => <span title={row.original.requester.email}>{row.original.requester.name}</span>,
    }),
    helper.accessor('statusName', { id: 'status', header: 'Status' }),
    helper.accessor('priority', {
      id: 'priority',
      header: 'Priority',
      cell: (c) => <PriorityBadge priority={c.getValue()} />,
    }),
    helper.accessor((t) => t.department.name, { id: 'department', header: 'Department' }),
    helper.accessor((t) => t.assigneeAgent?.name ?? t.assigneeTeam?.name ?? '', {
      id: 'assignee',
      header: 'Assignee',
      cell: (c) => c.getValue() || <span className="muted">Unassigned</span>,
    }),
    helper.accessor('sla', {
      id: 'sla',
      header: 'SLA due',
      sortDescFirst: false,
      cell: (c) => <SlaCell sla={c.getValue()} now={now} />,
    }),
    helper.accessor('lastActivityAt', {
      id: 'updated',
      header: 'Updated',
      cell: (c) => <RelativeTime iso={c.getValue()} />,
    }),
    helper.accessor('createdAt', {
      id: 'created',
      header: 'Created',
      cell: (c) => <RelativeTime iso={c.getValue()} />,
    }),
    helper.accessor((t) => (t.tags ?? []).join(', '), { id: 'tags', header: 'Tags' }),
  ])
}

const ALL_COLUMNS = COLUMNS.map((c) => c.key)

export interface QueueTableProps {
  label: string
  rows: TicketRow[]
  columns: QueueColumn[]
  sort: QueueSort
  order: SortOrder
  onSort: (sort: QueueSort, order: SortOrder) => void
  selection: RowSelectionState
  onSelectionChange: (next: RowSelectionState) => void
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => void
  /** The queue's count from the sidebar, if known, for aria-rowcount. */
  total: number | undefined
}

export function QueueTable(props: QueueTableProps) {
  const now = useNow()
  const columns = useMemo(() => makeColumns(now), [now])
  const columnVisibility = useMemo<ColumnVisibilityState>(() => {
    const shown = new Set<string>(['select', 'subject', ...props.columns])
    return Object.fromEntries(ALL_COLUMNS.map((c) => [c, shown.has(c)]))
  }, [props.columns])
  const sortColumn = COLUMN_OF[props.sort]
  const sorting = useMemo<SortingState>(
    () => (sortColumn ? [{ id: sortColumn, desc: props.order === 'desc' }] : []),
    [sortColumn, props.order],
  )
  const { onSort, onSelectionChange, selection } = props

  const table = useTable({
    features,
    columns,
    data: props.rows,
    getRowId: (row) => row.number,
    state: { sorting, rowSelection: selection, columnVisibility },
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    enableRowSelection: true,
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater
      const first = next[0]
      const sort = first ? SORT_OF[first.id as QueueColumn] : undefined
      if (first && sort) onSort(sort, first.desc ? 'desc' : 'asc')
    },
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      onSelectionChange(typeof updater === 'function' ? updater(selection) : updater),
  })
  const rows = table.getRowModel().rows

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 37,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()

  // Keep loading while the agent scrolls towards the end, until the queue ends.
  const lastIndex = items[items.length - 1]?.index ?? -1
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = props
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 20) fetchNextPage()
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage])

  // j/k/x from the agent panel's shortcuts (AgentLayout): the row in focus is the current one.
  useEffect(() => {
    const focusedIndex = () => {
      const tr = document.activeElement?.closest<HTMLElement>('tr[data-index]')
      return tr && scrollRef.current?.contains(tr) ? Number(tr.dataset.index) : -1
    }
    const focusRow = (index: number) => {
      virtualizer.scrollToIndex(index, { align: 'auto' })
      const tryFocus = (attempts: number) => {
        const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`tr[data-index="${index}"] a`)
        if (link) link.focus()
        else if (attempts > 0) requestAnimationFrame(() => tryFocus(attempts - 1))
      }
      tryFocus(10)
    }
    const onShortcut = (e: Event) => {
      const key = (e as CustomEvent<string>).detail
      const at = focusedIndex()
      if (key === 'j') focusRow(Math.min(rows.length - 1, at + 1))
      else if (key === 'k') focusRow(Math.max(0, at - 1))
      // React gives an update the priority of window.event, here this custom event rather than the keydown, so
      // without flushSync the checkbox would change in a later, time-sliced render instead of at the key press
      // as it does for a click.
      else if (key === 'x' && at !== -1) flushSync(() => rows[at]?.toggleSelected())
    }
    window.addEventListener('switchboard:shortcut', onShortcut)
    return () => window.removeEventListener('switchboard:shortcut', onShortcut)
  }, [rows, virtualizer])

  const visible = table.getVisibleLeafColumns()
  const paddingTop = items[0]?.start ?? 0
  const paddingBottom =
    items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0
  // Rows plus the header row; -1 (unknown) while more pages may come and the count is not known.
  const rowCount = !hasNextPage ? rows.length + 1 : props.total !== undefined ? props.total + 1 : -1

  return (
    <div className="queue-scroll" ref={scrollRef}>
      <table className="queue-table" aria-label={props.label} aria-rowcount={rowCount}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const column = header.column
                const sortable = SORT_OF[column.id as QueueColumn] !== undefined
                const sorted = column.id === sortColumn ? column.getIsSorted() : false
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={`col-${column.id}`}
                    aria-sort={
                      !sortable
                        ? undefined
                        : sorted === 'asc'
                          ? 'ascending'
                          : sorted === 'desc'
                            ? 'descending'
                            : 'none'
                    }
                  >
                    {sortable ? (
                      <button type="button" className="sort" onClick={column.getToggleSortingHandler()}>
                        {columnName(column.id as QueueColumn)}
                        <span aria-hidden="true" className="sort-mark">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={visible.length} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]
            if (!row) return null
            const t = row.original
            const breached = t.sla ? slaState(t.sla, now) === 'breached' : false
            const classes = [
              t.priority === 'emergency' ? 'row-emergency' : '',
              breached ? 'row-breached' : '',
              row.getIsSelected() ? 'row-selected' : '',
            ]
            return (
              <tr
                key={row.id}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-rowindex={item.index + 2}
                className={classes.filter(Boolean).join(' ') || undefined}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            )
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={visible.length} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      <p className="queue-end muted" role="status">
        {isFetchingNextPage
          ? 'Loading more tickets…'
          : hasNextPage
            ? ''
            : `End of the queue: ${rows.length} ${rows.length === 1 ? 'ticket' : 'tickets'}.`}
      </p>
    </div>
  )
}

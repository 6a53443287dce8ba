// The agent panel: queues and saved views with live counts, search as you type, and the keyboard shortcuts that
// work on every page.
import { useQuery } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router'
import { get, type Queue } from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'
import { useCurrentUser } from '../Shell.tsx'
import { neighbour } from './queueMemory.ts'

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next ticket'],
  ['k', 'Previous ticket'],
  ['x', 'Select or unselect the ticket (in a queue)'],
  ['Enter', 'Open the ticket (in a queue)'],
  ['r', 'Reply to the customer'],
  ['n', 'Write an internal note'],
  ['a', 'Assign the ticket to me'],
  ['/', 'Search tickets'],
  ['Ctrl+Enter', 'Send the reply or note you are writing'],
  ['?', 'Show these shortcuts'],
]

/** Typing into a field, where letters are text rather than shortcuts (a checkbox in focus is not). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit'].includes(target.type)
  return target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Searches as the agent types, after a short pause; Enter searches at once. */
const SEARCH_DELAY_MS = 300

/** Built-in queues first, then departments, then saved views. */
function groupQueues(items: Queue[]): { queues: Queue[]; views: Queue[] } {
  return {
    queues: items.filter((q) => !q.key.startsWith('view:')),
    views: items.filter((q) => q.key.startsWith('view:')),
  }
}

export function AgentLayout() {
  const me = useCurrentUser()
  const navigate = useNavigate()
  const location = useLocation()
  const [params] = useSearchParams()
  const [q, setQ] = useState(params.get('q') ?? '')
  const [typed, setTyped] = useState(false)
  const help = useRef<HTMLDialogElement>(null)
  const search = useRef<HTMLInputElement>(null)
  const queues = useQuery({
    queryKey: ['queues'],
    queryFn: () => get<{ items: Queue[] }>('/api/v1/queues'),
    enabled: me.user.type === 'agent',
    // Live events refresh the counts at once; this catches tickets that left the agent's sight (no event
    // reaches someone who can no longer see the ticket).
    refetchInterval: 60_000,
  })

  // The dashboard is for department managers and admins (GET /api/v1/reports says whether to offer it).
  const reports = useQuery({
    queryKey: ['reports', 'options'],
    queryFn: () => get<{ dashboard: boolean }>('/api/v1/reports'),
    enabled: me.user.type === 'agent',
  })

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return
      if (help.current?.open && e.key !== '?') return
      const onTicket = location.pathname.match(/^\/agent\/tickets\/([^/]+)/)
      switch (e.key) {
        case 'j':
        case 'k': {
          const step = e.key === 'j' ? 1 : -1
          if (onTicket?.[1]) {
            const next = neighbour(decodeURIComponent(onTicket[1]), step)
            if (next) void navigate(`/agent/tickets/${next}`)
          } else {
            // The queue table moves its focus (it knows the rows that are not rendered yet).
            window.dispatchEvent(new CustomEvent('switchboard:shortcut', { detail: e.key }))
          }
          break
        }
        case 'x':
        case 'r':
        case 'n':
        case 'a':
          window.dispatchEvent(new CustomEvent('switchboard:shortcut', { detail: e.key }))
          break
        case '/':
          search.current?.focus()
          break
        case '?':
          if (help.current?.open) help.current.close()
          else help.current?.showModal()
          break
        default:
          return
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [location.pathname, navigate])

  const onSearchPage = location.pathname === '/agent/search'
  const runSearch = useCallback(
    (text: string) => {
      const query = text.trim()
      if (query) void navigate(`/agent/search?q=${encodeURIComponent(query)}`, { replace: onSearchPage })
    },
    [navigate, onSearchPage],
  )
  useEffect(() => {
    if (!typed) return
    const timer = setTimeout(() => {
      setTyped(false)
      runSearch(q)
    }, SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [q, typed, runSearch])

  if (me.user.type !== 'agent') return <Navigate to="/portal" replace />

  const submitSearch = (e: FormEvent) => {
    e.preventDefault()
    setTyped(false)
    runSearch(q)
  }
  const { queues: builtIn, views } = groupQueues(queues.data?.items ?? PLACEHOLDER_QUEUES)

  return (
    <div className="agent">
      <aside className="sidebar">
        <form role="search" onSubmit={submitSearch}>
          <label className="field">
            <span>Search tickets</span>
            <input
              ref={search}
              type="search"
              value={q}
              placeholder="Number or words"
              onChange={(e) => {
                setQ(e.target.value)
                setTyped(true)
              }}
            />
          </label>
        </form>
        <nav aria-label="Queues">
          <h2 className="visually-hidden">Queues</h2>
          {queues.isError && <ErrorBox error={queues.error} retry={() => void queues.refetch()} />}
          <QueueLinks items={builtIn} loaded={queues.isSuccess} />
          {views.length > 0 && (
            <>
              <h3 className="sidebar-heading">Views</h3>
              <QueueLinks items={views} loaded={queues.isSuccess} />
            </>
          )}
        </nav>
        <nav aria-label="Agent tools">
          <ul className="plain-list">
            <li>
              <NavLink to="/agent/new">New ticket</NavLink>
            </li>
            <li>
              <NavLink to="/agent/tasks">My tasks</NavLink>
            </li>
            <li>
              <NavLink to="/agent/macros">Macros</NavLink>
            </li>
            <li>
              <NavLink to="/agent/kb">Knowledge base</NavLink>
            </li>
            <li>
              <NavLink to="/agent/signature">My signature</NavLink>
            </li>
            <li>
              <NavLink to="/agent/reports/satisfaction-time">Satisfaction &amp; time</NavLink>
            </li>
            {reports.data?.dashboard && (
              <li>
                <NavLink to="/agent/reports">Reports</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <button type="button" className="link" onClick={() => help.current?.showModal()}>
          Keyboard shortcuts (?)
        </button>
      </aside>
      <Outlet />
      <dialog ref={help} aria-labelledby="shortcuts-title" className="card">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([key, what]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={() => help.current?.close()}>
          Close
        </button>
      </dialog>
    </div>
  )
}

function QueueLinks({ items, loaded }: { items: Queue[]; loaded: boolean }) {
  return (
    <ul className="queues">
      {items.map((queue) => (
        <li key={queue.key}>
          <NavLink to={`/agent/queues/${queue.key}`}>
            <span>
              {queue.name}
              {queue.shared && <span className="shared-mark"> (shared)</span>}
            </span>
            <span className="count" aria-label={`${queue.count} tickets`}>
              {loaded ? queue.count : '…'}
            </span>
          </NavLink>
        </li>
      ))}
    </ul>
  )
}

const PLACEHOLDER_QUEUES: Queue[] = [
  { key: 'mine', name: 'Mine', count: 0 },
  { key: 'open', name: 'Open', count: 0 },
  { key: 'unassigned', name: 'Unassigned', count: 0 },
  { key: 'following', name: 'Following', count: 0 },
]

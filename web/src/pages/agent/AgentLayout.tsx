// The agent panel: queues with live counts, search, and the keyboard shortcuts that work on every page.
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router'
import { get, type Queue } from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'
import { useCurrentUser } from '../Shell.tsx'
import { neighbour } from './queueMemory.ts'

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next ticket'],
  ['k', 'Previous ticket'],
  ['r', 'Reply to the customer'],
  ['n', 'Write an internal note'],
  ['a', 'Assign the ticket to me'],
  ['/', 'Search tickets'],
  ['Ctrl+Enter', 'Send the reply or note you are writing'],
  ['?', 'Show these shortcuts'],
]

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export function AgentLayout() {
  const me = useCurrentUser()
  const navigate = useNavigate()
  const location = useLocation()
  const [params] = useSearchParams()
  const [q, setQ] = useState(params.get('q') ?? '')
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
            const links = [...document.querySelectorAll<HTMLAnchorElement>('.ticket-list a')]
            const at = links.findIndex((l) => l === document.activeElement)
            links[Math.max(0, Math.min(links.length - 1, at + step))]?.focus()
          }
          break
        }
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

  if (me.user.type !== 'agent') return <Navigate to="/portal" replace />

  const submitSearch = (e: FormEvent) => {
    e.preventDefault()
    if (q.trim()) void navigate(`/agent/search?q=${encodeURIComponent(q.trim())}`)
  }

  return (
    <div className="agent">
      <aside className="sidebar">
        <form role="search" onSubmit={submitSearch}>
          <label className="field">
            <span>Search tickets</span>
            <input ref={search} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </label>
        </form>
        <nav aria-label="Queues">
          <h2 className="visually-hidden">Queues</h2>
          {queues.isError && <ErrorBox error={queues.error} retry={() => void queues.refetch()} />}
          <ul className="queues">
            {(queues.data?.items ?? PLACEHOLDER_QUEUES).map((queue) => (
              <li key={queue.key}>
                <NavLink to={`/agent/queues/${queue.key}`}>
                  <span>{queue.name}</span>
                  <span className="count" aria-label={`${queue.count} tickets`}>
                    {queues.data ? queue.count : '…'}
                  </span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Agent tools">
          <NavLink to="/agent/macros">Macros</NavLink>
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

const PLACEHOLDER_QUEUES: Queue[] = [
  { key: 'mine', name: 'Mine', count: 0 },
  { key: 'open', name: 'Open', count: 0 },
  { key: 'unassigned', name: 'Unassigned', count: 0 },
]

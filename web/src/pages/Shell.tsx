// The frame of every signed-in page: the header with Notifications and Sign out, and the live stream.
import { useQuery } from '@tanstack/react-query'
import { createContext, useContext } from 'react'
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { get, type Me, type Notification } from '../api.ts'
import { useMe, useSignOut } from '../auth.ts'
import { useLiveEvents } from '../live.ts'
import { ErrorBox, Loading } from '../ui.tsx'

const MeContext = createContext<Me | null>(null)

/** The signed-in user; only for pages inside the Shell. */
export function useCurrentUser(): Me {
  const me = useContext(MeContext)
  if (!me) throw new Error('useCurrentUser outside the Shell')
  return me
}

export function useNotifications() {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: () =>
      get<{ items: Notification[]; unreadCount: number; nextCursor: string | null }>(
        '/api/v1/notifications?limit=50',
      ),
  })
}

export function Shell() {
  const me = useMe()
  const location = useLocation()
  useLiveEvents(Boolean(me.data))
  if (me.isPending) return <Loading what="Loading Switchboard" />
  if (me.isError) return <ErrorBox error={me.error} retry={() => void me.refetch()} />
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />
  return (
    <MeContext.Provider value={me.data}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header me={me.data} />
      <div id="main" className="content">
        <Outlet />
      </div>
    </MeContext.Provider>
  )
}

function Header({ me }: { me: Me }) {
  const notifications = useNotifications()
  const signOut = useSignOut()
  const navigate = useNavigate()
  const unread = notifications.data?.unreadCount ?? 0
  const isAgent = me.user.type === 'agent'
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        Switchboard
      </Link>
      <nav aria-label="Main">
        <ul>
          {isAgent ? (
            <li>
              <NavLink to="/agent/queues/open">Tickets</NavLink>
            </li>
          ) : (
            <li>
              <NavLink to="/portal" end>
                My tickets
              </NavLink>
            </li>
          )}
          {isAgent && me.user.isAdmin && (
            <li>
              <NavLink to="/admin">Admin</NavLink>
            </li>
          )}
          <li>
            <NavLink to="/notifications">
              Notifications{' '}
              <span className="badge" data-unread={unread > 0 ? 'yes' : 'no'}>
                {unread}
                <span className="visually-hidden"> unread</span>
              </span>
            </NavLink>
          </li>
          <li>
            <NavLink to="/help">Help center</NavLink>
          </li>
          <li>
            <NavLink to="/account">Account</NavLink>
          </li>
        </ul>
      </nav>
      <span className="who">{me.user.name}</span>
      <button
        type="button"
        className="secondary"
        onClick={() => void signOut().then(() => navigate('/login', { replace: true }))}
      >
        Sign out
      </button>
    </header>
  )
}

// My active sessions: every browser or program signed in to my account, with Sign out per session and Sign out
// everywhere. Plain Sign out (the header button) ends this session only.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { api, get } from '../../api.ts'
import { useForgetSession, useSignOutEverywhere } from '../../auth.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'
import { ColumnHeads, Problem, useSubmit } from './parts.tsx'

export interface Session {
  id: string
  ip: string | null
  userAgent: string | null
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  current: boolean
}

/** "Firefox on Linux" from a user agent; the whole string stays in the title. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device'
  const browser =
    [
      ['Edg/', 'Edge'],
      ['OPR/', 'Opera'],
      ['Firefox/', 'Firefox'],
      ['Chrome/', 'Chrome'],
      ['Safari/', 'Safari'],
      ['curl/', 'curl'],
    ].find(([needle]) => userAgent.includes(needle!))?.[1] ?? undefined
  const system =
    [
      ['Android', 'Android'],
      ['iPhone', 'iPhone'],
      ['iPad', 'iPad'],
      ['Windows', 'Windows'],
      ['Mac OS X', 'macOS'],
      ['CrOS', 'ChromeOS'],
      ['Linux', 'Linux'],
    ].find(([needle]) => userAgent.includes(needle!))?.[1] ?? undefined
  if (browser && system) return `${browser} on ${system}`
  return browser ?? system ?? userAgent.slice(0, 60)
}

export function SessionsSection() {
  const client = useQueryClient()
  const navigate = useNavigate()
  const forget = useForgetSession()
  const signOutEverywhere = useSignOutEverywhere()
  const sessions = useQuery({
    queryKey: ['me', 'sessions'],
    queryFn: () => get<{ items: Session[] }>('/api/v1/me/sessions'),
  })
  const { busy, error, run } = useSubmit()
  const end = (s: Session) =>
    run(undefined, async () => {
      await api('DELETE', `/api/v1/me/sessions/${encodeURIComponent(s.id)}`)
      if (s.current) {
        forget()
        void navigate('/login', { replace: true })
      } else await client.invalidateQueries({ queryKey: ['me', 'sessions'] })
    })
  const everywhere = () =>
    run(undefined, async () => {
      await signOutEverywhere()
      void navigate('/login', { replace: true })
    })
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p className="muted">
        Where your account is signed in. <strong>Sign out</strong> at the top ends this session only; end
        another one here, or all of them at once.
      </p>
      <Problem error={error} />
      {sessions.isPending ? (
        <Loading what="Loading your sessions" />
      ) : sessions.isError ? (
        <ErrorBox error={sessions.error} retry={() => void sessions.refetch()} />
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="sessions-title">
            <ColumnHeads names={['Device', 'IP address', 'Signed in', 'Last seen']} />
            <tbody>
              {sessions.data.items.map((s) => {
                const device = describeDevice(s.userAgent)
                return (
                  <tr key={s.id} aria-current={s.current ? 'true' : undefined}>
                    <td title={s.userAgent ?? undefined}>
                      {device}
                      {s.current && <strong className="this-device"> (this device)</strong>}
                    </td>
                    <td>{s.ip ?? '—'}</td>
                    <td>{formatTime(s.createdAt)}</td>
                    <td>{formatTime(s.lastSeenAt)}</td>
                    <td className="actions">
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy}
                        aria-label={
                          s.current
                            ? 'Sign out this device'
                            : `Sign out ${device}, signed in ${formatTime(s.createdAt)}`
                        }
                        onClick={() => void end(s)}
                      >
                        Sign out
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <button type="button" disabled={busy} onClick={() => void everywhere()}>
          Sign out everywhere
        </button>
      </p>
    </section>
  )
}

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation, useNavigate } from 'react-router'
import { ApiError, type User } from '../api.ts'
import { homeFor, signIn, signInWithCode, useMe } from '../auth.ts'
import { errorText } from '../ui.tsx'
import { SsoButtons } from './SsoButtons.tsx'

export function LoginPage() {
  const me = useMe()
  const navigate = useNavigate()
  const location = useLocation()
  // Where the visitor was going before being sent here; only our own paths, never another origin.
  const from = (location.state as { from?: string } | null)?.from
  const target = (user: User) =>
    from?.startsWith('/') && !from.startsWith('//') && from !== '/' ? from : homeFor(user)
  const client = useQueryClient()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [challenge, setChallenge] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    document.title = 'Sign in · Switchboard'
  }, [])

  // Also reached right after signing in (the `me` query refetches): go on to where the visitor was going.
  if (me.data) return <Navigate to={target(me.data.user)} replace />

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      let user: User
      if (challenge) {
        user = await signInWithCode(challenge, code)
      } else {
        const result = await signIn(email, password)
        if ('challengeToken' in result) {
          setChallenge(result.challengeToken)
          return
        }
        user = result.user
      }
      await client.invalidateQueries({ queryKey: ['me'] })
      void navigate(target(user), { replace: true })
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'invalid_credentials'
          ? 'Access denied: the email or password is not correct.'
          : err instanceof ApiError && err.code === 'invalid_two_factor'
            ? 'Access denied: that code is not correct.'
            : errorText(err),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Switchboard</h1>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {challenge ? (
          <label className="field">
            <span>Code</span>
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <small className="muted">From your authenticator app, or one of your recovery codes.</small>
          </label>
        ) : (
          <>
            <label className="field">
              <span>Email</span>
              <input
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </label>
            <label className="field">
              <span>Password</span>
              <input
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          </>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {!challenge && <SsoButtons returnTo={from} />}
        {!challenge && (
          <p className="alt">
            <Link to="/forgot-password">Forgot your password?</Link> ·{' '}
            <Link to="/portal/check-status">Check a ticket&apos;s status</Link>
          </p>
        )}
      </form>
    </main>
  )
}

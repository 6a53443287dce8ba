import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Navigate, useLocation, useNavigate } from 'react-router'
import { ApiError, type User } from '../api.ts'
import { homeFor, signIn, useMe } from '../auth.ts'
import { errorText } from '../ui.tsx'

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
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    document.title = 'Sign in · Switchboard'
  }, [])

  if (me.data) return <Navigate to={homeFor(me.data.user)} replace />

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const user = await signIn(email, password)
      await client.invalidateQueries({ queryKey: ['me'] })
      void navigate(target(user), { replace: true })
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'invalid_credentials'
          ? 'Access denied: the email or password is not correct.'
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
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}

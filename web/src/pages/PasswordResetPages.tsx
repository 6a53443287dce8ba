// Forgotten passwords: ask for a single-use link by email (the answer never says whether the address has an
// account), then set a new password on the page the link opens. The token travels after `#`, so it never
// reaches a server log or a Referer; it is read from there and removed from the address bar.
import { useEffect, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { confirmPasswordReset, requestPasswordReset } from '../auth.ts'
import { errorText } from '../ui.tsx'
import { LinkRequestForm } from './LinkRequestForm.tsx'

export function ForgotPasswordPage() {
  return (
    <LinkRequestForm
      title="Forgot your password"
      intro="Give your email address. We email you a link to set a new password."
      request={requestPasswordReset}
      back={{ to: '/login', label: 'Back to sign in' }}
    />
  )
}

function takeToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (fromHash) window.history.replaceState(null, '', window.location.pathname)
  return fromHash ?? ''
}

export function ResetPasswordPage() {
  const [token] = useState(takeToken)
  const [password, setPassword] = useState('')
  const [again, setAgain] = useState('')
  const [done, setDone] = useState(false)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    document.title = 'Set a new password · Switchboard'
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (password !== again) {
      setError('The two passwords are not the same.')
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await confirmPasswordReset(token, password)
      setDone(true)
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  if (done)
    return (
      <main className="login">
        <section className="card" aria-labelledby="reset-title">
          <h1 id="reset-title">Password changed</h1>
          <p role="status">Your new password is set, and every other session has been signed out.</p>
          <p className="alt">
            <Link to="/login">Sign in</Link>
          </p>
        </section>
      </main>
    )

  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="reset-title">
        <h1 id="reset-title">Set a new password</h1>
        {!token && (
          <p className="error" role="alert">
            This page needs the link from the email. <Link to="/forgot-password">Ask for a new link</Link>.
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error} {error.includes('link') && <Link to="/forgot-password">Ask for a new link</Link>}
          </p>
        )}
        <label className="field">
          <span>New password (at least 10 characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="field">
          <span>New password again</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy || !token}>
          {busy ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </main>
  )
}

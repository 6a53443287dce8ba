// The "email me a link" form of the pages that work without a password (forgotten password, a ticket's
// status). The server answers the same whether or not the address matched, and so does this form.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { Link } from 'react-router'
import { errorText } from '../ui.tsx'

export function LinkRequestForm(props: {
  title: string
  intro: string
  /** Sends the request; resolves to the neutral message to show. */
  request: (email: string) => Promise<string>
  /** More fields after Email (the form owns only the email address). */
  children?: ReactNode
  back: { to: string; label: string }
}) {
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    document.title = `${props.title} · Switchboard`
  }, [props.title])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      setSent(await props.request(email))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="link-request-title">
        <h1 id="link-request-title">{props.title}</h1>
        <p className="muted">{props.intro}</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {sent && (
          <p className="notice" role="status">
            {sent}
          </p>
        )}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        {props.children}
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Email me a link'}
        </button>
        <p className="alt">
          <Link to={props.back.to}>{props.back.label}</Link>
        </p>
      </form>
    </main>
  )
}

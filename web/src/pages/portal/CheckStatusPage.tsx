// "Check a ticket's status" for customers without their password: email and ticket number in, a single-use
// sign-in link out, mailed to that address. The answer is the same whether or not the ticket is theirs.
import { useEffect, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { requestTicketLink } from '../../auth.ts'
import { errorText } from '../../ui.tsx'

export function CheckStatusPage() {
  const [email, setEmail] = useState('')
  const [number, setNumber] = useState('')
  const [sent, setSent] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    document.title = "Check a ticket's status · Switchboard"
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await requestTicketLink(email, number)
      setSent('If that ticket is yours, we sent a link to that address. It works once, for 30 minutes.')
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="check-title">
        <h1 id="check-title">Check a ticket&apos;s status</h1>
        <p className="muted">
          Give the email address you wrote from and the ticket number. We email you a link that opens the
          ticket.
        </p>
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
        <label className="field">
          <span>Ticket number</span>
          <input
            inputMode="numeric"
            autoComplete="off"
            required
            maxLength={64}
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Email me a link'}
        </button>
        <p className="alt">
          <Link to="/login">Sign in with a password</Link>
        </p>
      </form>
    </main>
  )
}

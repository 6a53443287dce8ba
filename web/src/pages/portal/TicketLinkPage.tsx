// Where the emailed ticket link lands. The link works once, so it is redeemed only when the customer presses
// the button: mail scanners that open links (and run their scripts) must not use it up, nor get the session.
// The token is in the URL fragment (#token=…), which browsers never send to a server; ?token= works too.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { ApiError } from '../../api.ts'
import { signInWithTicketLink } from '../../auth.ts'
import { errorText } from '../../ui.tsx'

function takeToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token')
  const token = fromHash ?? new URLSearchParams(window.location.search).get('token') ?? ''
  // Keep the token out of the history and of anything that reads the address bar later.
  window.history.replaceState(window.history.state, '', window.location.pathname)
  return token
}

const INVALID = 'This link is not valid: it was used already or has expired. Ask for a new one.'

export function TicketLinkPage() {
  const navigate = useNavigate()
  const client = useQueryClient()
  const [token] = useState(takeToken)
  const [error, setError] = useState<string | undefined>(token ? undefined : INVALID)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    document.title = 'Open your ticket · Switchboard'
  }, [])

  const open = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    try {
      const { ticketNumber } = await signInWithTicketLink(token)
      // Whoever was signed in before in this browser is not any more: forget what was loaded for them.
      client.clear()
      await navigate(`/portal/tickets/${encodeURIComponent(ticketNumber)}`, { replace: true })
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'invalid_ticket_link' ? INVALID : errorText(err))
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form className="card" onSubmit={open} aria-labelledby="ticket-link-title">
        <h1 id="ticket-link-title">Your ticket</h1>
        {error ? (
          <>
            <p className="error" role="alert">
              {error}
            </p>
            <p className="alt">
              <Link to="/portal/check-status">Ask for a new link</Link>
            </p>
          </>
        ) : (
          <>
            <p>This link signs you in and opens your ticket. It works once.</p>
            <button type="submit" disabled={busy}>
              {busy ? 'Opening…' : 'Open my ticket'}
            </button>
          </>
        )}
      </form>
    </main>
  )
}

// Where the emailed ticket link lands: signs the customer in with its token (once) and opens the ticket.
// The token is in the URL fragment (#token=…), which browsers never send to a server; ?token= works too.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { ApiError } from '../../api.ts'
import { signInWithTicketLink } from '../../auth.ts'
import { errorText } from '../../ui.tsx'

function tokenFromUrl(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token')
  return fromHash ?? new URLSearchParams(window.location.search).get('token') ?? ''
}

const INVALID = 'This link is not valid: it was used already or has expired. Ask for a new one.'

export function TicketLinkPage() {
  const navigate = useNavigate()
  const client = useQueryClient()
  const [error, setError] = useState<string>()
  // A link works once: redeem it once even when React runs the effect twice.
  const started = useRef(false)

  useEffect(() => {
    document.title = 'Opening your ticket · Switchboard'
    if (started.current) return
    started.current = true
    const token = tokenFromUrl()
    // Keep the token out of the history and of anything that reads the address bar later.
    window.history.replaceState(window.history.state, '', window.location.pathname)
    if (!token) {
      setError(INVALID)
      return
    }
    signInWithTicketLink(token).then(
      async ({ ticketNumber }) => {
        // Whoever was signed in before in this browser is not any more: forget what was loaded for them.
        client.clear()
        await navigate(`/portal/tickets/${encodeURIComponent(ticketNumber)}`, { replace: true })
      },
      (err: unknown) =>
        setError(err instanceof ApiError && err.code === 'invalid_ticket_link' ? INVALID : errorText(err)),
    )
  }, [client, navigate])

  return (
    <main className="login">
      <div className="card">
        <h1>Your ticket</h1>
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
          <p className="loading" role="status">
            Signing you in and opening your ticket…
          </p>
        )}
      </div>
    </main>
  )
}

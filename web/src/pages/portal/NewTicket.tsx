import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, type Ticket } from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'
import { KbSuggestions, useDeflection } from './KbSuggestions.tsx'

export function NewTicket() {
  const [subject, setSubject] = useState('')
  const [message, setMessage] = useState('')
  const navigate = useNavigate()
  const client = useQueryClient()
  const deflection = useDeflection()
  // One key per form: a double submit or a retry after a lost response opens one ticket, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID())
  const create = useMutation({
    mutationFn: () =>
      api<{ ticket: Ticket }>(
        'POST',
        '/api/v1/tickets',
        { subject, message },
        { 'idempotency-key': idempotencyKey },
      ),
    onSuccess: async ({ ticket }) => {
      deflection.markSubmitted()
      await client.invalidateQueries({ queryKey: ['tickets'] })
      void navigate(`/portal/tickets/${ticket.number}`, { state: { created: true } })
    },
  })
  useEffect(() => {
    document.title = 'Open a new ticket · Switchboard'
  }, [])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <main className="page narrow">
      <p>
        <Link to="/portal">← My tickets</Link>
      </p>
      <h1>Open a new ticket</h1>
      <form onSubmit={submit} className="card">
        {create.isError && <ErrorBox error={create.error} />}
        <label className="field">
          <span>Subject</span>
          <input required maxLength={255} value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <KbSuggestions subject={subject} onShown={deflection.shown} />
        <label className="field">
          <span>Message</span>
          <textarea required rows={8} value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Submitting…' : 'Submit ticket'}
        </button>
      </form>
    </main>
  )
}

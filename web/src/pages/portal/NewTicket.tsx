import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, type Ticket } from '../../api.ts'
import { ErrorBox } from '../../ui.tsx'
import { AttachmentPicker, useAttachments } from '../Attachments.tsx'
import { RichTextEditor } from '../../components/RichTextEditor.tsx'
import { EMPTY_RICH_TEXT, newTicketPayload, type RichText } from '../../components/richText.ts'

export function NewTicket() {
  const [subject, setSubject] = useState('')
  const [message, setMessage] = useState<RichText>(EMPTY_RICH_TEXT)
  const files = useAttachments()
  const navigate = useNavigate()
  const client = useQueryClient()
  // One key per form: a double submit or a retry after a lost response opens one ticket, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID())
  const create = useMutation({
    mutationFn: () =>
      api<{ ticket: Ticket }>(
        'POST',
        '/api/v1/tickets',
        {
          subject,
          ...newTicketPayload(message),
          ...(files.ids.length > 0 ? { attachments: files.ids } : {}),
        },
        { 'idempotency-key': idempotencyKey },
      ),
    onSuccess: async ({ ticket }) => {
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
      <form onSubmit={submit} className="card" {...files.formHandlers}>
        {create.isError && <ErrorBox error={create.error} />}
        <label className="field">
          <span>Subject</span>
          <input required maxLength={255} value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <RichTextEditor label="Message" className="tall" onChange={setMessage} />
        <AttachmentPicker state={files} />
        <button type="submit" disabled={create.isPending || files.uploading || message.empty}>
          {create.isPending ? 'Submitting…' : 'Submit ticket'}
        </button>
      </form>
    </main>
  )
}

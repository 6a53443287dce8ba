import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router'
import { api, get, type TicketDetail } from '../../api.ts'
import { ErrorBox, Loading } from '../../ui.tsx'
import { RelativeTime } from '../../time.tsx'
import { Thread } from '../Thread.tsx'
import { AttachmentPicker, useAttachments } from '../Attachments.tsx'
import { RichTextEditor, type RichTextEditorHandle } from '../../components/RichTextEditor.tsx'
import { EMPTY_RICH_TEXT, messagePayload, type RichText } from '../../components/richText.ts'
import { PortalMerged } from '../../ticket/PortalMerged.tsx'
import { PortalSatisfaction } from '../../insight/satisfaction.tsx'

export function PortalTicket() {
  const { number = '' } = useParams()
  const location = useLocation()
  const navigate = useNavigate()
  // The "was created" notice is shown once: the history entry forgets it at once (a reload or a return to
  // this page does not bring it back), and it goes when dismissed or when the customer replies.
  const [created, setCreated] = useState(
    () => (location.state as { created?: boolean } | null)?.created === true,
  )
  useEffect(() => {
    if ((location.state as { created?: boolean } | null)?.created)
      void navigate(location.pathname, { replace: true, state: null })
  }, [location.state, location.pathname, navigate])
  const client = useQueryClient()
  const detail = useQuery({
    queryKey: ['ticket', number],
    queryFn: () => get<TicketDetail>(`/api/v1/tickets/${encodeURIComponent(number)}`),
  })
  const [message, setMessage] = useState<RichText>(EMPTY_RICH_TEXT)
  const editor = useRef<RichTextEditorHandle>(null)
  const files = useAttachments()
  const reply = useMutation({
    mutationFn: () =>
      api('POST', `/api/v1/tickets/${encodeURIComponent(number)}/messages`, {
        ...messagePayload(message),
        ...(files.ids.length > 0 ? { attachments: files.ids } : {}),
      }),
    onSuccess: async () => {
      editor.current?.clear()
      files.clear()
      setCreated(false)
      await client.invalidateQueries({ queryKey: ['ticket', number] })
    },
  })
  const subject = detail.data?.ticket.subject
  useEffect(() => {
    if (subject) document.title = `${subject} · Switchboard`
  }, [subject])

  if (detail.isPending) return <Loading what="Loading the ticket" />
  if (detail.isError)
    return (
      <main className="page">
        <ErrorBox error={detail.error} retry={() => void detail.refetch()} />
        <Link to="/portal">Back to my tickets</Link>
      </main>
    )
  const { ticket, thread } = detail.data
  const submit = (e: FormEvent) => {
    e.preventDefault()
    reply.mutate()
  }
  return (
    <main className="page narrow">
      <p>
        <Link to="/portal">← My tickets</Link>
      </p>
      {created && (
        <div className="notice dismissible" role="status">
          <span>Ticket #{ticket.number} was created. We will reply by email and here.</span>{' '}
          <button type="button" className="secondary" onClick={() => setCreated(false)}>
            Dismiss
          </button>
        </div>
      )}
      <PortalMerged mergedInto={ticket.mergedInto} />
      <h1>{ticket.subject}</h1>
      <dl className="facts">
        <div>
          <dt>Ticket</dt>
          <dd>#{ticket.number}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`status status-${ticket.statusCategory}`}>{ticket.statusName}</span>
          </dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            <RelativeTime iso={ticket.createdAt} />
          </dd>
        </div>
      </dl>
      <PortalSatisfaction number={ticket.number} />
      <h2>Conversation</h2>
      <Thread entries={thread} number={ticket.number} events={detail.data.events} />
      <form onSubmit={submit} className="card composer" {...files.formHandlers}>
        <h2>Reply</h2>
        {reply.isError && <ErrorBox error={reply.error} />}
        <RichTextEditor
          ref={editor}
          label="Message"
          onChange={setMessage}
          onSubmitShortcut={() => !message.empty && !files.uploading && reply.mutate()}
        />
        <AttachmentPicker state={files} />
        <button type="submit" disabled={reply.isPending || files.uploading || message.empty}>
          Send reply
        </button>
      </form>
    </main>
  )
}

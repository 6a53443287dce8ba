// Admin › Mail preview (issue 13): without SMTP_URL no mail is delivered; each outgoing message is kept instead
// (the newest 500) and read here: recipient, subject, the rendered body in a sandboxed frame, and its links, so
// that a desk without a mail server can still finish a password reset. The banner on every admin page says so.
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { get } from '../../api.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'

interface MailSummary {
  id: number
  kind: string
  to: { address: string; name: string | null }
  subject: string
  createdAt: string
}
interface MailPreview extends MailSummary {
  text: string
  html: string | null
  attachments: string[]
}
interface MailPreviewList {
  delivering: boolean
  kept: number
  hidden: number
  keepAtMost: number
  items: MailSummary[]
}

const KIND_NAMES: Record<string, string> = {
  password_reset: 'Password reset',
  ticket_link: 'Ticket sign-in link',
  autoresponse: 'Auto-response',
  reply: 'Reply',
  alert_new_ticket: 'Alert: new ticket',
  alert_assigned: 'Alert: assigned',
  alert_message: 'Alert: new message',
  alert_note: 'Alert: internal note',
}
const kindName = (kind: string) => KIND_NAMES[kind] ?? kind

const useMailPreviews = (limit: number) =>
  useQuery({
    queryKey: ['admin', 'mail-preview', limit],
    queryFn: () => get<MailPreviewList>(`/api/v1/admin/mail-preview?limit=${limit}`),
  })

/** Shown above every admin page while mail is not delivered. */
export function MailDeliveryBanner() {
  const status = useMailPreviews(1)
  if (!status.data || status.data.delivering) return null
  return (
    <p className="mail-banner" role="status">
      <strong>Mail is not being delivered:</strong> no SMTP server is configured (set <code>SMTP_URL</code>,
      see docs/email.md). Outgoing mail is kept in <Link to="/admin/mail-preview">Mail preview</Link> instead.
    </p>
  )
}

/** Web addresses in a message's text part, so each link can be opened from here. */
function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [])]
}

export function MailPreviewAdmin() {
  const list = useMailPreviews(200)
  const [openId, setOpenId] = useState<number>()
  useEffect(() => {
    document.title = 'Mail preview · Admin · Switchboard'
  }, [])
  if (list.isPending) return <Loading what="Loading kept mail" />
  if (list.isError) return <ErrorBox error={list.error} retry={() => void list.refetch()} />
  const { items } = list.data
  const selected = openId ?? items[0]?.id
  return (
    <section aria-labelledby="mail-preview-title" className="mail-preview">
      <h2 id="mail-preview-title">Mail preview</h2>
      <p className="muted">
        {list.data.delivering
          ? 'Mail is delivered by SMTP now; what was kept before is below.'
          : 'No SMTP server is configured, so mail is kept here instead of sent.'}{' '}
        The newest {list.data.keepAtMost} messages are kept; {list.data.kept} now.
        {list.data.hidden > 0 &&
          ` ${list.data.hidden} about tickets you cannot see ${list.data.hidden === 1 ? 'is' : 'are'} not listed.`}
      </p>
      <div className="toolbar">
        <button type="button" className="secondary" onClick={() => void list.refetch()}>
          Refresh
        </button>
      </div>
      {items.length === 0 ? (
        <p>No mail kept yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Kept mail">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} aria-current={m.id === selected ? 'true' : undefined}>
                  <td>{formatTime(m.createdAt)}</td>
                  <td>{m.to.name ? `${m.to.name} <${m.to.address}>` : m.to.address}</td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpenId(m.id)}>
                      {m.subject || '(no subject)'}
                    </button>
                  </td>
                  <td>{kindName(m.kind)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected !== undefined && <KeptMessage id={selected} />}
    </section>
  )
}

function KeptMessage({ id }: { id: number }) {
  const mail = useQuery({
    queryKey: ['admin', 'mail-preview', 'one', id],
    queryFn: () => get<MailPreview>(`/api/v1/admin/mail-preview/${id}`),
  })
  if (mail.isPending) return <Loading what="Loading the message" />
  if (mail.isError) return <ErrorBox error={mail.error} />
  const m = mail.data
  const links = linksIn(m.text)
  return (
    <article className="card" aria-labelledby="kept-subject">
      <h3 id="kept-subject">{m.subject || '(no subject)'}</h3>
      <dl className="facts">
        <dt>To</dt>
        <dd>{m.to.name ? `${m.to.name} <${m.to.address}>` : m.to.address}</dd>
        <dt>Kept</dt>
        <dd>{formatTime(m.createdAt)}</dd>
        <dt>Kind</dt>
        <dd>{kindName(m.kind)}</dd>
        {m.attachments.length > 0 && (
          <>
            <dt>Attachments</dt>
            <dd>{m.attachments.join(', ')}</dd>
          </>
        )}
      </dl>
      {links.length > 0 && (
        <nav aria-label="Links in this message" className="links">
          <ul>
            {links.map((href) => (
              <li key={href}>
                <a href={href} target="_blank" rel="noopener noreferrer">
                  {href}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {m.html ? (
        // The mail's own HTML: no scripts, no same-origin access; its links open in a new tab.
        <iframe
          title={`Message: ${m.subject}`}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          srcDoc={`<base target="_blank">${m.html}`}
        />
      ) : (
        <pre className="mail-text">{m.text}</pre>
      )}
      {m.html && (
        <details>
          <summary>Plain-text part</summary>
          <pre className="mail-text">{m.text}</pre>
        </details>
      )}
    </article>
  )
}

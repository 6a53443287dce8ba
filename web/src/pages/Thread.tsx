import type { ThreadEntry, TicketEvent } from '../api.ts'
import { MessageBody } from '../components/MessageBody.tsx'
import { eventText } from '../history.ts'
import { RelativeTime } from '../time.tsx'
import { EntryAttachments } from './Attachments.tsx'

// Not "Message …": that word names the composer's field, and a label should point at one control.
const ARTICLE_LABEL: Record<ThreadEntry['kind'], string> = {
  message: 'From',
  response: 'Reply from',
  note: 'Internal note from',
}

const KIND_LABEL: Record<ThreadEntry['kind'], string> = {
  message: 'Message',
  response: 'Reply',
  note: 'Internal note',
}

/**
 * The conversation. Plain bodies are text and React escapes them; formatted ones are shown by MessageBody in a
 * sandboxed frame (`number` names the ticket they are served from). `originalHref` gives the download link of
 * the email an entry came from (agents only).
 */
type Item = { at: number; entry: ThreadEntry } | { at: number; event: TicketEvent; text: string }

/** Messages and history lines in time order; at the same instant the message first (it caused the change). */
function timeline(entries: ThreadEntry[], events: TicketEvent[]): Item[] {
  const items: Item[] = entries.map((entry) => ({ at: Date.parse(entry.createdAt), entry }))
  for (const event of events) {
    const text = eventText(event)
    if (text) items.push({ at: Date.parse(event.createdAt), event, text })
  }
  return items.sort((x, y) => x.at - y.at || ('entry' in x ? -1 : 0) - ('entry' in y ? -1 : 0))
}

export function Thread({
  entries,
  events = [],
  originalHref,
  number,
}: {
  entries: ThreadEntry[]
  /** History lines shown between the messages (the server sends customers only what concerns them). */
  events?: TicketEvent[]
  originalHref?: (entryId: number) => string | undefined
  number?: string
}) {
  if (entries.length === 0) return <p className="muted">No messages yet.</p>
  return (
    <ol className="thread">
      {timeline(entries, events).map((item) =>
        'event' in item ? (
          <li key={`event-${item.event.id}`} className="history">
            <span>{item.text}</span> <RelativeTime iso={item.event.createdAt} className="muted" />
          </li>
        ) : (
          <EntryItem key={item.entry.id} e={item.entry} originalHref={originalHref} number={number} />
        ),
      )}
    </ol>
  )
}

function EntryItem({
  e,
  originalHref,
  number,
}: {
  e: ThreadEntry
  originalHref?: (entryId: number) => string | undefined
  number?: string | undefined
}) {
  return (
    <li className={`entry ${e.kind}`}>
      <article aria-label={`${ARTICLE_LABEL[e.kind]} ${e.author.name}`}>
        <header>
          <span className="kind">{KIND_LABEL[e.kind]}</span> <strong>{e.author.name}</strong>{' '}
          <RelativeTime iso={e.createdAt} className="muted" />
          {e.unverifiedSender && (
            <>
              {' '}
              <span
                className="badge unverified"
                title="Nothing proves this email came from that address: it is not a reply to our mail, and no trusted mail server vouched for it. Check before acting on it."
              >
                Unverified sender
              </span>
            </>
          )}
          {e.originTicket && <span className="muted"> · from #{e.originTicket}</span>}
          <OriginalLink href={originalHref?.(e.id)} />
        </header>
        <MessageBody entry={e} number={number} />
        <EntryAttachments files={e.attachments} />
      </article>
    </li>
  )
}

function OriginalLink({ href }: { href: string | undefined }) {
  if (!href) return null
  return (
    <>
      {' '}
      <a href={href} download className="original-email">
        View original email
      </a>
    </>
  )
}

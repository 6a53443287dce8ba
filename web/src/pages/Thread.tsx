import type { ThreadEntry } from '../api.ts'
import { RelativeTime } from '../time.tsx'

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
 * The conversation. Bodies are plain text and React escapes them: nothing a user writes becomes HTML.
 * `originalHref` gives the download link of the email an entry came from (agents only).
 */
export function Thread({
  entries,
  originalHref,
}: {
  entries: ThreadEntry[]
  originalHref?: (entryId: number) => string | undefined
}) {
  if (entries.length === 0) return <p className="muted">No messages yet.</p>
  return (
    <ol className="thread">
      {entries.map((e) => (
        <li key={e.id} className={`entry ${e.kind}`}>
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
              <OriginalLink href={originalHref?.(e.id)} />
            </header>
            <p className="body">{e.body}</p>
          </article>
        </li>
      ))}
    </ol>
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

// One thread entry's body (issue 11). Plain text is text: React escapes it. A formatted entry (composed here or
// received as HTML mail) is shown in a sandboxed frame whose document the server serves under a policy that lets
// nothing run or load (GET …/messages/:id/html): no scripts, no forms, no remote content. Remote images stay
// blocked until the reader clicks "Show remote images" (loading one tells the sender that, and when, it was read).
// Direction follows the text (dir="auto"), so Arabic and Hebrew read right to left.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ThreadEntry } from '../api.ts'

const REMOTE = 'data-remote-src'

export function MessageBody({ entry, number }: { entry: ThreadEntry; number: string | undefined }) {
  if (!entry.bodyHtml || number === undefined)
    return (
      <p className="body" dir="auto">
        {entry.body}
      </p>
    )
  return <FormattedBody entry={entry} number={number} html={entry.bodyHtml} />
}

function FormattedBody({ entry, number, html }: { entry: ThreadEntry; number: string; html: string }) {
  const [remote, setRemote] = useState(false)
  const frame = useRef<HTMLIFrameElement>(null)
  const [height, setHeight] = useState(40)
  const hasRemote = html.includes(REMOTE)
  const src =
    `/api/v1/tickets/${encodeURIComponent(number)}/messages/${entry.id}/html` +
    (remote ? '?remoteImages=1' : '')

  // Same origin (allow-same-origin, never allow-scripts): the app may measure the document to fit the frame.
  const fit = useCallback(() => {
    const doc = frame.current?.contentDocument
    if (!doc?.documentElement) return
    setHeight(Math.max(24, Math.ceil(doc.documentElement.scrollHeight)))
  }, [])
  useEffect(() => {
    window.addEventListener('resize', fit)
    return () => window.removeEventListener('resize', fit)
  }, [fit])

  return (
    <div className="body formatted">
      <iframe
        ref={frame}
        src={src}
        title={`Formatted message from ${entry.author.name}`}
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        style={{ height }}
        onLoad={fit}
      />
      {hasRemote && !remote && (
        <p className="remote-images muted">
          Remote images are blocked: loading them tells the sender when you read this.{' '}
          <button type="button" className="link" onClick={() => setRemote(true)}>
            Show remote images
          </button>
        </p>
      )}
    </div>
  )
}

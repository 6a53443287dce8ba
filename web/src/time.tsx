// Times as people read them: "12 min ago", "in 3 h", and the date beyond 30 days, with the exact
// date and time on hover (and for screen readers, in the <time> element's datetime). One component, used
// everywhere the app shows when something happened.
import { useNow } from './sla.tsx'

const exact = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'medium' })

/** "just now", "12 min ago", "3 h ago", "2 d ago", "in 20 min"; beyond 30 days, the date. */
export function relativeTime(iso: string, now: number): string {
  const ms = Date.parse(iso) - now
  const minutes = Math.round(Math.abs(ms) / 60_000)
  const ago = (s: string) => (ms < 0 ? `${s} ago` : `in ${s}`)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return ago(`${minutes} min`)
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return ago(`${hours} h`)
  const days = Math.floor(hours / 24)
  if (days < 30) return ago(`${days} d`)
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' })
}

/** A time shown relative to now, re-rendered every minute, with the exact time as its tooltip. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useNow()
  return (
    <time dateTime={iso} title={exact(iso)} className={className}>
      {relativeTime(iso, now)}
    </time>
  )
}

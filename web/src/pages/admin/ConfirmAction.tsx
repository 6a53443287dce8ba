// A destructive action that asks once more in place ("Delete" → "Delete for good" / "Keep").
import { useState } from 'react'

export function ConfirmAction({
  action,
  subject,
  onConfirm,
}: {
  /** "Delete", "Revoke": the first button says it, the second says "<action> for good". */
  action: string
  /** What it applies to, for the accessible names ("Delete Corp SSO"). */
  subject: string
  onConfirm: () => void
}) {
  const [asking, setAsking] = useState(false)
  if (!asking)
    return (
      <button
        type="button"
        className="secondary"
        aria-label={`${action} ${subject}`}
        onClick={() => setAsking(true)}
      >
        {action}
      </button>
    )
  return (
    <span role="group" aria-label={`Confirm: ${action.toLowerCase()} ${subject}`}>
      <button
        type="button"
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {action} for good
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  )
}

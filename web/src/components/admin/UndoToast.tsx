// What the last destructive action did, said politely to screen readers, with Undo where it can be undone.
// It stays until dismissed or replaced by the next one: a timer would take the Undo away from a slow reader.
import { useState } from 'react'
import { errorText } from '../../ui.tsx'

export interface Toast {
  text: string
  undo?: () => Promise<unknown>
}

export function UndoToast({ toast, onClose }: { toast: Toast | null; onClose: () => void }) {
  const [busy, setBusy] = useState(false)
  const [failed, setFailed] = useState<string | null>(null)
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className="toast card">
          <span>{failed ?? toast.text}</span>
          {toast.undo && !failed && (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setBusy(true)
                toast.undo!().then(
                  () => {
                    setBusy(false)
                    onClose()
                  },
                  (error: unknown) => {
                    setBusy(false)
                    setFailed(`Could not undo: ${errorText(error)}`)
                  },
                )
              }}
            >
              Undo
            </button>
          )}
          <button
            type="button"
            className="secondary"
            aria-label="Dismiss"
            onClick={() => {
              setFailed(null)
              onClose()
            }}
          >
            ×
          </button>
        </div>
      )}
    </div>
  )
}

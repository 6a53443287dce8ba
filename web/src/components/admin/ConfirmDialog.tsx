// The one confirmation of the admin kit: a modal alertdialog (the native <dialog> opened with showModal, so the
// rest of the page is inert and Tab stays inside), Cancel focused first so Enter never destroys by accident,
// Escape cancels, and focus goes back to the control that opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react'

export interface ConfirmRequest {
  title: string
  body: ReactNode
  /** The label of the button that goes ahead, e.g. "Delete" or "Disable". */
  confirm: string
  run: () => void
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const bodyId = useId()

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const d = dialog.current
    if (d && !d.open) d.showModal()
    cancel.current?.focus()
    return () => {
      if (d?.open) d.close()
      // The opener may have been re-rendered away (its row changed); then there is nothing to go back to.
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      className="card confirm-dialog"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId}>{request.title}</h2>
      <div id={bodyId}>{request.body}</div>
      <div className="actions">
        <button type="button" className="secondary" ref={cancel} onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            onClose()
            request.run()
          }}
        >
          {request.confirm}
        </button>
      </div>
    </dialog>
  )
}

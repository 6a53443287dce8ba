// Files on tickets (issue 11): the attach control of the portal's forms and the agent composer, and the list of
// files on each thread entry. A file is uploaded as soon as it is chosen, dropped or pasted; the form sends
// the upload ids with its message. Pictures are shown from the preview route (sniffed PNG/JPEG/GIF/WebP only).
import { useCallback, useId, useRef, useState, type ClipboardEvent, type DragEvent } from 'react'
import { uploadFile, type Attachment, type Upload } from '../api.ts'
import { errorText } from '../ui.tsx'

export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  if (n >= 1024) return `${Math.round(n / 1024)} KB`
  return `${n} bytes`
}

interface Pending {
  key: string
  name: string
  size: number
  upload?: Upload
  error?: string
}

/** The files being attached to one message: add, remove, the ids to send, and clearing after a send. */
export function useAttachments() {
  const [items, setItems] = useState<Pending[]>([])
  const add = useCallback((files: readonly File[]) => {
    for (const original of files) {
      // A pasted screenshot arrives as "image.png" (or nameless): give it a name a reader can tell apart.
      const file =
        original.name === '' || original.name === 'image.png'
          ? new File(
              [original],
              `screenshot-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.png`,
              {
                type: original.type,
              },
            )
          : original
      const key = crypto.randomUUID()
      setItems((list) => [...list, { key, name: file.name, size: file.size }])
      uploadFile(file).then(
        (upload) => setItems((list) => list.map((p) => (p.key === key ? { ...p, upload } : p))),
        (error: unknown) =>
          setItems((list) => list.map((p) => (p.key === key ? { ...p, error: errorText(error) } : p))),
      )
    }
  }, [])
  const remove = (key: string) => setItems((list) => list.filter((p) => p.key !== key))
  return {
    items,
    add,
    remove,
    clear: () => setItems([]),
    ids: items.flatMap((p) => (p.upload ? [p.upload.id] : [])),
    /** A file still on its way up: the form waits for it rather than sending without it. */
    uploading: items.some((p) => !p.upload && !p.error),
    /** Handlers for the form: files dropped on it or pasted into it are attached. */
    formHandlers: {
      onDragOver: (e: DragEvent) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault()
      },
      onDrop: (e: DragEvent) => {
        if (e.dataTransfer.files.length === 0) return
        e.preventDefault()
        add([...e.dataTransfer.files])
      },
      onPaste: (e: ClipboardEvent) => {
        if (e.clipboardData.files.length === 0) return
        e.preventDefault()
        add([...e.clipboardData.files])
      },
    },
  }
}

export type AttachmentsState = ReturnType<typeof useAttachments>

/** "Attach files": a labelled file input, and the files chosen so far, each with a remove button. */
export function AttachmentPicker({ state }: { state: AttachmentsState }) {
  const input = useRef<HTMLInputElement>(null)
  const hint = useId()
  return (
    <div className="attach">
      <label className="attach-button">
        <input
          ref={input}
          type="file"
          multiple
          aria-describedby={hint}
          onChange={(e) => {
            state.add([...(e.target.files ?? [])])
            e.target.value = ''
          }}
        />
        <span>Attach files</span>
      </label>{' '}
      <span id={hint} className="muted">
        or drop them here, or paste a screenshot
      </span>
      {state.items.length > 0 && (
        <ul className="attach-list" aria-label="Files to attach">
          {state.items.map((p) => (
            <li key={p.key} className={p.error ? 'failed' : undefined}>
              <span className="name">{p.name}</span> <span className="muted">{formatSize(p.size)}</span>{' '}
              {!p.upload && !p.error && <span className="muted">uploading…</span>}
              {p.error && (
                <span className="error-text" role="alert">
                  {p.error}
                </span>
              )}{' '}
              <button
                type="button"
                className="secondary small"
                aria-label={`Remove ${p.name}`}
                onClick={() => state.remove(p.key)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The files of a thread entry: a download link with the size, and a thumbnail for pictures. */
export function EntryAttachments({ files }: { files: readonly Attachment[] | undefined }) {
  if (!files || files.length === 0) return null
  return (
    <ul className="entry-files" aria-label="Attachments">
      {files.map((f) => (
        <li key={f.id}>
          {f.previewUrl && (
            <img className="thumb" src={f.previewUrl} alt={`Preview of ${f.name}`} loading="lazy" />
          )}
          <a href={f.url} download={f.name}>
            {f.name}
          </a>{' '}
          <span className="muted">{formatSize(f.size)}</span>
        </li>
      ))}
    </ul>
  )
}

// The composer's editor, loaded on demand: TipTap and ProseMirror are most of the app's weight, and only the
// pages with a composer need them (the queue does not). The implementation is in RichTextEditorImpl.tsx. Until
// it has loaded, what the page asks of it (focus, insert a canned response) waits and is done on arrival.
import { lazy, Suspense, useCallback, useImperativeHandle, useRef, type Ref } from 'react'
import type { RichTextEditorHandle, RichTextEditorProps } from './richText.ts'

export type { RichTextEditorHandle } from './richText.ts'

const Editor = lazy(() => import('./RichTextEditorImpl.tsx'))

type Call = (editor: RichTextEditorHandle) => void

export function RichTextEditor({ ref, ...props }: RichTextEditorProps & { ref?: Ref<RichTextEditorHandle> }) {
  const inner = useRef<RichTextEditorHandle | null>(null)
  const pending = useRef<Call[]>([])
  const run = useCallback((call: Call) => {
    if (inner.current) call(inner.current)
    else pending.current.push(call)
  }, [])
  useImperativeHandle(
    ref,
    () => ({
      focus: () => run((e) => e.focus()),
      clear: () => run((e) => e.clear()),
      insertText: (text: string) => run((e) => e.insertText(text)),
      insertHtml: (html: string) => run((e) => e.insertHtml(html)),
    }),
    [run],
  )
  const attach = useCallback((editor: RichTextEditorHandle | null) => {
    inner.current = editor
    // After the editor's own effects have put its view in the page (focus needs it there).
    if (editor && pending.current.length > 0)
      setTimeout(() => {
        const latest = inner.current
        if (latest) for (const call of pending.current.splice(0)) call(latest)
      }, 0)
  }, [])
  return (
    <Suspense
      fallback={
        <div className={`field rte${props.className ? ` ${props.className}` : ''}`}>
          <span className="rte-label">{props.label}</span>
          <div className="rte-frame">
            <p className="rte-content muted">Loading the editor…</p>
          </div>
        </div>
      }
    >
      <Editor {...props} ref={attach} />
    </Suspense>
  )
}

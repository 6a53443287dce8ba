// The composer's editor (issue 11): formatted text with TipTap (bold, italic, lists, links, inline code, code
// blocks, quotes). The editable region is a labelled, multi-line textbox; the toolbar is one tab stop (arrow keys
// move within it) and every button has a keyboard shortcut. What it reports: the HTML, a plain-text copy, and
// whether anything is formatted at all, so a plain message is still sent as plain text. The server sanitises
// the HTML and makes its own text copy; nothing here is trusted.
import Image from '@tiptap/extension-image'
import Link from '@tiptap/extension-link'
import { Placeholder } from '@tiptap/extensions'
import { EditorContent, useEditor, useEditorState, type Editor, type JSONContent } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { forwardRef, useId, useImperativeHandle, useRef, type KeyboardEvent } from 'react'
import type { RichText, RichTextEditorHandle, RichTextEditorProps } from './richText.ts'

const PLAIN_NODES = new Set(['doc', 'paragraph', 'text', 'hardBreak'])

function hasFormatting(node: JSONContent): boolean {
  if (node.type && !PLAIN_NODES.has(node.type)) return true
  if (node.marks && node.marks.length > 0) return true
  return (node.content ?? []).some(hasFormatting)
}

function valueOf(editor: Editor): RichText {
  return {
    html: editor.getHTML(),
    text: editor.getText({ blockSeparator: '\n\n' }),
    formatted: hasFormatting(editor.getJSON()),
    empty: editor.isEmpty || editor.getText().trim() === '',
  }
}

function paragraphs(text: string): JSONContent[] {
  return text.split(/\n{2,}/).map((block) => ({
    type: 'paragraph',
    content: block
      .split('\n')
      .flatMap((line, i): JSONContent[] => [
        ...(i > 0 ? [{ type: 'hardBreak' }] : []),
        ...(line === '' ? [] : [{ type: 'text', text: line }]),
      ]),
  }))
}

function askForPicture(editor: Editor) {
  const src = window.prompt('Picture address (https://…)', '')
  if (!src || !/^https:\/\//i.test(src.trim())) return
  const alt = window.prompt('Describe the picture for people who cannot see it', '') ?? ''
  editor.chain().focus().setImage({ src: src.trim(), alt }).run()
}

function askForLink(editor: Editor) {
  const current = (editor.getAttributes('link').href as string | undefined) ?? ''
  const href = window.prompt('Link address (https://…, or empty to remove the link)', current)
  if (href === null) return
  if (href.trim() === '') editor.chain().focus().extendMarkRange('link').unsetLink().run()
  else editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run()
}

interface Tool {
  key: string
  label: string
  shortcut: string
  text: string
  active: (e: Editor) => boolean
  run: (e: Editor) => void
}

const TOOLS: Tool[] = [
  {
    key: 'bold',
    label: 'Bold',
    shortcut: 'Ctrl+B',
    text: 'B',
    active: (e) => e.isActive('bold'),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    key: 'italic',
    label: 'Italic',
    shortcut: 'Ctrl+I',
    text: 'I',
    active: (e) => e.isActive('italic'),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    key: 'bulletList',
    label: 'Bullets',
    shortcut: 'Ctrl+Shift+8',
    text: 'Bullets',
    active: (e) => e.isActive('bulletList'),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    key: 'orderedList',
    label: 'Numbered list',
    shortcut: 'Ctrl+Shift+7',
    text: 'Numbered',
    active: (e) => e.isActive('orderedList'),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    key: 'link',
    label: 'Link',
    shortcut: 'Ctrl+K',
    text: 'Link',
    active: (e) => e.isActive('link'),
    run: askForLink,
  },
  {
    key: 'code',
    label: 'Code',
    shortcut: 'Ctrl+E',
    text: '</>',
    active: (e) => e.isActive('code'),
    run: (e) => e.chain().focus().toggleCode().run(),
  },
  {
    key: 'codeBlock',
    label: 'Code block',
    shortcut: 'Ctrl+Alt+C',
    text: '{ }',
    active: (e) => e.isActive('codeBlock'),
    run: (e) => e.chain().focus().toggleCodeBlock().run(),
  },
  {
    key: 'blockquote',
    label: 'Quote',
    shortcut: 'Ctrl+Shift+B',
    text: '❝ Quote',
    active: (e) => e.isActive('blockquote'),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
]

/** Tools only documents have (the knowledge base): section headings and pictures from https addresses. */
const DOCUMENT_TOOLS: Tool[] = [
  {
    key: 'heading',
    label: 'Heading',
    shortcut: 'Ctrl+Alt+2',
    text: 'H',
    active: (e) => e.isActive('heading', { level: 2 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    key: 'subheading',
    label: 'Subheading',
    shortcut: 'Ctrl+Alt+3',
    text: 'h',
    active: (e) => e.isActive('heading', { level: 3 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  },
  {
    key: 'image',
    label: 'Picture',
    shortcut: '',
    text: 'Picture',
    active: (e) => e.isActive('image'),
    run: askForPicture,
  },
]

const RichTextEditor = forwardRef<RichTextEditorHandle, RichTextEditorProps>(
  function RichTextEditor(props, ref) {
    const labelId = useId()
    const hintId = useId()
    const latest = useRef(props)
    latest.current = props
    const tools = props.document ? [...TOOLS, ...DOCUMENT_TOOLS] : TOOLS
    const editor = useEditor({
      ...(props.initialHtml ? { content: props.initialHtml } : {}),
      extensions: [
        StarterKit.configure({
          heading: props.document ? { levels: [2, 3] } : false,
          horizontalRule: false,
          link: false,
          trailingNode: false,
        }),
        ...(props.document ? [Image.configure({ allowBase64: false })] : []),
        Link.configure({
          openOnClick: false,
          autolink: true,
          defaultProtocol: 'https',
          protocols: ['http', 'https', 'mailto'],
          HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
        }),
        Placeholder.configure({ placeholder: () => latest.current.placeholder ?? '' }),
      ],
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelId,
          'aria-describedby': hintId,
          dir: 'auto',
          class: 'rte-content',
          spellcheck: 'true',
        },
        handleKeyDown: (view, event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            latest.current.onSubmitShortcut?.()
            return true
          }
          if (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            if (editorRef.current) askForLink(editorRef.current)
            return true
          }
          return false
        },
      },
      onUpdate: ({ editor: e }) => latest.current.onChange(valueOf(e)),
    })
    const editorRef = useRef<Editor | null>(null)
    editorRef.current = editor

    // The handle reads the editor when called, so a call made before the editor existed still reaches it.
    useImperativeHandle(
      ref,
      () => ({
        focus: () => editorRef.current?.commands.focus('end'),
        clear: () => {
          editorRef.current?.commands.clearContent(true)
        },
        insertText: (text: string) => {
          const e = editorRef.current
          if (!e) return
          const content = paragraphs(text)
          if (e.isEmpty)
            e.chain().setContent({ type: 'doc', content }, { emitUpdate: true }).focus('end').run()
          else e.chain().focus('end').insertContent(content).run()
        },
        insertHtml: (html: string) => {
          editorRef.current?.chain().focus().insertContent(html).run()
        },
      }),
      [],
    )

    const active = useEditorState({
      editor,
      selector: ({ editor: e }) => (e ? tools.map((t) => t.active(e)) : tools.map(() => false)),
    })

    const toolbar = useRef<HTMLDivElement>(null)
    const onToolbarKey = (event: KeyboardEvent<HTMLDivElement>) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return
      const buttons = [...(toolbar.current?.querySelectorAll('button') ?? [])]
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
      const next =
        event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? buttons.length - 1
            : (at + (event.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length
      event.preventDefault()
      for (const [i, b] of buttons.entries()) b.tabIndex = i === next ? 0 : -1
      buttons[next]?.focus()
    }

    return (
      <div className={`field rte${props.className ? ` ${props.className}` : ''}`}>
        <span id={labelId} className="rte-label">
          {props.label}
        </span>
        <div
          ref={toolbar}
          role="toolbar"
          aria-label="Text formatting"
          className="rte-toolbar"
          onKeyDown={onToolbarKey}
        >
          {tools.map((tool, i) => (
            <button
              key={tool.key}
              type="button"
              className={`rte-tool rte-${tool.key}`}
              tabIndex={i === 0 ? 0 : -1}
              aria-pressed={active?.[i] ?? false}
              aria-label={tool.label}
              title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label}
              disabled={!editor}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => editor && tool.run(editor)}
            >
              {tool.text}
            </button>
          ))}
        </div>
        <EditorContent editor={editor} className="rte-frame" aria-invalid={props.invalid || undefined} />
        <span id={hintId} className="visually-hidden">
          Formatting: Ctrl+B bold, Ctrl+I italic, Ctrl+Shift+8 bullets, Ctrl+Shift+7 numbered list, Ctrl+K
          link, Ctrl+E code, Ctrl+Shift+B quote.{props.onSubmitShortcut ? ' Ctrl+Enter sends.' : ''}
        </span>
      </div>
    )
  },
)

export default RichTextEditor

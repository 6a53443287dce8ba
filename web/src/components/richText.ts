// What the composer's editor reports, and how it is posted: formatted text as HTML (the server sanitises it and
// makes the text copy), plain text as text, so a message without formatting stays a plain entry.

export interface RichText {
  html: string
  text: string
  /** False when the text has no formatting: send it as plain text. */
  formatted: boolean
  empty: boolean
}

export const EMPTY_RICH_TEXT: RichText = { html: '', text: '', formatted: false, empty: true }

/** The body of POST /api/v1/tickets/:number/messages. */
export function messagePayload(value: RichText): { body: string } | { bodyHtml: string } {
  return value.formatted ? { bodyHtml: value.html } : { body: value.text }
}

/** The message part of POST /api/v1/tickets. */
export function newTicketPayload(value: RichText): { message: string } | { messageHtml: string } {
  return value.formatted ? { messageHtml: value.html } : { message: value.text }
}

export interface RichTextEditorHandle {
  focus(): void
  clear(): void
  /** Appends plain text (a canned response) as paragraphs, or replaces an empty draft with it. */
  insertText(text: string): void
  /** Inserts HTML at the cursor (a picture or a link of a document); the server sanitises it on save. */
  insertHtml(html: string): void
}

export interface RichTextEditorProps {
  label: string
  placeholder?: string
  /** Called on every change. */
  onChange: (value: RichText) => void
  /** Ctrl+Enter (⌘+Enter). */
  onSubmitShortcut?: () => void
  className?: string
  /** Marks the region invalid for assistive technology (e.g. after a failed submit). */
  invalid?: boolean
  /** What the editor starts with (sanitised HTML, e.g. an article being edited). */
  initialHtml?: string
  /** Headings and pictures too: for documents (knowledge-base articles), not messages. */
  document?: boolean
}

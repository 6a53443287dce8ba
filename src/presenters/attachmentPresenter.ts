import { z } from 'zod'
import { PREVIEWABLE } from '../commands/uploads.ts'
import type { AttachmentRow } from '../repositories/attachmentRepo.ts'

export const AttachmentOut = z.object({
  id: z.number(),
  name: z.string(),
  size: z.number().describe('Bytes'),
  contentType: z.string().describe('As sniffed from the bytes (uploads) or declared by the mail (email)'),
  url: z.string().describe('Download (always served as an attachment)'),
  previewUrl: z
    .string()
    .nullable()
    .describe('A PNG, JPEG, GIF or WebP picture, for an <img>; null for other types'),
})
export type AttachmentOut = z.infer<typeof AttachmentOut>

export const UploadOut = z.object({
  id: z.number(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
})

export const attachmentUrl = (ticketNumber: string, id: number) =>
  `/api/v1/tickets/${encodeURIComponent(ticketNumber)}/attachments/${id}`

export function presentAttachment(ticketNumber: string, row: AttachmentRow): AttachmentOut {
  const url = attachmentUrl(ticketNumber, row.id)
  return {
    id: row.id,
    name: row.filename,
    size: row.size,
    contentType: row.content_type,
    url,
    previewUrl: PREVIEWABLE.has(row.content_type.toLowerCase()) ? `${url}/preview` : null,
  }
}

/** The attachments of each entry, by entry id. */
export function attachmentsByEntry(
  ticketNumber: string,
  rows: readonly AttachmentRow[],
): Map<number, AttachmentOut[]> {
  const byEntry = new Map<number, AttachmentOut[]>()
  for (const r of rows) {
    const list = byEntry.get(r.entry_id) ?? []
    list.push(presentAttachment(ticketNumber, r))
    byEntry.set(r.entry_id, list)
  }
  return byEntry
}

/**
 * Points the cid: images of an entry's sanitised HTML at our preview route (RFC 2392: a cid: URL names a
 * part by its Content-ID, URL-encoded). A cid: with no matching inline part is left alone: it loads nothing.
 */
export function rewriteCidImages(
  html: string,
  ticketNumber: string,
  files: readonly AttachmentRow[],
): string {
  return html.replace(/(<img\b[^>]*?\bsrc=")cid:([^"]*)"/gi, (whole, start: string, ref: string) => {
    const wanted = safeDecode(ref.replace(/&amp;/g, '&')).toLowerCase()
    const file = files.find((f) => f.content_id !== null && f.content_id.toLowerCase() === wanted)
    return file ? `${start}${attachmentUrl(ticketNumber, file.id)}/preview"` : whole
  })
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

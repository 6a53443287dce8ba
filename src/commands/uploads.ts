// Files people attach to tickets (issue 11). A file is uploaded first (POST /api/v1/uploads), streamed to the
// attachment store while it arrives; its type is sniffed from its bytes, never taken from the client, and must
// be on the allow-list. The upload belongs to its uploader: only they can attach it to a ticket or a message,
// in the same transaction that writes the entry. Uploads nobody attached expire (jobs/attachmentSweep.ts).
import type { Kysely } from 'kysely'
import { fileTypeFromBuffer } from 'file-type'
import type { App } from '../app.ts'
import type { DB } from '../db/schema.ts'
import { AppError, badRequest } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import {
  deleteUploads,
  insertEntryAttachment,
  insertUpload,
  ownUploads,
} from '../repositories/attachmentRepo.ts'
import { storeBuffer, TooLarge, type StagedBlob } from '../repositories/attachmentStore.ts'
import type { NewAttachment } from './intake.ts'

export interface IncomingFile {
  filename: string
  content: AsyncIterable<Buffer | Uint8Array>
}

export interface Uploaded {
  id: number
  name: string
  size: number
  contentType: string
}

/** Types a browser may show as a picture: raster images only (an SVG can carry script). */
export const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export const tooManyFiles = (max: number) =>
  badRequest('too_many_files', `Attach at most ${max} files at once; send the others in another message.`)

/** A file name we can store and offer back: no path, no line breaks, at most 255 characters. */
export function safeFilename(name: string, fallback: string): string {
  const clean = name
    // eslint-disable-next-line no-control-regex
    .replace(/[/\\\u0000-\u001f\u007f]/g, '_')
    .trim()
    .toWellFormed()
  return (clean.length > 255 ? clean.slice(0, 255).toWellFormed() : clean) || fallback
}

/**
 * What the bytes are. file-type recognises binary formats by their signature; text has none, so content that
 * decodes as UTF-8 with no control characters but tab and line breaks is text (CSV when so named).
 */
export async function sniffType(head: Buffer, filename: string): Promise<string> {
  const found = await fileTypeFromBuffer(head)
  if (found) return found.mime
  if (head.length === 0) return 'application/octet-stream'
  try {
    // stream: true leaves a multi-byte character cut at the end of the head undecoded instead of failing.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return 'application/octet-stream'
    if (/<\s*(html|script|svg|body|iframe|!doctype)/i.test(text)) return 'text/html'
    return /\.csv$/i.test(filename) ? 'text/csv' : 'text/plain'
  } catch {
    return 'application/octet-stream'
  }
}

/** Receives the files of one upload request: all of them are kept, or none. */
export async function uploadFiles(
  app: App,
  actor: Actor,
  files: AsyncIterable<IncomingFile>,
): Promise<Uploaded[]> {
  const { maxBytes, maxFiles, allowedTypes, uploadTtlMs } = app.config.attachments
  const staged: { blob: StagedBlob; filename: string; contentType: string }[] = []
  try {
    for await (const file of files) {
      if (staged.length >= maxFiles) throw tooManyFiles(maxFiles)
      const filename = safeFilename(file.filename, `file-${staged.length + 1}`)
      const blob = await app.attachments.stage(file.content, maxBytes).catch((error: unknown) => {
        if (error instanceof TooLarge)
          throw new AppError(
            'too_large',
            'file_too_large',
            `"${filename}" is larger than ${formatBytes(maxBytes)}, the most one file may be.`,
          )
        throw error
      })
      // Pushed before the checks below, so a rejected file is discarded with the others.
      const contentType = await sniffType(blob.head, filename)
      staged.push({ blob, filename, contentType })
      if (blob.size === 0) throw badRequest('empty_file', `"${filename}" is empty.`)
      if (!allowedTypes.includes(contentType))
        throw new AppError(
          'unsupported_media_type',
          'file_type_not_allowed',
          `"${filename}" is ${contentType}, which cannot be attached. Allowed: ${allowedTypes.join(', ')}.`,
        )
    }
    if (staged.length === 0) throw badRequest('no_file', 'Send at least one file (multipart/form-data).')
    const at = app.clock.now()
    return await app.db.transact(async (trx) => {
      const out: Uploaded[] = []
      for (const s of staged) {
        await s.blob.commit(trx, at)
        const id = await insertUpload(trx, {
          uploaderId: actor.id,
          filename: s.filename,
          contentType: s.contentType,
          size: s.blob.size,
          sha256: s.blob.sha256,
          at,
          expiresAt: at + uploadTtlMs,
        })
        out.push({ id, name: s.filename, size: s.blob.size, contentType: s.contentType })
      }
      return out
    })
  } catch (error) {
    for (const s of staged) await s.blob.discard()
    throw error
  }
}

/**
 * Moves the actor's uploads `ids` onto a new thread entry, inside the transaction that wrote it. An upload of
 * someone else, or one that expired, is refused as if it did not exist.
 */
export async function attachUploads(
  app: App,
  trx: Kysely<DB>,
  actor: Actor,
  ids: readonly number[],
  entry: { ticketId: number; entryId: number; at: number },
): Promise<void> {
  const wanted = [...new Set(ids)]
  if (wanted.length === 0) return
  const { maxFiles } = app.config.attachments
  if (wanted.length > maxFiles) throw tooManyFiles(maxFiles)
  const uploads = await ownUploads(trx, actor.id, wanted, entry.at)
  const missing = wanted.filter((id) => !uploads.some((u) => u.id === id))
  if (missing.length > 0)
    throw badRequest(
      'unknown_upload',
      `Upload ${missing.join(', ')} is not one of your uploads or has expired: upload the file again.`,
    )
  for (const u of uploads) {
    await insertEntryAttachment(trx, {
      entryId: entry.entryId,
      ticketId: entry.ticketId,
      filename: u.filename,
      contentType: u.content_type,
      size: u.size,
      sha256: u.sha256,
      at: entry.at,
    })
  }
  await deleteUploads(
    trx,
    uploads.map((u) => u.id),
  )
}

/** Attachments that came with a trusted intake (mail, an osTicket data: URL), stored once by hash. */
export async function storeIntakeAttachments(
  app: App,
  trx: Kysely<DB>,
  attachments: readonly NewAttachment[],
  entry: { ticketId: number; entryId: number; at: number },
): Promise<void> {
  for (const a of attachments) {
    const sha256 = await storeBuffer(app.attachments, trx, a.content, entry.at)
    await insertEntryAttachment(trx, {
      entryId: entry.entryId,
      ticketId: entry.ticketId,
      filename: a.filename,
      contentType: a.contentType,
      size: a.content.length,
      sha256,
      contentId: a.contentId ?? null,
      at: entry.at,
    })
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`
  if (n >= 1024) return `${Math.round(n / 1024)} KB`
  return `${n} bytes`
}

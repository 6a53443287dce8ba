// Uploads and the files on a ticket's thread (issue 11). Files are always served as downloads with nosniff
// and a sandbox CSP (DESIGN.md, invariant 8); pictures are also served for an <img>, with the same headers and
// only when their bytes are a PNG, JPEG, GIF or WebP.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { fileTypeFromBuffer } from 'file-type'
import { z } from 'zod'
import type { App } from '../app.ts'
import { PREVIEWABLE, tooManyFiles, uploadFiles, type IncomingFile } from '../commands/uploads.ts'
import { AppError, notFound } from '../errors.ts'
import { UploadOut } from '../presenters/attachmentPresenter.ts'
import { ticketAttachment } from '../queries/attachmentQueries.ts'
import { ErrorOut, requireActor } from './http.ts'

const TicketFileParams = z.object({
  number: z.string().max(32),
  id: z.coerce.number().int().positive().max(2_147_483_647),
})
const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut }

/** The parts of a multipart request as files; a non-file field is refused rather than silently ignored. */
async function* filesOf(req: FastifyRequest, app: App): AsyncGenerator<IncomingFile> {
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue
      yield { filename: part.filename, content: part.file }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_FILES_LIMIT')
      throw tooManyFiles(app.config.attachments.maxFiles)
    if ((error as { code?: string }).code === 'FST_PARTS_LIMIT')
      throw tooManyFiles(app.config.attachments.maxFiles)
    throw error
  }
}

export function attachmentRoutes(server: FastifyInstance, app: App): void {
  const r = server.withTypeProvider<ZodTypeProvider>()
  r.post(
    '/api/v1/uploads',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Upload files to attach to a ticket or a message',
        description:
          'multipart/form-data with one or more file parts. Each file is stored once by SHA-256; its type is ' +
          'sniffed from its bytes and must be on the allow-list (ATTACHMENT_TYPES). Answers the first file ' +
          'and, in `uploads`, all of them. Pass the ids as `attachments` of POST /api/v1/tickets or ' +
          '…/messages: only you can attach them, and unattached uploads expire (ATTACHMENT_UPLOAD_TTL_HOURS). ' +
          '413 `file_too_large` above ATTACHMENT_MAX_BYTES, 400 `too_many_files` above ATTACHMENT_MAX_FILES, ' +
          '415 `file_type_not_allowed`.',
        response: {
          201: UploadOut.extend({ uploads: z.array(UploadOut) }),
          ...errors,
          413: ErrorOut,
          415: ErrorOut,
        },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError(
          'unsupported_media_type',
          'multipart_required',
          'Send the files as multipart/form-data.',
        )
      const uploads = await uploadFiles(app, requireActor(req), filesOf(req, app))
      return reply.code(201).send({ ...uploads[0]!, uploads })
    },
  )

  r.get(
    '/api/v1/tickets/:number/attachments/:id',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Download an attachment',
        description: 'Only files of entries you may see: never an internal note’s for a customer (404).',
        params: TicketFileParams,
      },
    },
    async (req, reply) => {
      const { file, content } = await ticketAttachment(
        app,
        requireActor(req),
        req.params.number,
        req.params.id,
      )
      return sendSafely(reply, 'application/octet-stream', file.filename, content)
    },
  )

  r.get(
    '/api/v1/tickets/:number/attachments/:id/preview',
    {
      config: { policy: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'A picture attachment, for an <img> (thumbnails, cid: images of HTML mail)',
        description:
          'Served with its image type only when its bytes are a PNG, JPEG, GIF or WebP (404 otherwise), ' +
          'with the download’s headers: Content-Disposition attachment, nosniff, a sandbox CSP.',
        params: TicketFileParams,
      },
    },
    async (req, reply) => {
      const { file, content } = await ticketAttachment(
        app,
        requireActor(req),
        req.params.number,
        req.params.id,
      )
      // Mail declares its own part types: the bytes decide what is shown.
      const sniffed = await fileTypeFromBuffer(content)
      if (!sniffed || !PREVIEWABLE.has(sniffed.mime)) throw notFound('preview')
      return sendSafely(reply, sniffed.mime, file.filename, content)
    },
  )
}

/** A file from outside is hostile content: never rendered as a page, never sniffed into one. */
export function sendSafely(reply: FastifyReply, type: string, filename: string, content: Buffer) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .send(content)
}

import type { FastifyReply } from 'fastify'

/** A raw message as a download that no browser renders: mail from outside is hostile content. */
export function sendRawMail(reply: FastifyReply, filename: string, raw: Buffer) {
  return reply
    .type('message/rfc822')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .send(raw)
}

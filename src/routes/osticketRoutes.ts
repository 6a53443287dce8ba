// osTicket's API, so existing integrations and mail-piping scripts (automail.pl, curl scripts) keep
// working: an X-API-Key header, 201 with the ticket number as plain text. Unlike osTicket, validation
// errors are 400 (osTicket answers 500, and its piping scripts then retry forever).
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { App } from '../app.ts'
import { authenticateApiKey } from '../commands/apiKeys.ts'
import { rateLimitHeaders, spendRateLimit } from '../commands/rateLimits.ts'
import { createOsTicket, OsTicketCreate } from '../commands/osticketTicket.ts'
import { AppError } from '../errors.ts'
import { receiveEmail } from '../mail/receiveEmail.ts'
import { looksLikeMessage } from '../mail/pipe.ts'
import { clientIp, originOf } from './http.ts'

function plain(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type('text/plain; charset=utf-8').send(body)
}

async function answer(reply: FastifyReply, work: () => Promise<{ status: number; body: string }>) {
  try {
    const { status, body } = await work()
    return plain(reply, status, body)
  } catch (error) {
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers)
      const status =
        error.kind === 'unauthenticated'
          ? 401
          : error.kind === 'too_many_requests' || error.status >= 500
            ? error.status
            : 400
      return plain(reply, status, error.message)
    }
    throw error
  }
}

export function osticketRoutes(server: FastifyInstance, app: App): void {
  void server.register(async (scope) => {
    // Mail arrives as raw bytes; osTicket's automail scripts send it with whatever content type they like.
    scope.addContentTypeParser(
      ['message/rfc822', 'text/plain', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: app.config.mail.maxMessageBytes },
      (_req, body, done) => done(null, body),
    )

    scope.post(
      '/api/tickets.json',
      {
        config: { policy: 'public' },
        bodyLimit: app.config.mail.maxMessageBytes,
        schema: {
          tags: ['osTicket'],
          summary: 'Open a ticket (osTicket-compatible)',
          description:
            'Authenticate with `X-API-Key`. Takes osTicket fields; answers 201 with the ticket number as plain text, ' +
            '401 for key problems and 400 for invalid input.',
        },
      },
      async (req, reply) =>
        answer(reply, async () => {
          const key = await authenticateApiKey(
            app,
            header(req.headers['x-api-key']),
            'tickets:create',
            clientIp(req),
          )
          const state = await spendRateLimit(app, { kind: 'api_key', id: key.id })
          if (state) void reply.headers(rateLimitHeaders(state))
          const parsed = OsTicketCreate.safeParse(req.body)
          if (!parsed.success) {
            const issue = parsed.error.issues[0]
            return { status: 400, body: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` }
          }
          return { status: 201, body: await createOsTicket(app, parsed.data, originOf(req)) }
        }),
    )

    scope.post(
      '/api/tickets.email',
      {
        config: { policy: 'public' },
        bodyLimit: app.config.mail.maxMessageBytes,
        schema: {
          tags: ['osTicket'],
          summary: 'File a raw RFC 822 message (osTicket-compatible)',
          description: 'The same rules as inbound mail. Answers 201 with the ticket number as plain text.',
        },
      },
      async (req, reply) =>
        answer(reply, async () => {
          const key = await authenticateApiKey(
            app,
            header(req.headers['x-api-key']),
            'tickets:create',
            clientIp(req),
          )
          const state = await spendRateLimit(app, { kind: 'api_key', id: key.id })
          if (state) void reply.headers(rateLimitHeaders(state))
          const raw = Buffer.isBuffer(req.body)
            ? req.body
            : typeof req.body === 'string'
              ? Buffer.from(req.body)
              : undefined
          if (!raw || raw.length === 0 || !looksLikeMessage(raw))
            return { status: 400, body: 'The body must be a raw RFC 822 message.' }
          const outcome = await receiveEmail(app, raw, { source: 'api' })
          switch (outcome.status) {
            case 'done':
            case 'duplicate':
              return { status: 201, body: outcome.ticketNumber }
            case 'failed':
              // Stored and visible to admins: a retry by the caller would only add a copy.
              return { status: 202, body: `Stored in failed mail #${outcome.inboundId}: ${outcome.error}` }
            case 'pending':
              return { status: 202, body: `Stored as #${outcome.inboundId}` }
          }
        }),
    )
  })
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

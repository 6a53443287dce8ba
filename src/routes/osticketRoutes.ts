// osTicket's API, so existing integrations and mail-piping scripts (automail.php/pl, api_ticket_create.php,
// curl scripts, rcron.php) keep working: an X-API-Key header, 201 with the ticket number as plain text. Like
// osTicket, the body is read whatever its Content-Type says: its own clients post JSON and raw mail as curl's
// default application/x-www-form-urlencoded. Unlike osTicket, validation errors are 400 (osTicket answers 500,
// and its piping scripts then retry forever).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../app.ts'
import { authenticateApiKey } from '../commands/apiKeys.ts'
import { rateLimitHeaders, spendRateLimit } from '../commands/rateLimits.ts'
import { createOsTicket, OsTicketCreate } from '../commands/osticketTicket.ts'
import { parseOsTicketXml } from '../commands/osticketXml.ts'
import { AppError, badRequest } from '../errors.ts'
import { runSweepsOnce } from '../jobs/scheduler.ts'
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
    // Every body arrives as raw bytes, whatever the Content-Type (osTicket's clients send JSON, XML and raw
    // mail as application/x-www-form-urlencoded); each route reads its own format.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: app.config.mail.maxMessageBytes },
      (_req, body, done) => done(null, body),
    )

    /** The API key of the request, holding `scope`; its request counted against the key's rate limit. */
    const keyed = async (
      req: FastifyRequest,
      reply: FastifyReply,
      scope: 'tickets:create' | 'tasks:cron',
    ) => {
      const key = await authenticateApiKey(app, header(req.headers['x-api-key']), scope, clientIp(req))
      const state = await spendRateLimit(app, { kind: 'api_key', id: key.id })
      if (state) void reply.headers(rateLimitHeaders(state))
      return key
    }

    const create = async (req: FastifyRequest, fields: Record<string, unknown>) => {
      const parsed = OsTicketCreate.safeParse(fields)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        return { status: 400, body: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` }
      }
      return { status: 201, body: await createOsTicket(app, parsed.data, originOf(req)) }
    }

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
          await keyed(req, reply, 'tickets:create')
          return create(req, jsonFields(rawBody(req.body), header(req.headers['content-type'])))
        }),
    )

    scope.post(
      '/api/tickets.xml',
      {
        config: { policy: 'public' },
        bodyLimit: app.config.mail.maxMessageBytes,
        schema: {
          tags: ['osTicket'],
          summary: 'Open a ticket from osTicket XML',
          description:
            'The fields of tickets.json as attributes of `<ticket>` or child elements; `<phone ext="">`, ' +
            '`<message type="text/html">`, `<attachments><file name type encoding="base64">`. Entities in a ' +
            'DOCTYPE are refused. Answers as tickets.json does.',
        },
      },
      async (req, reply) =>
        answer(reply, async () => {
          await keyed(req, reply, 'tickets:create')
          return create(req, parseOsTicketXml(rawBody(req.body)))
        }),
    )

    scope.post(
      '/api/tasks/cron',
      {
        config: { policy: 'public' },
        schema: {
          tags: ['osTicket'],
          summary: 'Run one round of the periodic sweeps (osTicket rcron.php)',
          description:
            'Needs a key with the `tasks:cron` scope (osTicket: can_exec_cron). Runs the SLA, snooze and ' +
            'auto-close sweeps once, as the worker does every few seconds anyway, and answers 200 `Completed`.',
        },
      },
      async (req, reply) =>
        answer(reply, async () => {
          await keyed(req, reply, 'tasks:cron')
          const { failed } = await runSweepsOnce(app)
          return failed.length === 0
            ? { status: 200, body: 'Completed' }
            : { status: 500, body: `Sweeps failed: ${failed.join(', ')}` }
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
          await keyed(req, reply, 'tickets:create')
          const raw = rawBody(req.body)
          if (raw.length === 0 || !looksLikeMessage(raw))
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

function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.alloc(0)
}

/**
 * The fields of a tickets.json body: JSON, whatever the Content-Type says (osTicket reads it so). A body that is
 * not JSON but is sent as a form (`curl -d name=…&email=…`) is read as form fields, which osTicket never did.
 */
function jsonFields(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '')
  if (text.trim() === '') throw badRequest('invalid_json', 'The body is empty: send the ticket as JSON.')
  try {
    const value = JSON.parse(text) as unknown
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw badRequest('invalid_json', 'The body must be a JSON object.')
    return value as Record<string, unknown>
  } catch (error) {
    if (error instanceof AppError) throw error
    if (/application\/x-www-form-urlencoded/i.test(contentType ?? '') && !/^\s*[[{]/.test(text))
      return Object.fromEntries(new URLSearchParams(text))
    throw badRequest('invalid_json', `The body is not valid JSON: ${(error as Error).message}`)
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

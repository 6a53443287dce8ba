import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { App } from './app.ts'
import { adminRoutes } from './routes/admin/index.ts'
import { attachmentRoutes } from './routes/attachmentRoutes.ts'
import { accountRoutes } from './routes/accountRoutes.ts'
import { auditRoutes } from './routes/admin/audit.ts'
import { collaboratorRoutes } from './routes/collaboratorRoutes.ts'
import { relationRoutes } from './routes/relationRoutes.ts'
import { authRoutes } from './routes/authRoutes.ts'
import { directoryRoutes } from './routes/directoryRoutes.ts'
import { homeRoutes } from './routes/homeRoutes.ts'
import { registerHttpBasics } from './routes/http.ts'
import { failedMailRoutes } from './routes/admin/failedMail.ts'
import { intakeAddressRoutes } from './routes/admin/intakeAddresses.ts'
import { mailboxRoutes } from './routes/admin/mailboxes.ts'
import { mailTemplateRoutes } from './routes/admin/mailTemplates.ts'
import { securityRoutes } from './routes/admin/security.ts'
import { mailRoutes } from './routes/mailRoutes.ts'
import { messageBodyRoutes } from './routes/messageBodyRoutes.ts'
import { satisfactionRoutes } from './routes/satisfactionRoutes.ts'
import { timeRoutes } from './routes/timeRoutes.ts'
import { liveRoutes } from './routes/liveRoutes.ts'
import { notificationRoutes } from './routes/notificationRoutes.ts'
import { osticketRoutes } from './routes/osticketRoutes.ts'
import { ticketRoutes } from './routes/ticketRoutes.ts'
import { workRoutes } from './routes/workRoutes.ts'
import { viewRoutes } from './routes/viewRoutes.ts'
import { kbRoutes } from './routes/kbRoutes.ts'
import { slaRoutes } from './routes/slaRoutes.ts'
import { webhookRoutes } from './routes/webhookRoutes.ts'
import { reportRoutes } from './routes/reportRoutes.ts'
import { mailPreviewRoutes } from './routes/admin/mailPreview.ts'
import { apiKeyRoutes } from './routes/admin/apiKeys.ts'
import { identityProviderRoutes } from './routes/admin/identityProviders.ts'
import { oidcRoutes } from './routes/auth/oidc.ts'
import { ldapRoutes } from './routes/admin/ldap.ts'

export interface ServerOptions {
  logger?: boolean
}

export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  const { requestTimeoutMs, connectionTimeoutMs } = app.config.http
  const server = Fastify({
    logger: options.logger ? { level: app.config.logLevel } : false,
    // One log line per request costs a third of the throughput; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: app.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Keys like __proto__ in JSON bodies are dropped rather than rejected: harmless either way, and friendlier.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    routerOptions: { maxParamLength: 200 },
    // Fastify turns Node's request timeout off; without these a body that trickles or stalls holds its
    // connection for ever (issue 9: still open after 130 s). requestTimeout bounds the whole request (headers
    // and body, answered 408); connectionTimeout closes a socket idle both ways. Long responses are not cut:
    // the live stream writes a heartbeat every 15 s.
    requestTimeout: requestTimeoutMs,
    connectionTimeout: connectionTimeoutMs,
    http: {
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      // Node checks the timeouts above on this interval (30 s by default), so it bounds how late they bite.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(requestTimeoutMs / 4))),
    },
  })
  server.setValidatorCompiler(validatorCompiler)
  server.setSerializerCompiler(serializerCompiler)

  await server.register(cookie)
  // Before any route: the policy check and the route table only see routes added after this.
  registerHttpBasics(server, app)
  const { maxBytes, maxFiles } = app.config.attachments
  await server.register(multipart, {
    // One byte and one file more than allowed: the upload command sees the excess and answers 413 or 400 with
    // its own codes, while busboy still stops reading a body far past the limits.
    limits: {
      fileSize: maxBytes + 1,
      files: maxFiles + 1,
      fields: 20,
      fieldSize: 1024,
      parts: maxFiles + 21,
      headerPairs: 200,
    },
    throwFileSizeLimit: false,
  })
  await server.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        // The web app and /docs (swagger-ui) load scripts and styles from this origin only. Inline styles stay
        // allowed: UI libraries set them, and a style cannot run code.
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(app.config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Strict-Transport-Security only means something over TLS; SECURE_COOKIES says we are behind it.
    hsts: app.config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
  })
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version: '1',
        description:
          'Help desk API. Errors look like `{"error": {"code", "message"}}`. Authenticate with `Authorization: Bearer <token>` ' +
          'from POST /api/v1/auth/login, or with the session cookie plus the `X-CSRF-Token` header for changes.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await server.register(swaggerUi, { routePrefix: '/docs' })

  await homeRoutes(server, app)
  authRoutes(server, app)
  accountRoutes(server, app)
  auditRoutes(server, app)
  directoryRoutes(server, app)
  ticketRoutes(server, app)
  collaboratorRoutes(server, app)
  relationRoutes(server, app)
  workRoutes(server, app)
  viewRoutes(server, app)
  kbRoutes(server, app)
  notificationRoutes(server, app)
  adminRoutes(server, app)
  slaRoutes(server, app)
  webhookRoutes(server, app)
  mailRoutes(server, app)
  apiKeyRoutes(server, app)
  identityProviderRoutes(server, app)
  oidcRoutes(server, app)
  ldapRoutes(server, app)
  mailboxRoutes(server, app)
  failedMailRoutes(server, app)
  mailTemplateRoutes(server, app)
  intakeAddressRoutes(server, app)
  securityRoutes(server, app)
  attachmentRoutes(server, app)
  messageBodyRoutes(server, app)
  osticketRoutes(server, app)
  liveRoutes(server, app)
  satisfactionRoutes(server, app)
  timeRoutes(server, app)
  reportRoutes(server, app)
  mailPreviewRoutes(server, app)

  server.get('/api/v1/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () =>
    server.swagger(),
  )
  return server
}

import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { App } from './app.ts'
import { authRoutes } from './routes/authRoutes.ts'
import { directoryRoutes } from './routes/directoryRoutes.ts'
import { homeRoutes } from './routes/homeRoutes.ts'
import { registerHttpBasics } from './routes/http.ts'
import { liveRoutes } from './routes/liveRoutes.ts'
import { notificationRoutes } from './routes/notificationRoutes.ts'
import { ticketRoutes } from './routes/ticketRoutes.ts'

export interface ServerOptions {
  logger?: boolean
}

export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
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
  })
  server.setValidatorCompiler(validatorCompiler)
  server.setSerializerCompiler(serializerCompiler)

  await server.register(cookie)
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
  // After registerHttpBasics, so its onRoute hook sees the /docs routes and marks them public.
  registerHttpBasics(server, app)
  await server.register(swaggerUi, { routePrefix: '/docs' })

  await homeRoutes(server, app)
  authRoutes(server, app)
  directoryRoutes(server, app)
  ticketRoutes(server, app)
  notificationRoutes(server, app)
  liveRoutes(server, app)

  server.get('/api/v1/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () =>
    server.swagger(),
  )
  return server
}

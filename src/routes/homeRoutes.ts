import type { FastifyInstance } from 'fastify'
import type { App } from '../app.ts'

const HOME = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
@media (prefers-color-scheme: dark){body{background:#111;color:#eee}a{color:#8cf}}</style>
</head>
<body>
<main>
<h1>Switchboard</h1>
<p>The help desk is running. The web app is on its way; until then, use the API.</p>
<ul>
<li><a href="/docs">API documentation</a></li>
<li><a href="/api/v1/openapi.json">OpenAPI document</a></li>
<li><a href="/healthz">Health check</a></li>
</ul>
</main>
</body>
</html>
`

export function homeRoutes(server: FastifyInstance, app: App): void {
  server.get('/', { config: { policy: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(HOME),
  )

  server.get(
    '/healthz',
    {
      config: { policy: 'public' },
      schema: { tags: ['ops'], summary: '200 once the database answers, 503 when it does not' },
    },
    async (_req, reply) => {
      try {
        await app.db.ping()
        return reply.send({ status: 'ok', database: app.db.dialect })
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: app.db.dialect })
      }
    },
  )
}

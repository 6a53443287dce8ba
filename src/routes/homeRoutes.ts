import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { App } from '../app.ts'
import { databaseUnavailable } from '../db/availability.ts'
import { WEB_DIST } from '../webApp.ts'
import { getKbArticle } from '../queries/kbQueries.ts'

const NOT_BUILT = `<!doctype html>
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
<p>The help desk is running, but the web app has not been built. Run <code>npm run build</code>
(or start with <code>npm start</code>, which builds it), then reload.</p>
<ul>
<li><a href="/docs">API documentation</a></li>
<li><a href="/healthz">Health check</a></li>
</ul>
</main>
</body>
</html>
`

// Paths the single-page app owns are answered with index.html; these stay the server's own (JSON 404s).
const SERVER_PREFIXES = ['/api/', '/docs', '/healthz']

export async function homeRoutes(server: FastifyInstance, app: App, webDist = WEB_DIST): Promise<void> {
  // serve: false — we declare the one route ourselves, so it carries an access policy like every other route.
  await server.register(fastifyStatic, { root: webDist, serve: false })

  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(join(webDist, 'index.html')))
      return reply.type('text/html; charset=utf-8').send(NOT_BUILT)
    // The shell must never be cached, or a new build would load old asset names.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
  }

  // A public help-center article (issue 17) gets its own title and description in the page the server sends, for
  // search engines that do not run the app; an old slug redirects there for good. Anything else: the plain page.
  let indexCache: { mtime: number; html: string } | undefined
  const sendArticlePage = async (reply: FastifyReply, slug: string) => {
    const indexPath = join(webDist, 'index.html')
    if (!existsSync(indexPath)) return sendIndex(reply)
    const found = await getKbArticle(app, undefined, slug).catch(() => undefined)
    if (!found) return sendIndex(reply)
    if ('redirect' in found) return reply.redirect(`/help/articles/${found.redirect}`, 301)
    const mtime = statSync(indexPath).mtimeMs
    if (indexCache?.mtime !== mtime) indexCache = { mtime, html: readFileSync(indexPath, 'utf8') }
    const a = found.article
    const description = a.body_text.replace(/\s+/g, ' ').trim().slice(0, 160)
    const html = indexCache.html
      // Replaced by functions: a `$&` in a title is text, not a replacement pattern.
      .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(a.title)} · Help center</title>`)
      .replace('</head>', () => `<meta name="description" content="${escapeHtml(description)}" />\n</head>`)
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html)
  }

  server.get('/', { config: { policy: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    sendIndex(reply),
  )

  server.get('/*', { config: { policy: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/'
    if (SERVER_PREFIXES.some((p) => path.startsWith(p))) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route GET ${path}` } })
    }
    if (path.startsWith('/assets/')) {
      // Vite puts a content hash in every asset name, so they can be cached for good.
      return reply.sendFile(path.slice(1), { immutable: true, maxAge: 365 * 24 * 3600_000 })
    }
    const article = /^\/help\/articles\/([a-z0-9-]{1,100})$/.exec(path)
    if (article) return sendArticlePage(reply, article[1]!)
    const last = path.slice(path.lastIndexOf('/') + 1)
    const file = resolve(webDist, '.' + safeDecode(path))
    if (last.includes('.') && file.startsWith(resolve(webDist) + sep) && existsSync(file)) {
      return reply.sendFile(path.slice(1))
    }
    return sendIndex(reply)
  })

  server.get(
    '/healthz',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['ops'],
        summary:
          '200 once the database answers; 503 with the reason (`database_unavailable`, `storage_full`)',
      },
    },
    async (_req, reply) => {
      try {
        await app.db.ping()
        return reply.send({ status: 'ok', database: app.db.dialect })
      } catch (error) {
        const down = databaseUnavailable(error)
        return reply
          .code(503)
          .headers(down?.headers ?? { 'retry-after': '5' })
          .send({
            status: 'unavailable',
            database: app.db.dialect,
            reason: down?.code ?? 'database_error',
            message: error instanceof Error ? error.message : String(error),
          })
      }
    },
  )
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

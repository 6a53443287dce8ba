// The knowledge base at 10,000 articles (issue 17): p50/p95/p99 of search (GET /api/v1/kb/articles?q=) and of
// suggestions while a customer types a subject (GET /api/v1/kb/suggest?q=), for a visitor, a customer and an
// agent, one request at a time against the real server in its own process. Target: p95 under 30 ms.
//
// Run: npm run bench:kb -- --db sqlite
//      npm run bench:kb -- --db postgres --url postgres://postgres@127.0.0.1:5432/bench_kb
// (--articles 10000, --runs 300). The PostgreSQL database must be empty (createdb one for the benchmark).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/connection.ts'
import { indexKbArticle } from '../src/db/dialect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { articleText, sanitizeArticleHtml, slugify } from '../src/domain/kb.ts'
import { insertArticle } from '../src/repositories/kbRepo.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { Random, VOCABULARY, zipf } from '../src/seed/syntheticText.ts'
import { signIn, startServer } from './benchServer.ts'
import { machine } from './machine.ts'

const { values: flags } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    url: { type: 'string' },
    articles: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '300' },
    /** Also print each query kind apart. */
    detail: { type: 'boolean', default: false },
  },
})
const ARTICLES = Number(flags.articles)
const RUNS = Number(flags.runs)
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-kb-'))
const databaseUrl =
  flags.db === 'postgres'
    ? (flags.url ??
      (() => {
        throw new Error('--db postgres needs --url')
      })())
    : `sqlite:${join(dir, 'kb.db')}`

const random = new Random(17)
const words = zipf(VOCABULARY, 1.05)
const sentence = (n: number) => Array.from({ length: n }, () => words.draw(random)).join(' ')

async function seed(): Promise<void> {
  const db = openDatabase(databaseUrl)
  try {
    await migrateToLatest(db)
    const at = Date.now()
    await seedDemo(db.writer, at)
    const author = await db.writer
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'jane@example.com')
      .executeTakeFirstOrThrow()
    const started = performance.now()
    for (let batch = 0; batch < ARTICLES; batch += 1000) {
      await db.transact(async (trx) => {
        for (let i = batch; i < Math.min(ARTICLES, batch + 1000); i++) {
          const title = `${sentence(3 + random.int(5))} ${i}`
          const html = sanitizeArticleHtml(
            Array.from({ length: 3 + random.int(4) }, () => `<p>${sentence(25 + random.int(40))}.</p>`).join(
              '',
            ),
          )
          const text = articleText(html)
          const r = random.next()
          const id = await insertArticle(trx, {
            slug: `${slugify(title)}`,
            title,
            body_html: html,
            body_text: text,
            category_id: null,
            visibility: r < 0.7 ? 'public' : r < 0.9 ? 'customers' : 'internal',
            status: random.chance(0.85) ? 'published' : 'draft',
            author_id: author.id,
            published_at: at,
            created_at: at,
            updated_at: at,
          })
          await indexKbArticle(db.dialect, trx, id, { title, body: text })
        }
      })
    }
    // As autovacuum would soon after a load like this: without statistics PostgreSQL plans blind.
    if (db.dialect === 'postgres') await sql`analyze kb_articles`.execute(db.writer)
    console.log(`seeded ${ARTICLES} articles in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    await db.close()
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function measure(url: string, token: string | undefined, label: string, paths: string[]) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  for (const p of paths.slice(0, 5)) await (await fetch(url + p, { headers })).text() // warm up
  const times: number[] = []
  let hits = 0
  for (let i = 0; i < RUNS; i++) {
    const path = paths[i % paths.length]!
    const t0 = performance.now()
    const res = await fetch(url + path, { headers })
    const body = (await res.json()) as { items?: unknown[] }
    times.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    hits += body.items?.length ?? 0
  }
  times.sort((a, b) => a - b)
  const f = (n: number) => n.toFixed(1).padStart(6)
  console.log(
    `${label.padEnd(34)} p50 ${f(percentile(times, 50))} ms  p95 ${f(percentile(times, 95))} ms  p99 ${f(percentile(times, 99))} ms  (${(hits / RUNS).toFixed(1)} results)`,
  )
}

await seed()
const server = await startServer(databaseUrl)
try {
  const ken = await signIn(server.url, 'ken@example.com')
  const john = await signIn(server.url, 'john@example.com')
  // Queries from the vocabulary: common words, rarer ones, two words, and a prefix as typed.
  // The 20 most frequent words are stop words ("the", "to", "i"…), alone in a search only for the stop-word row.
  const stop = VOCABULARY.slice(0, 20)
  const common = VOCABULARY.slice(20, 40)
  const rare = VOCABULARY.slice(500, 520)
  const queries = [
    ...common.map((w) => w),
    ...rare.map((w) => w),
    ...common.slice(0, 10).map((w, i) => `${w} ${rare[i]}`),
    ...stop.slice(0, 10).map((w, i) => `${w} ${common[i]}`),
    ...rare.slice(0, 10).map((w) => w.slice(0, Math.max(4, w.length - 2))),
  ]
  const subjects = Array.from({ length: 40 }, () => `my ${sentence(4)} is not working`)
  const search = queries.map((q) => `/api/v1/kb/articles?q=${encodeURIComponent(q)}&limit=25`)
  const suggest = subjects.map((q) => `/api/v1/kb/suggest?q=${encodeURIComponent(q)}&limit=5`)
  console.log(`knowledge base, ${flags.db}, ${ARTICLES} articles, ${RUNS} requests each — ${machine()}`)
  await measure(server.url, undefined, 'search, visitor', search)
  await measure(server.url, ken, 'search, customer', search)
  await measure(server.url, john, 'search, agent (writer)', search)
  if (flags.detail) {
    const kinds: [string, string[]][] = [
      ['stop word alone', stop],
      ['frequent word', common],
      ['rare word', rare],
      ['two words', common.slice(0, 10).map((w, i) => `${w} ${rare[i]}`)],
      ['prefix', rare.slice(0, 10).map((w) => w.slice(0, Math.max(4, w.length - 2)))],
    ]
    for (const [kind, qs] of kinds)
      await measure(
        server.url,
        undefined,
        `  search ${kind}, visitor`,
        qs.map((q) => `/api/v1/kb/articles?q=${encodeURIComponent(q)}&limit=25`),
      )
  }
  await measure(server.url, undefined, 'suggest, visitor', suggest)
  await measure(server.url, ken, 'suggest, customer', suggest)
} finally {
  server.stop()
  rmSync(dir, { recursive: true, force: true })
}

// The knowledge base (issue 17) on every database: who reads what in every list, search and suggestion;
// kb.edit and kb.publish; revisions and restore; old slugs redirecting; sanitised bodies (XSS and the naughty
// strings); "Was this helpful?" and deflection counts.
import { createRequire } from 'node:module'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../src/commands/auth.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedEssentials } from '../src/seed/demo.ts'
import { Client } from './support/client.ts'
import { MailSink } from './support/mailSink.ts'
import { DATABASES, scratchDatabaseUrl, startServer, type TestServer } from './support/testServer.ts'

const NAUGHTY = createRequire(import.meta.url)('big-list-of-naughty-strings') as string[]

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.test"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p onclick="alert(1)">click</p>',
  '<form action="https://evil.test"><input name=x></form>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<<script>script>alert(1)<</script>/script>',
  '<meta http-equiv="refresh" content="0;url=https://evil.test">',
  '<base href="https://evil.test/">',
  '<img src="http://tracker.test/p.gif">',
  '<img src="//evil.test/p.gif">',
]

/** Whether sanitised HTML holds an active element, an event handler or a script URL (attribute values are quoted). */
function unsafe(html: string): boolean {
  for (const tag of html.matchAll(/<([a-zA-Z0-9]+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    if (/^(script|style|iframe|svg|object|embed|form|input|meta|base|link|math)$/i.test(tag[1]!)) return true
    for (const attr of tag[2]!.matchAll(/\s+([\w-]+)(?:="([^"]*)")?/g)) {
      if (/^on/i.test(attr[1]!) || attr[1] === 'style') return true
      // A URL with a scheme (after the characters a browser ignores) must be http(s) or mailto.
      const url = (attr[2] ?? '')
        .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
        .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
        .replace(/&colon;/gi, ':')
        // eslint-disable-next-line no-control-regex
        .replace(/[\s\u0000-\u001f]/g, '')
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
      if (/^(href|src)$/i.test(attr[1]!) && scheme && !/^(https?|mailto)$/i.test(scheme)) return true
    }
  }
  // Anything tag-like left unparsed is a tag this check does not understand.
  return /<(?![a-zA-Z0-9]+(?:\s+[\w-]+(?:="[^"]*")?)*\s*\/?>|\/[a-zA-Z0-9]+>)/.test(html)
}

describe.each(DATABASES)('knowledge base on %s', (kind) => {
  let t: TestServer
  let anon: Client
  let ken: Client
  /** Expanded Access: kb.edit, not kb.publish. */
  let john: Client
  /** All Access: both. */
  let jane: Client
  /** Limited Access: neither. */
  let lim: Client
  let admin: Client

  beforeAll(async () => {
    t = await startServer(kind)
    anon = new Client(t.url)
    const db = t.app.db.writer
    const role = await db
      .selectFrom('roles')
      .select('id')
      .where('key', '=', 'limited_access')
      .executeTakeFirstOrThrow()
    const dept = await db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Support')
      .executeTakeFirstOrThrow()
    const user = await db
      .insertInto('users')
      .values({
        type: 'agent',
        name: 'Lim Ited',
        email: 'lim@example.com',
        password_hash: await hashPassword('demo-password'),
        primary_department_id: dept.id,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('agent_departments')
      .values({ agent_id: user.id, department_id: dept.id, role_id: role.id })
      .execute()
    ken = await anon.as('ken@example.com')
    john = await anon.as('john@example.com')
    jane = await anon.as('jane@example.com')
    lim = await anon.as('lim@example.com')
    admin = await anon.as('admin@example.com')
  })
  afterAll(() => t?.close())

  const write = async (who: Client, body: Record<string, unknown>) => {
    const res = await who.post('/api/v1/kb/articles', body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.article
  }

  describe('visibility', () => {
    const slugs: Record<string, string> = {}
    beforeAll(async () => {
      const cat = await jane.post('/api/v1/kb/categories', { name: 'Network' })
      expect(cat.status).toBe(201)
      const categoryId = cat.body.category.id
      const empty = await jane.post('/api/v1/kb/categories', { name: 'Empty shelf' })
      expect(empty.body.category.slug).toBe('empty-shelf')
      for (const [key, visibility, status] of [
        ['pub', 'public', 'published'],
        ['cust', 'customers', 'published'],
        ['int', 'internal', 'published'],
        ['draft', 'public', 'draft'],
        ['arch', 'public', 'archived'],
      ] as const) {
        const a = await write(jane, {
          title: `Vpnvis ${key} article`,
          body: `<p>The tunnel word vpnvis and marker${key}word.</p>`,
          visibility,
          status,
          categoryId,
        })
        slugs[key] = a.slug
      }
    })

    const who = () =>
      [
        ['visitor', anon, ['pub']],
        ['customer', ken, ['pub', 'cust']],
        ['agent without kb.edit', lim, ['pub', 'cust', 'int']],
        ['writer', john, ['pub', 'cust', 'int', 'draft', 'arch']],
        ['admin', admin, ['pub', 'cust', 'int', 'draft', 'arch']],
      ] as const

    it('scopes the list, the search, the suggestions, the categories and the article page', async () => {
      for (const [label, client, sees] of who()) {
        const list = await client.get('/api/v1/kb/articles?limit=100')
        expect(list.status).toBe(200)
        const listed = list.body.items.map((a: any) => a.slug).filter((s: string) => s.startsWith('vpnvis'))
        expect(listed.sort(), `${label} list`).toEqual(sees.map((k) => slugs[k]).sort())

        const search = await client.get('/api/v1/kb/articles?q=vpnvis')
        expect(search.body.items.map((a: any) => a.slug).sort(), `${label} search`).toEqual(
          sees.map((k) => slugs[k]).sort(),
        )
        // Suggestions are published articles only, whoever asks.
        const suggest = await client.get('/api/v1/kb/suggest?q=vpnvis&limit=10')
        expect(suggest.body.items.map((a: any) => a.slug).sort(), `${label} suggest`).toEqual(
          sees
            .filter((k) => k === 'pub' || k === 'cust' || k === 'int')
            .map((k) => slugs[k])
            .sort(),
        )
        for (const [key, slug] of Object.entries(slugs)) {
          const page = await client.get(`/api/v1/kb/articles/${slug}`)
          expect(page.status, `${label} reads ${key}`).toBe(
            (sees as readonly string[]).includes(key) ? 200 : 404,
          )
          if (page.status === 404) expect(page.body.error.code).toBe('not_found')
        }
        const cats = await client.get('/api/v1/kb/categories')
        const network = cats.body.items.find((c: any) => c.slug === 'network')
        expect(network.articleCount, `${label} count`).toBe(sees.length)
        const empty = cats.body.items.some((c: any) => c.slug === 'empty-shelf')
        expect(empty, `${label} sees the empty category`).toBe(label === 'writer' || label === 'admin')
      }
    })

    it('answers a hidden article exactly as a missing one', async () => {
      const hidden = await anon.get(`/api/v1/kb/articles/${slugs.int}`)
      const missing = await anon.get('/api/v1/kb/articles/no-such-article')
      expect(hidden.status).toBe(404)
      expect(JSON.stringify(hidden.body).replace(slugs.int!, '')).toBe(
        JSON.stringify(missing.body).replace('no-such-article', ''),
      )
      const byId = await ken.get('/api/v1/kb/articles/999999')
      expect(byId.status).toBe(404)
    })

    it('ranks title matches first and highlights the words', async () => {
      await write(jane, {
        title: 'Printer jams',
        body: '<p>Rankword appears in the body of this one only.</p>',
        status: 'published',
      })
      await write(jane, { title: 'Rankword in the title', body: '<p>Nothing else.</p>', status: 'published' })
      const res = await anon.get('/api/v1/kb/articles?q=rankword')
      expect(res.body.items.map((a: any) => a.title)).toEqual(['Rankword in the title', 'Printer jams'])
      const [first, second] = res.body.items
      expect(first.titleHighlight.filter((p: any) => p.match).map((p: any) => p.text.toLowerCase())).toEqual([
        'rankword',
      ])
      expect(second.snippet.some((p: any) => p.match && p.text.toLowerCase() === 'rankword')).toBe(true)
      expect(second.snippet.map((p: any) => p.text).join('')).toContain('appears in the body')
      // "my" is in neither article: a stop word beside a real word is left out, not required.
      const withStop = await anon.get('/api/v1/kb/articles?q=my%20rankword')
      expect(withStop.body.items.map((a: any) => a.title)).toEqual(['Rankword in the title', 'Printer jams'])
    })

    it('suggests by any word of a subject, leaving common words out', async () => {
      await write(jane, {
        title: 'VPN keeps dropping every hour',
        body: '<p>Renew the certificate and restart the client.</p>',
        status: 'published',
      })
      const res = await anon.get('/api/v1/kb/suggest?q=' + encodeURIComponent('my vpn is disconnecting'))
      expect(res.status).toBe(200)
      expect(res.body.items[0].title).toBe('VPN keeps dropping every hour')
      const none = await anon.get('/api/v1/kb/suggest?q=' + encodeURIComponent('the is my'))
      expect(none.body.items).toEqual([])
      const syntax = await anon.get('/api/v1/kb/suggest?q=' + encodeURIComponent('"vpn* OR NEAR( -x'))
      expect(syntax.status).toBe(200)
    })

    it('pages the list with a keyset cursor and refuses a made-up one', async () => {
      const first = await admin.get('/api/v1/kb/articles?limit=2')
      expect(first.body.items).toHaveLength(2)
      const next = await admin.get(`/api/v1/kb/articles?limit=2&cursor=${first.body.nextCursor}`)
      expect(next.body.items).toHaveLength(2)
      expect(next.body.items.map((a: any) => a.id)).not.toContain(first.body.items[0].id)
      const bad = await admin.get('/api/v1/kb/articles?cursor=nope')
      expect(bad.status).toBe(400)
      expect(bad.body.error.code).toBe('invalid_cursor')
    })
  })

  describe('permissions', () => {
    it('lets kb.edit write drafts, and only kb.publish publish or change what readers see', async () => {
      const noEdit = await lim.post('/api/v1/kb/articles', { title: 'Nope' })
      expect([noEdit.status, noEdit.body.error.code]).toEqual([403, 'kb_edit_forbidden'])
      const customer = await ken.post('/api/v1/kb/articles', { title: 'Nope' })
      expect(customer.status).toBe(403)
      const visitor = await anon.post('/api/v1/kb/articles', { title: 'Nope' })
      expect(visitor.status).toBe(401)
      const direct = await john.post('/api/v1/kb/articles', { title: 'Straight out', status: 'published' })
      expect([direct.status, direct.body.error.code]).toEqual([403, 'kb_publish_forbidden'])

      const draft = await write(john, { title: 'Johns draft', body: '<p>v1</p>' })
      expect(draft.status).toBe('draft')
      const edited = await john.patch(`/api/v1/kb/articles/${draft.id}`, { body: '<p>v2</p>', version: 1 })
      expect(edited.status).toBe(200)
      const stale = await john.patch(`/api/v1/kb/articles/${draft.id}`, { body: '<p>v3</p>', version: 1 })
      expect([stale.status, stale.body.error.code]).toEqual([409, 'article_version_conflict'])
      const publish = await john.patch(`/api/v1/kb/articles/${draft.id}`, { status: 'published' })
      expect([publish.status, publish.body.error.code]).toEqual([403, 'kb_publish_forbidden'])
      const published = await jane.patch(`/api/v1/kb/articles/${draft.id}`, { status: 'published' })
      expect(published.status).toBe(200)
      const change = await john.patch(`/api/v1/kb/articles/${draft.id}`, { title: 'Changed live' })
      expect(change.status).toBe(403)
      const del = await john.request('DELETE', `/api/v1/kb/articles/${draft.id}`)
      expect(del.status).toBe(403)
      const stats = await lim.get('/api/v1/kb/stats')
      expect(stats.status).toBe(403)
      const adminDel = await admin.request('DELETE', `/api/v1/kb/articles/${draft.id}`)
      expect(adminDel.status).toBe(204)
      expect((await admin.get(`/api/v1/kb/articles/${draft.id}`)).status).toBe(404)
      const own = await write(john, { title: 'Throwaway draft' })
      expect((await john.request('DELETE', `/api/v1/kb/articles/${own.id}`)).status).toBe(204)
    })

    it('refuses unknown categories and topics, bad slugs and taken slugs with stable codes', async () => {
      const cat = await jane.post('/api/v1/kb/articles', { title: 'x', categoryId: 99999 })
      expect([cat.status, cat.body.error.code]).toEqual([400, 'unknown_category'])
      const topic = await jane.post('/api/v1/kb/articles', { title: 'x', topicIds: [99999] })
      expect([topic.status, topic.body.error.code]).toEqual([400, 'unknown_topic'])
      const slug = await jane.post('/api/v1/kb/articles', { title: 'x', slug: 'Bad Slug' })
      expect(slug.status).toBe(400)
      const numeric = await jane.post('/api/v1/kb/articles', { title: 'x', slug: '123' })
      expect(numeric.status).toBe(400)
      await write(jane, { title: 'Taken', slug: 'taken-slug' })
      const taken = await jane.post('/api/v1/kb/articles', { title: 'x', slug: 'taken-slug' })
      expect([taken.status, taken.body.error.code]).toEqual([409, 'slug_taken'])
      const auto = await write(jane, { title: 'Taken slug' })
      expect(auto.slug).toBe('taken-slug-2')
    })
  })

  describe('revisions and slugs', () => {
    it('keeps every published version and restores one as a new revision', async () => {
      const a = await write(jane, { title: 'Reset password', body: '<p>First way.</p>', status: 'published' })
      await jane.patch(`/api/v1/kb/articles/${a.id}`, { body: '<p>Second way.</p>' })
      await jane.patch(`/api/v1/kb/articles/${a.id}`, { tags: ['Accounts'] }) // no content change: no revision
      await jane.patch(`/api/v1/kb/articles/${a.id}`, {
        title: 'Reset your password',
        body: '<p>Third way.</p>',
      })
      const revs = await john.get(`/api/v1/kb/articles/${a.id}/revisions`)
      expect(revs.status).toBe(200)
      expect(revs.body.items.map((r: any) => [r.number, r.title, r.bodyHtml])).toEqual([
        [3, 'Reset your password', '<p>Third way.</p>'],
        [2, 'Reset password', '<p>Second way.</p>'],
        [1, 'Reset password', '<p>First way.</p>'],
      ])
      expect((await lim.get(`/api/v1/kb/articles/${a.id}/revisions`)).status).toBe(403)
      // Restoring on a published article publishes: kb.edit alone is not enough.
      expect((await john.post(`/api/v1/kb/articles/${a.id}/revisions/1/restore`)).status).toBe(403)
      const restored = await jane.post(`/api/v1/kb/articles/${a.id}/revisions/1/restore`)
      expect(restored.status).toBe(200)
      expect([restored.body.article.title, restored.body.article.bodyHtml]).toEqual([
        'Reset password',
        '<p>First way.</p>',
      ])
      const after = await jane.get(`/api/v1/kb/articles/${a.id}/revisions`)
      expect(after.body.items[0].number).toBe(4)
      expect(after.body.items).toHaveLength(4)
      // The search index follows the restored text.
      const found = await anon.get('/api/v1/kb/articles?q=first%20way')
      expect(found.body.items.map((x: any) => x.id)).toContain(a.id)
      const gone = await anon.get('/api/v1/kb/articles?q=third%20way')
      expect(gone.body.items.map((x: any) => x.id)).not.toContain(a.id)
      expect((await jane.post(`/api/v1/kb/articles/${a.id}/revisions/99/restore`)).status).toBe(404)
    })

    it('redirects an old slug to the current one, twice renamed, and never to a hidden article', async () => {
      const a = await write(jane, { title: 'Old name', status: 'published' })
      expect(a.slug).toBe('old-name')
      await jane.patch(`/api/v1/kb/articles/${a.id}`, { slug: 'middle-name' })
      await jane.patch(`/api/v1/kb/articles/${a.id}`, { slug: 'new-name' })
      for (const old of ['old-name', 'middle-name']) {
        const res = await fetch(`${t.url}/api/v1/kb/articles/${old}`, { redirect: 'manual' })
        expect(res.status).toBe(301)
        expect(res.headers.get('location')).toBe('/api/v1/kb/articles/new-name')
        expect(await res.json()).toEqual({ redirect: 'new-name' })
      }
      expect((await anon.get('/api/v1/kb/articles/new-name')).body.article.id).toBe(a.id)
      // Another article may take an old slug; it then stops redirecting.
      const b = await write(jane, { title: 'Other', slug: 'old-name', status: 'published' })
      expect((await anon.get('/api/v1/kb/articles/old-name')).body.article.id).toBe(b.id)
      // Made internal: the old slug answers 404 to a visitor, not a redirect that names it.
      await jane.patch(`/api/v1/kb/articles/${a.id}`, { visibility: 'internal' })
      const hidden = await fetch(`${t.url}/api/v1/kb/articles/middle-name`, { redirect: 'manual' })
      expect(hidden.status).toBe(404)
    })
  })

  describe('help center pages', () => {
    it('serve a public article with its title and description, redirect an old slug, and hide the rest', async () => {
      const a = await write(jane, {
        title: 'Printing <b>& "quotes"</b> $& done',
        body: '<p>Load the tray, then press <em>Print</em>.</p>',
        status: 'published',
        slug: 'print-page-old',
      })
      await jane.patch(`/api/v1/kb/articles/${a.id}`, { slug: 'print-page' })
      const res = await fetch(`${t.url}/help/articles/print-page`)
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain(
        '<title>Printing &lt;b&gt;&amp; &quot;quotes&quot;&lt;/b&gt; $&amp; done · Help center</title>',
      )
      expect(html).toContain('<meta name="description" content="Load the tray, then press Print." />')
      const old = await fetch(`${t.url}/help/articles/print-page-old`, { redirect: 'manual' })
      expect([old.status, old.headers.get('location')]).toEqual([301, '/help/articles/print-page'])
      const secret = await write(jane, {
        title: 'Secret internal runbook',
        status: 'published',
        visibility: 'internal',
      })
      const hidden = await (await fetch(`${t.url}/help/articles/${secret.slug}`)).text()
      expect(hidden).not.toContain('Secret internal runbook')
      expect(hidden).toContain('<title>Switchboard</title>')
    })
  })

  describe('sanitising', () => {
    it('strips every XSS vector from bodies and keeps safe formatting', async () => {
      for (const vector of XSS) {
        const a = await write(jane, { title: 'xss', body: `<p><strong>Safe</strong></p>${vector}` })
        const html: string = a.bodyHtml
        expect(html, vector).toContain('<strong>Safe</strong>')
        expect(unsafe(html), `${vector} → ${html}`).toBe(false)
        expect(html.toLowerCase(), vector).not.toMatch(/javascript:|tracker\.test|evil\.test/)
        expect(html.toLowerCase(), vector).not.toMatch(
          /<script|<iframe|<svg|<object|<embed|<form|<meta|<base|<style|\son\w+=|javascript:|tracker\.test|evil\.test/,
        )
      }
      const links = await write(jane, {
        title: 'links',
        body: '<a href="https://example.com/x">x</a><img src="https://example.com/i.png" alt="i">',
      })
      expect(links.bodyHtml).toBe(
        '<a href="https://example.com/x" rel="noopener noreferrer nofollow">x</a><img src="https://example.com/i.png" alt="i" />',
      )
    })

    it('takes every naughty string as a title and a body: never a 5xx, titles byte-exact', async () => {
      const problems: string[] = []
      for (const [i, s] of NAUGHTY.entries()) {
        const res = await jane.post('/api/v1/kb/articles', { title: s, body: s })
        if (res.status >= 500) problems.push(`#${i}: ${res.status}`)
        else if (res.status === 201) {
          if (res.body.article.title !== s) problems.push(`#${i}: title changed`)
          if (unsafe(res.body.article.bodyHtml)) problems.push(`#${i}: unsafe body`)
          const search = await jane.get(`/api/v1/kb/articles?q=${encodeURIComponent(s)}`)
          if (search.status !== 200) problems.push(`#${i}: search ${search.status}`)
        } else if (res.status !== 400) problems.push(`#${i}: ${res.status}`)
        const suggest = await anon.get(`/api/v1/kb/suggest?q=${encodeURIComponent(s.slice(0, 500))}`)
        if (suggest.status !== 200) problems.push(`#${i}: suggest ${suggest.status}`)
      }
      expect(problems).toEqual([])
      // Three requests for each of several hundred strings: longer than most tests on a busy machine.
    }, 180_000)
  })

  describe('files and pictures', () => {
    const PNG = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    )
    async function uploadOne(who: Client, name: string, bytes: Buffer): Promise<number> {
      const form = new FormData()
      form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), name)
      const res = await fetch(`${t.url}/api/v1/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.token}` },
        body: form,
      })
      const body = (await res.json()) as { id: number }
      expect(res.status, JSON.stringify(body)).toBe(201)
      return body.id
    }
    const fetchAs = (who: Client | undefined, path: string) =>
      fetch(t.url + path, { headers: who ? { authorization: `Bearer ${who.token}` } : {} }).then(
        async (r) => ({
          status: r.status,
          headers: r.headers,
          bytes: Buffer.from(await r.arrayBuffer()),
        }),
      )

    it('keeps uploads with an article, served to its readers only, pictures as pictures', async () => {
      const pub = await write(jane, { title: 'Printer pictures', status: 'published' })
      const internal = await write(jane, {
        title: 'Printer internals',
        status: 'published',
        visibility: 'internal',
      })
      const picture = await uploadOne(jane, 'tray.png', PNG)
      const notes = await uploadOne(jane, 'notes.txt', Buffer.from('Open the tray.'))
      // Nobody else's uploads, and kb.publish for a published article (John has kb.edit only).
      const johns = await uploadOne(john, 'john.png', PNG)
      expect((await john.post(`/api/v1/kb/articles/${pub.id}/files`, { uploads: [johns] })).status).toBe(403)
      const foreign = await jane.post(`/api/v1/kb/articles/${pub.id}/files`, { uploads: [johns] })
      expect([foreign.status, foreign.body.error.code]).toEqual([400, 'unknown_upload'])
      expect((await ken.post(`/api/v1/kb/articles/${pub.id}/files`, { uploads: [picture] })).status).toBe(403)

      const added = await jane.post(`/api/v1/kb/articles/${pub.id}/files`, { uploads: [picture, notes] })
      expect(added.status, JSON.stringify(added.body)).toBe(201)
      const [png, txt] = added.body.items
      expect(png).toMatchObject({ name: 'tray.png', contentType: 'image/png', picture: true })
      expect(txt).toMatchObject({ name: 'notes.txt', contentType: 'text/plain', picture: false })
      // An upload is used once.
      expect((await jane.post(`/api/v1/kb/articles/${pub.id}/files`, { uploads: [picture] })).status).toBe(
        400,
      )

      const shown = await fetchAs(undefined, png.url)
      expect(shown.status).toBe(200)
      expect(shown.headers.get('content-type')).toBe('image/png')
      expect(shown.headers.get('x-content-type-options')).toBe('nosniff')
      expect(shown.headers.get('content-security-policy')).toBe("default-src 'none'")
      expect(shown.bytes.equals(PNG)).toBe(true)
      const text = await fetchAs(undefined, txt.url)
      expect(text.headers.get('content-type')).toBe('application/octet-stream')
      expect(text.headers.get('content-disposition')).toMatch(/^attachment/)
      expect(text.headers.get('content-security-policy')).toContain('sandbox')
      expect((await anon.get(`/api/v1/kb/articles/${pub.slug}/files`)).body.items).toHaveLength(2)

      // The files of an internal article are the article's: 404 for customers and visitors, as a missing one.
      const secret = await uploadOne(jane, 'secret.png', PNG)
      const inside = await jane.post(`/api/v1/kb/articles/${internal.id}/files`, { uploads: [secret] })
      const url = inside.body.items[0].url as string
      expect((await fetchAs(john, url)).status).toBe(200)
      for (const who of [undefined, ken]) expect((await fetchAs(who, url)).status).toBe(404)
      expect((await fetchAs(undefined, '/api/v1/kb/files/999999')).status).toBe(404)
      expect((await ken.get(`/api/v1/kb/articles/${internal.id}/files`)).status).toBe(404)

      // A body may show its own pictures and https ones; any other relative address is dropped.
      const body = `<p><img src="${png.url}" alt="The tray"><img src="../../admin" alt="x"><img src="https://example.com/a.png" alt="y"></p>`
      const saved = await jane.patch(`/api/v1/kb/articles/${pub.id}`, { body })
      expect(saved.body.article.bodyHtml).toContain(`src="${png.url}"`)
      expect(saved.body.article.bodyHtml).toContain('src="https://example.com/a.png"')
      expect(saved.body.article.bodyHtml).not.toContain('../../admin')

      expect((await jane.request('DELETE', `/api/v1/kb/files/${txt.id}`)).status).toBe(204)
      expect((await fetchAs(undefined, txt.url)).status).toBe(404)
      expect((await anon.get(`/api/v1/kb/articles/${pub.slug}/files`)).body.items).toHaveLength(1)
    })
  })

  describe('auto-responses', () => {
    it('lists the best public articles for a new ticket where the department asks for it', async () => {
      const sink = await new MailSink().start()
      const smtpUrl = t.app.config.mail.smtpUrl
      t.app.config.mail.smtpUrl = sink.url
      try {
        const pub = await write(jane, { title: 'Zephyrlink adapter keeps dropping', status: 'published' })
        await write(jane, {
          title: 'Zephyrlink internal runbook',
          status: 'published',
          visibility: 'internal',
        })
        const departments = await t.app.db.read.selectFrom('departments').select('id').execute()
        const ids = departments.map((d) => d.id)
        expect(
          (await john.request('PUT', '/api/v1/kb/settings', { autoresponseDepartmentIds: ids })).status,
        ).toBe(403)
        const bad = await admin.request('PUT', '/api/v1/kb/settings', { autoresponseDepartmentIds: [999999] })
        expect([bad.status, bad.body.error.code]).toEqual([400, 'unknown_department'])
        const put = await admin.request('PUT', '/api/v1/kb/settings', { autoresponseDepartmentIds: ids })
        expect(put.status, JSON.stringify(put.body)).toBe(200)
        expect((await admin.get('/api/v1/kb/settings')).body.autoresponseDepartmentIds).toEqual(
          [...ids].sort((a, b) => a - b),
        )

        const open = async (subject: string) => {
          const res = await ken.post('/api/v1/tickets', { subject, message: 'It stopped again.' })
          expect(res.status, JSON.stringify(res.body)).toBe(201)
          const number = res.body.ticket.number
          return sink.waitFor(
            (m) => m.to.includes('ken@example.com') && (m.parsed.subject ?? '').includes(`[#${number}]`),
          )
        }
        const mail = await open('My zephyrlink is dropping')
        expect(mail.parsed.text).toContain('These articles may already answer your question:')
        expect(mail.parsed.text).toContain(`${t.app.config.mail.publicUrl}/help/articles/${pub.slug}`)
        expect(mail.parsed.text).not.toContain('internal runbook')

        expect(
          (await admin.request('PUT', '/api/v1/kb/settings', { autoresponseDepartmentIds: [] })).status,
        ).toBe(200)
        const plain = await open('Zephyrlink once more')
        expect(plain.parsed.text).not.toContain('These articles')
        expect(plain.parsed.text).not.toContain('{{kb.suggestions}}')
      } finally {
        t.app.config.mail.smtpUrl = smtpUrl
        await sink.close()
      }
    })
  })

  describe('helpfulness and deflection', () => {
    it('counts one answer per person and article, for readable published articles only', async () => {
      const a = await write(jane, { title: 'Helpful one', status: 'published' })
      const c = await write(jane, { title: 'Customers only', status: 'published', visibility: 'customers' })
      const helpful = async () => (await john.get(`/api/v1/kb/articles/${a.slug}`)).body.article.helpful
      // A visitor answering again changes their answer; it is not counted twice.
      for (const answer of [true, true])
        expect((await anon.post(`/api/v1/kb/articles/${a.slug}/feedback`, { helpful: answer })).status).toBe(
          204,
        )
      expect(await helpful()).toEqual({ yes: 1, no: 0 })
      expect((await anon.post(`/api/v1/kb/articles/${a.slug}/feedback`, { helpful: false })).status).toBe(204)
      expect(await helpful()).toEqual({ yes: 0, no: 1 })
      for (const person of [ken, lim, ken])
        expect((await person.post(`/api/v1/kb/articles/${a.slug}/feedback`, { helpful: true })).status).toBe(
          204,
        )
      // The visitor's address is kept only as a keyed digest.
      const voters = await t.app.db.read
        .selectFrom('kb_votes')
        .select('voter')
        .where('article_id', '=', a.id)
        .execute()
      expect(voters.map((v) => v.voter).sort()).toEqual([
        expect.stringMatching(/^ip:[A-Za-z0-9_-]{43}$/),
        expect.stringMatching(/^user:\d+$/),
        expect.stringMatching(/^user:\d+$/),
      ])
      expect(JSON.stringify(voters)).not.toContain('127.0.0.1')
      expect((await anon.post(`/api/v1/kb/articles/${c.slug}/feedback`, { helpful: true })).status).toBe(404)
      expect((await ken.post(`/api/v1/kb/articles/${c.slug}/feedback`, { helpful: true })).status).toBe(204)
      const bad = await anon.post(`/api/v1/kb/articles/${a.slug}/feedback`, { helpful: 'yes' })
      expect(bad.status).toBe(400)
      const page = await john.get(`/api/v1/kb/articles/${a.slug}`)
      expect(page.body.article.helpful).toEqual({ yes: 2, no: 1 })
      expect((await anon.get(`/api/v1/kb/articles/${a.slug}`)).body.article.helpful).toBeUndefined()
      const stats = await john.get('/api/v1/kb/stats')
      const row = stats.body.articles.find((x: any) => x.id === a.id)
      expect([row.helpfulYes, row.helpfulNo]).toEqual([2, 1])
    })

    it('counts suggestions shown, articles opened, tickets submitted and deflections', async () => {
      const a = await write(jane, { title: 'Deflecting article', status: 'published' })
      const hidden = await write(jane, {
        title: 'Internal only',
        status: 'published',
        visibility: 'internal',
      })
      const beacon = (who: Client, body: object) => who.post('/api/v1/kb/deflection', body)
      const before = (await jane.get('/api/v1/kb/stats')).body
      // 1: shown, opened, left: a deflection.
      const s1 = 'session-one-0000000001'
      for (const body of [
        { session: s1, step: 'shown' },
        { session: s1, step: 'shown' },
        { session: s1, step: 'opened', articleId: a.id },
        { session: s1, step: 'left' },
      ])
        expect((await beacon(ken, body)).status).toBe(204)
      // 2: shown, opened, came back and submitted: not one.
      const s2 = 'session-two-0000000002'
      for (const step of ['shown', 'opened', 'left', 'submitted'])
        await beacon(anon, { session: s2, step, ...(step === 'opened' ? { articleId: a.id } : {}) })
      // 3: shown, left without opening anything: not one either.
      const s3 = 'session-three-00000003'
      await beacon(anon, { session: s3, step: 'shown' })
      await beacon(anon, { session: s3, step: 'left' })
      // An article the visitor may not read, a step without a session, bad keys: refused, nothing counted.
      expect((await beacon(anon, { session: s3, step: 'opened', articleId: hidden.id })).status).toBe(404)
      expect((await beacon(anon, { session: 'short', step: 'shown' })).status).toBe(400)
      expect((await beacon(anon, { session: s3, step: 'opened' })).status).toBe(400)
      expect((await beacon(anon, { session: 'never-shown-000000000', step: 'left' })).status).toBe(204)
      const after = (await jane.get('/api/v1/kb/stats')).body
      expect({
        shown: after.suggestionsShown - before.suggestionsShown,
        opened: after.articlesOpened - before.articlesOpened,
        submitted: after.ticketsSubmitted - before.ticketsSubmitted,
        deflections: after.deflections - before.deflections,
      }).toEqual({ shown: 3, opened: 2, submitted: 1, deflections: 1 })
      expect(after.articles.find((x: any) => x.id === a.id).deflections).toBe(1)
    })
  })
})

describe.each(DATABASES)('migration 0020 on %s', (kind) => {
  it('gives All Access kb.edit and kb.publish, Expanded Access kb.edit, and nobody else either', async () => {
    const scratch = await scratchDatabaseUrl(kind)
    const db = openDatabase(scratch.url)
    try {
      await migrateToLatest(db)
      await seedEssentials(db.writer, Date.now())
      // An install from before 0020: roles without the kb permissions, no kb tables.
      for (const role of await db.writer.selectFrom('roles').select(['key', 'permissions']).execute()) {
        const without = (JSON.parse(role.permissions) as string[]).filter((p) => !p.startsWith('kb.'))
        await db.writer
          .updateTable('roles')
          .set({ permissions: JSON.stringify(without) })
          .where('key', '=', role.key)
          .execute()
      }
      // (and so from before 0030 and 0031, which build on those tables)
      const tables = [
        'kb_article_files',
        'kb_votes',
        'kb_deflections',
        'kb_old_slugs',
        'kb_revisions',
        'kb_articles',
        'kb_categories',
      ]
      for (const table of tables) await db.writer.schema.dropTable(table).execute()
      if (kind === 'sqlite') await sql`drop table kb_search`.execute(db.writer)
      await db.writer.schema.alterTable('departments').dropColumn('autoresponse_articles').execute()
      await sql`delete from kysely_migration where name in ('0020_kb', '0030_kb_search_candidates', '0031_kb_files')`.execute(
        db.writer,
      )
      expect((await migrateToLatest(db)).sort()).toEqual([
        '0020_kb',
        '0030_kb_search_candidates',
        '0031_kb_files',
      ])
      const after = await db.writer
        .selectFrom('roles')
        .select(['key', 'permissions'])
        .orderBy('key')
        .execute()
      const holders = (p: string) =>
        after.filter((r) => (JSON.parse(r.permissions) as string[]).includes(p)).map((r) => r.key)
      expect(holders('kb.edit')).toEqual(['all_access', 'expanded_access'])
      expect(holders('kb.publish')).toEqual(['all_access'])
    } finally {
      await db.close()
      await scratch.drop()
    }
  })
})

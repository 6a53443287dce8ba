// The database going away and coming back. PostgreSQL: a cluster of this test's own (initdb, pg_ctl, a free
// port) restarted while customers create tickets against the real server process, which must survive, answer
// 503 database_unavailable meanwhile, and serve again by itself. SQLite: a full disk (max_page_count) answers
// 503 storage_full, corrupts nothing, and writes work again once there is room.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connection.ts'
import { Client } from './support/client.ts'
import { until } from './support/mailSink.ts'
import { SseReader } from './support/sse.ts'
import { startServer, type TestServer } from './support/testServer.ts'

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })

describe('SQLite with a full disk', () => {
  let t: TestServer
  let ken: Client
  beforeAll(async () => {
    t = await startServer('sqlite')
    ken = await new Client(t.url).as('ken@example.com')
  })
  afterAll(() => t.close())

  it('answers 503 storage_full, keeps every acknowledged ticket, and recovers when space returns', async () => {
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t.app.db.writer)
    // The database may grow by a few pages only: as if the disk filled up.
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + 3}`).execute(t.app.db.writer)
    const acknowledged: string[] = []
    let full: { status: number; body: any; headers: Headers } | undefined
    for (let i = 0; i < 2000 && !full; i++) {
      const res = await ken.post('/api/v1/tickets', { subject: `Full ${i}`, message: 'x'.repeat(2000) })
      if (res.status !== 201) full = res
      else {
        acknowledged.push(res.body.ticket.subject as string)
        // The mail each ticket causes (kept in Mail preview without SMTP_URL) is written before the next
        // create, so that no background commit lands between the refused create and the health check below.
        await t.settle()
      }
    }
    expect(full?.status).toBe(503)
    expect(full?.body.error.code).toBe('storage_full')
    expect(full?.headers.get('retry-after')).toBeTruthy()
    const health = await fetch(`${t.url}/healthz`)
    expect(health.status).toBe(503)
    expect(((await health.json()) as { reason: string }).reason).toBe('storage_full')

    // Space again.
    await sql.raw('pragma max_page_count = 1073741823').execute(t.app.db.writer)
    const again = await ken.post('/api/v1/tickets', { subject: 'After the disk was cleared', message: 'x' })
    expect(again.status).toBe(201)
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)

    const { rows: check } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      t.app.db.read,
    )
    expect(check).toEqual([{ integrity_check: 'ok' }])
    const stored = await t.app.db.read.selectFrom('tickets').select('subject').execute()
    const subjects = new Set(stored.map((r) => r.subject))
    for (const s of [...acknowledged, 'After the disk was cleared']) expect(subjects.has(s)).toBe(true)
  })
})

const PG_BIN = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql')
      .map((v) => join('/usr/lib/postgresql', v, 'bin'))
      .find((d) => existsSync(join(d, 'initdb')))
  : undefined

/** A PostgreSQL cluster in a temp dir, run as the postgres user when we are root (initdb refuses root). */
class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'switchboard-pg-'))
  readonly data = join(this.dir, 'data')
  port = 0
  private run(tool: string, args: string[]) {
    const asRoot = process.getuid?.() === 0
    const command = asRoot ? 'runuser' : join(PG_BIN!, tool)
    const argv = asRoot ? ['-u', 'postgres', '--', join(PG_BIN!, tool), ...args] : args
    const r = spawnSync(command, argv, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`)
  }
  async init() {
    if (process.getuid?.() === 0) {
      chmodSync(this.dir, 0o755)
      const { uid, gid } = idOf('postgres')
      chownSync(this.dir, uid, gid)
    }
    this.port = await freePort()
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
    this.start()
  }
  start() {
    // Sockets in our own dir, fsync off: this cluster is here to be restarted, not to keep data safe.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`
    this.run('pg_ctl', ['-D', this.data, '-o', options, '-w', '-l', join(this.dir, 'log'), 'start'])
  }
  stop() {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop'])
  }
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }
  destroy() {
    try {
      this.stop()
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}

function idOf(user: string): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim())
  const gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim())
  return { uid, gid }
}

describe.skipIf(!PG_BIN)('PostgreSQL restarted under load', () => {
  const cluster = new Cluster()
  let server: ChildProcess
  let out = ''
  let url = ''
  beforeAll(async () => {
    await cluster.init()
    const env = { ...process.env, DATABASE_URL: cluster.url, LOG_LEVEL: 'fatal' }
    const seeded = spawnSync(process.execPath, ['bin/switchboard.js', 'seed', '--demo'], {
      env,
      encoding: 'utf8',
    })
    expect(seeded.status, seeded.stderr).toBe(0)
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    server = spawn(process.execPath, ['bin/switchboard.js', 'serve'], { env: { ...env, PORT: String(port) } })
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    server.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    await until(() =>
      fetch(`${url}/healthz`).then(
        (r) => (r.ok ? true : undefined),
        () => undefined,
      ),
    )
  })
  afterAll(async () => {
    server?.kill('SIGKILL')
    cluster.destroy()
  })

  it('survives, answers 503 database_unavailable while it is down, and serves again by itself', async () => {
    const ken = await new Client(url).as('ken@example.com')
    const john = await new Client(url).as('john@example.com')
    const stream = new SseReader(`${url}/api/v1/events`, john.token!)
    await stream.ready
    const acknowledged: string[] = []
    const refusals: { status: number; code: string; retryAfter: string | null }[] = []
    let running = true
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        const res = await ken.post('/api/v1/tickets', { subject: `Outage ${w}.${i}`, message: 'x' })
        if (res.status === 201) acknowledged.push(`Outage ${w}.${i}`)
        else
          refusals.push({
            status: res.status,
            code: res.body?.error?.code,
            retryAfter: res.headers.get('retry-after'),
          })
      }
    }
    const load = Promise.all(Array.from({ length: 4 }, (_, w) => worker(w)))
    await until(async () => (acknowledged.length >= 10 ? true : undefined))

    cluster.stop()
    await until(async () => (refusals.length >= 3 ? true : undefined))
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(503)
    const why = (await health.json()) as { reason: string; message: string }
    expect(why.reason).toBe('database_unavailable')
    expect(why.message).not.toBe('')

    const before = acknowledged.length
    cluster.start()
    // Back without a restart of ours: new tickets are acknowledged again.
    await until(async () => (acknowledged.length >= before + 10 ? true : undefined))
    running = false
    await load

    expect(server.exitCode, out).toBeNull()
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    for (const r of refusals) {
      expect(r, out).toEqual({ status: 503, code: 'database_unavailable', retryAfter: '5' })
    }
    // The LISTEN connection for live updates came back too: the open stream was told to catch up (events
    // NOTIFYed while nobody listened are gone), and live events flow again.
    await stream.waitFor((e) => e.event === 'resync')
    const later = await ken.post('/api/v1/tickets', { subject: 'After the restart', message: 'x' })
    expect(later.status).toBe(201)
    await stream.waitFor((e) => e.event === 'ticket' && e.data.ticketNumber === later.body.ticket.number)
    stream.close()

    const db = openDatabase(cluster.url)
    try {
      const stored = await db.read.selectFrom('tickets').select('subject').execute()
      const subjects = new Set(stored.map((r) => r.subject))
      for (const s of acknowledged) expect(subjects.has(s), `${s} was acknowledged`).toBe(true)
    } finally {
      await db.close()
    }
  })
})

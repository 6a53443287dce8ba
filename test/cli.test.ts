// The `switchboard` command line as a newcomer uses it: real processes on a real SQLite file.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Client } from './support/client.ts'
import { DATABASES, startServer } from './support/testServer.ts'

const dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['bin/switchboard.js', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })

describe('switchboard CLI', () => {
  it('seeds the demo data idempotently', () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'seed.db')}` }
    const first = cli(['seed', '--demo'], env)
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toContain('john@example.com')
    const second = cli(['seed', '--demo'], env)
    expect(second.status, second.stderr).toBe(0)
    const db = new Database(join(dir, 'seed.db'), { readonly: true })
    const users = db.prepare('select email from users order by email').all() as { email: string }[]
    const departments = db.prepare('select name from departments order by name').all() as { name: string }[]
    db.close()
    expect(users.map((u) => u.email)).toEqual([
      'admin@example.com',
      'alex@example.com',
      'jane@example.com',
      'john@example.com',
      'ken@example.com',
      'lena@example.com',
      'sam@example.com',
    ])
    expect(departments.map((d) => d.name)).toEqual(['Billing', 'Support', 'System Administrators'])
  })

  it('creates an admin who can sign in, and refuses bad usage with exit code 64', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'admin.db')}` }
    const made = cli(['admin:create', '--email', 'Boss@Example.com', '--name', 'The Boss'], env)
    expect(made.status, made.stderr).toBe(0)
    const password = made.stdout.trim().split('\n').pop()!.replace('Password: ', '')
    expect(password.length).toBeGreaterThanOrEqual(12)
    expect(cli(['admin:create', '--email', 'boss@example.com', '--name', 'Again'], env).status).toBe(64)
    expect(cli(['frobnicate'], env).status).toBe(64)
    expect(cli(['seed'], env).status).toBe(64)
  })

  it('starts on an empty database with the demo people, and without them when SWITCHBOARD_DEMO=off', async () => {
    for (const demo of ['on', 'off']) {
      const port = await freePort()
      const child = spawn(process.execPath, ['bin/switchboard.js', 'start'], {
        env: {
          ...process.env,
          DATABASE_URL: `sqlite:${join(dir, `start-${demo}.db`)}`,
          PORT: String(port),
          SWITCHBOARD_DEMO: demo,
          SMTP_URL: '',
        },
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      try {
        const url = `http://127.0.0.1:${port}`
        for (let i = 0; i < 150; i++) {
          const ok = await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
          if (ok) break
          await new Promise((r) => setTimeout(r, 100))
        }
        expect((await fetch(`${url}/healthz`)).status).toBe(200)
        const home = await fetch(`${url}/`)
        expect(home.status).toBe(200)
        expect(home.headers.get('content-type')).toContain('text/html')
        const login = await new Client(url).post('/api/v1/auth/login', {
          email: 'john@example.com',
          password: 'demo-password',
        })
        // No SMTP_URL: the start-up banner says mail is kept, not sent (issue 13).
        expect(out).toContain('Mail is NOT delivered: SMTP_URL is not set')
        if (demo === 'on') {
          expect(out).toContain('ken@example.com')
          expect(login.status).toBe(200)
        } else {
          expect(out).not.toContain('ken@example.com')
          expect(login.status).toBe(401)
        }
      } finally {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
    }
  })
})

describe.each(DATABASES)('health check on %s', (kind) => {
  it('answers 200 while the database answers and 503 once it does not', async () => {
    const t = await startServer(kind, { demo: false })
    try {
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
      await t.app.db.close()
      const res = await fetch(`${t.url}/healthz`)
      expect(res.status).toBe(503)
    } finally {
      await t.close().catch(() => {})
    }
  })
})

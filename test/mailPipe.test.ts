// `switchboard mail:pipe` as an MTA runs it: a real process, the message on stdin, sysexits codes back.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASES, startServer, type TestServer } from './support/testServer.ts'

function pipe(
  databaseUrl: string,
  input: string,
  args: string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.js', 'mail:pipe', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: '' },
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
    child.stdin.end(input)
  })
}

const message = (from: string, subject: string, id: string) =>
  `From: ${from}\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${id}@client.example>\r\n` +
  `Content-Type: text/plain; charset=utf-8\r\n\r\nPiped body.\r\n`

describe.each(DATABASES)('mail:pipe on %s', (kind) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startServer(kind)
  })
  afterAll(() => t.close())

  it('exits 0 and files the message; the same message again is still one ticket', async () => {
    const subject = `Piped ${kind}`
    const raw = message('ken@example.com', subject, `pipe-${kind}-${Date.now()}`)
    expect((await pipe(t.databaseUrl, raw, ['--recipient', 'support@example.com'])).code).toBe(0)
    expect((await pipe(t.databaseUrl, raw)).code).toBe(0)
    const rows = await t.app.db.read
      .selectFrom('tickets')
      .select(['source'])
      .where('subject', '=', subject)
      .execute()
    expect(rows).toEqual([{ source: 'email' }])
  })

  it('exits 65 for input that is not a message', async () => {
    expect((await pipe(t.databaseUrl, '')).code).toBe(65)
    expect((await pipe(t.databaseUrl, 'just some words\nno headers\n')).code).toBe(65)
  })

  it('exits 67 for a recipient that is not an intake address', async () => {
    const r = await pipe(t.databaseUrl, message('ken@example.com', 'x', `u-${kind}`), [
      '--recipient',
      'nobody@example.com',
    ])
    expect(r.code).toBe(67)
    expect(r.stderr).toContain('not an intake address')
  })

  it('exits 77 for mail from our own intake address (a loop)', async () => {
    expect((await pipe(t.databaseUrl, message('support@example.com', 'loop', `l-${kind}`))).code).toBe(77)
  })

  it('exits 75 when the database is unavailable, so the MTA retries', async () => {
    const down = kind === 'sqlite' ? 'sqlite:/etc/hostname/x.db' : 'postgres://postgres@127.0.0.1:1/none'
    expect((await pipe(down, message('ken@example.com', 'x', `d-${kind}`))).code).toBe(75)
  })
})

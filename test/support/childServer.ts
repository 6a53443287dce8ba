// `switchboard start` as a real child process on a fresh SQLite file, for tests that must watch the server
// from outside: its memory (/proc/<pid>/status), or whether it still answers while something tries to stall it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })

export interface ChildServer {
  child: ChildProcess
  pid: number
  url: string
  smtpPort: number | undefined
  /** What the process printed so far (stdout and stderr), for failure messages. */
  output(): string
  /** Resident memory of the process in bytes (VmRSS). */
  rss(): number
  stop(): Promise<void>
}

export async function startChildServer(
  options: {
    smtp?: boolean
    env?: Record<string, string>
    /** The command line after `switchboard` (default `start`); a worker answers no HTTP. */
    args?: string[]
  } = {},
): Promise<ChildServer> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-child-'))
  const port = await freePort()
  const smtpPort = options.smtp ? await freePort() : undefined
  const args = options.args ?? ['start']
  const worker = args.includes('worker')
  const child = spawn(process.execPath, ['bin/switchboard.js', ...args], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'server.db')}`,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(smtpPort ? { SMTP_LISTEN_PORT: String(smtpPort) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  // `serve` says when it listens; the SMTP listener starts after the HTTP server.
  const ready = smtpPort
    ? 'Accepting mail by SMTP'
    : worker
      ? 'Switchboard worker is running'
      : 'Switchboard is listening'
  for (let i = 0; i < 600 && !output.includes(ready) && child.exitCode === null; i++)
    await new Promise((r) => setTimeout(r, 100))
  if (!output.includes(ready)) throw new Error(`the server did not start:\n${output}`)
  return {
    child,
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    smtpPort,
    output: () => output,
    rss() {
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
      if (!kb) throw new Error(`no VmRSS for ${child.pid}`)
      return Number(kb[1]) * 1024
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        // A process whose event loop is blocked never runs its SIGTERM handler.
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

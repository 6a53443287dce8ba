// The real server as its own process for a benchmark (so the driver's own work is not measured), and sign-in.
import { spawn } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname

export interface BenchServer {
  url: string
  pid: number
  stop(): void
}

/** `switchboard serve` on `databaseUrl`, on a random port; resolves once it listens (a worker: once it runs). */
export function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<BenchServer> {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, ['bin/switchboard.js', 'serve', ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
        LOG_LEVEL: 'warn',
        ...env,
      },
    })
    let out = ''
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      // A worker answers no HTTP: it says it runs instead.
      const m = /listening on (http:\/\/\S+)|(worker is running)/.exec(out)
      if (m) resolve({ url: m[1] ?? '', pid: server.pid!, stop: () => server.kill() })
    })
    server.stderr.on('data', (d: Buffer) => (out += d.toString()))
    server.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
}

/** A bearer token for a demo person (password demo-password). */
export async function signIn(url: string, email: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo-password' }),
  })
  if (login.status !== 200) throw new Error(`sign-in of ${email} failed: ${login.status}`)
  return ((await login.json()) as { token: string }).token
}

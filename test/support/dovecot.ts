// A real Dovecot IMAP server for a test: Debian's dovecot-imapd, started as root from a config in a temp
// dir, listening on a free loopback port, with a static passdb (any user name, one password).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const DOVECOT_BIN = '/usr/sbin/dovecot'
export const DOVECOT_PASSWORD = 'secret'

export interface Dovecot {
  port: number
  close(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

export async function waitForPort(
  port: number,
  child: ChildProcess,
  log: () => string,
  name = 'dovecot',
): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${log()}`)
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${name} did not listen on ${port}: ${log()}`)
}

export async function startDovecot(): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BIN))
    throw new Error('Dovecot is not installed: apt-get install -y dovecot-imapd (see docs/email.md)')
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-dovecot-'))
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, sub))
  // Mail is owned by nobody (dovecot refuses to run mail processes as root).
  chmodSync(dir, 0o755)
  chmodSync(join(dir, 'mail'), 0o777)
  chmodSync(join(dir, 'home'), 0o777)
  const port = await freePort()
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = static
  args = password=${DOVECOT_PASSWORD}
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`
  writeFileSync(join(dir, 'dovecot.conf'), config)
  let output = ''
  const child = spawn(DOVECOT_BIN, ['-F', '-c', join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  await waitForPort(port, child, () => output)
  return {
    port,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

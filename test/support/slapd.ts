// A real OpenLDAP directory for a test: Debian's slapd, started from a slapd.conf in a temp dir (its own mdb
// database, loaded with slapadd before it starts) on a free loopback port. The root DN is the service account.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitForPort } from './dovecot.ts'

export const SLAPD_BIN = '/usr/sbin/slapd'
export const LDAP_SUFFIX = 'dc=example,dc=test'
export const LDAP_ROOT_DN = `cn=admin,${LDAP_SUFFIX}`
export const LDAP_ROOT_PASSWORD = 'directory-root-secret'

export interface Slapd {
  url: string
  /** Applies an LDIF change (ldapmodify) as the root DN. */
  modify(ldif: string): void
  close(): Promise<void>
}

export async function startSlapd(entries: string): Promise<Slapd> {
  if (!existsSync(SLAPD_BIN))
    throw new Error(
      'OpenLDAP is not installed: apt-get install -y slapd ldap-utils (see docs/integrations.md)',
    )
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-slapd-'))
  mkdirSync(join(dir, 'data'))
  const conf = join(dir, 'slapd.conf')
  writeFileSync(
    conf,
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
database mdb
maxsize 10485760
suffix "${LDAP_SUFFIX}"
rootdn "${LDAP_ROOT_DN}"
rootpw ${LDAP_ROOT_PASSWORD}
directory ${dir}/data
`,
  )
  const ldif = join(dir, 'entries.ldif')
  writeFileSync(ldif, entries)
  execFileSync('/usr/sbin/slapadd', ['-f', conf, '-l', ldif], { stdio: 'pipe' })
  const port = await freePort()
  const url = `ldap://127.0.0.1:${port}`
  // -d keeps it in the foreground (a child we can stop); 0 logs nothing.
  const child = spawn(SLAPD_BIN, ['-f', conf, '-h', `${url}/`, '-d', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr.on('data', (d: Buffer) => (log += d.toString()))
  await waitForPort(port, child, () => log, 'slapd')
  return {
    url,
    modify(change: string) {
      execFileSync('ldapmodify', ['-x', '-H', url, '-D', LDAP_ROOT_DN, '-w', LDAP_ROOT_PASSWORD], {
        input: change,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

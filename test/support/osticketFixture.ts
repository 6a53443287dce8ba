// The osTicket 1.18.1 fixture (made by running osTicket itself; FIXTURE.md beside it says what is in it), loaded
// into a scratch MariaDB database for the importer's test and benchmark. It is read from `shared` next to the
// checkout and never copied into the project.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The fixture sits in `shared` next to the checkout (../shared); OSTICKET_FIXTURE names it elsewhere. */
export function fixturePath(): string {
  const candidates = [
    process.env.OSTICKET_FIXTURE,
    join(REPO, '..', 'shared', 'fixtures', 'osticket', 'osticket-1.18.1-fixture.sql.gz'),
    join(REPO, '..', '..', 'shared', 'fixtures', 'osticket', 'osticket-1.18.1-fixture.sql.gz'),
  ].filter((p): p is string => !!p)
  const found = candidates.find((p) => existsSync(p))
  if (!found) throw new Error(`osTicket fixture not found; looked at ${candidates.join(', ')}`)
  return found
}

export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' }

/** A scratch MariaDB database holding the fixture (gunzip | mariadb). */
export function loadFixture(name: string): void {
  const client = ['mariadb', 'mysql'].find((c) => spawnSync(c, ['--version']).status === 0)
  if (!client) throw new Error('the mariadb client is not installed')
  const args = ['-h', MARIADB.host, '-P', String(MARIADB.port), '-u', MARIADB.user]
  execFileSync(client, [...args, '-e', `create database ${name} character set utf8mb4`])
  const sqlText = execFileSync('gunzip', ['-c', fixturePath()], { maxBuffer: 64 * 1024 * 1024 })
  execFileSync(client, [...args, name], { input: sqlText, maxBuffer: 64 * 1024 * 1024 })
}

export function dropFixture(name: string): void {
  const client = ['mariadb', 'mysql'].find((c) => spawnSync(c, ['--version']).status === 0)!
  execFileSync(client, ['-h', MARIADB.host, '-u', MARIADB.user, '-e', `drop database if exists ${name}`])
}

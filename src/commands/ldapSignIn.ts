// LDAP / Active Directory sign-in for agents (issue 18): the service account searches for the person by
// email under the search base and filter, then we bind as them with the password they typed; the directory
// decides. Their groups (memberOf, and a group search) give departments and roles at every sign-in. Called by
// the password sign-in (auth.ts `login`), which keeps its throttle, audit and answers: a wrong directory
// password is the same 401 `invalid_credentials` as a wrong local one.
import { Client, SizeLimitExceededError, type Entry } from 'ldapts'
import type { App } from '../app.ts'
import type { Origin } from '../domain/origin.ts'
import { AppError, badRequest } from '../errors.ts'
import type { Actor } from '../policies/actor.ts'
import { hasIdentityAt } from '../repositories/identityRepo.ts'
import { requireAdmin } from './admin/adminWrites.ts'
import { loadLdapSettings, type LdapSettings } from './admin/ldapSettings.ts'
import { admitExternalPerson } from './externalSignIn.ts'

const TIMEOUT_MS = 5_000

/** RFC 4515 §3: the characters that would change a filter's meaning, as \XX escapes. */
export const escapeFilterValue = (value: string) =>
  // eslint-disable-next-line no-control-regex -- NUL is one of the characters RFC 4515 requires escaped
  value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)

function connect(s: LdapSettings): Client {
  const tlsOptions = s.caCertificate.trim() !== '' ? { ca: s.caCertificate } : {}
  return new Client({ url: s.url, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS, tlsOptions })
}

async function openAsService(s: LdapSettings): Promise<Client> {
  const client = connect(s)
  try {
    if (s.startTls) await client.startTLS(s.caCertificate.trim() !== '' ? { ca: s.caCertificate } : {})
    if (s.bindDn !== '') await client.bind(s.bindDn, s.bindPassword)
    return client
  } catch (error) {
    await client.unbind().catch(() => {})
    throw error
  }
}

const values = (entry: Entry, attribute: string): string[] => {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase())
  const v = key === undefined ? undefined : entry[key]
  if (v === undefined) return []
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)))
}

/** A group DN's first RDN value (`cn=support,ou=groups,…` → `support`). */
const rdnValue = (dn: string) => /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn)?.[1] ?? dn

interface DirectoryPerson {
  dn: string
  email: string
  name: string
  groups: string[]
}

/** The one entry with this address that the filter admits, with its groups; undefined when none (or several). */
async function findPerson(
  client: Client,
  s: LdapSettings,
  email: string,
): Promise<DirectoryPerson | undefined> {
  const filter = `(&${s.searchFilter}(${s.emailAttribute}=${escapeFilterValue(email)}))`
  const { searchEntries } = await client.search(s.searchBase, {
    scope: 'sub',
    filter,
    sizeLimit: 2,
    attributes: [s.emailAttribute, s.nameAttribute, 'memberOf'],
  })
  if (searchEntries.length !== 1) return undefined
  const entry = searchEntries[0]!
  const groups = values(entry, 'memberOf')
  if (s.groupSearchBase !== '') {
    const found = await client.search(s.groupSearchBase, {
      scope: 'sub',
      filter: s.groupFilter.replaceAll('{dn}', escapeFilterValue(entry.dn)),
      attributes: ['cn'],
    })
    groups.push(...found.searchEntries.map((g) => g.dn))
  }
  return {
    dn: entry.dn,
    email: values(entry, s.emailAttribute)[0] ?? email,
    name: values(entry, s.nameAttribute)[0] ?? '',
    // A mapping may name a group by its DN or by its name (its first RDN value).
    groups: groups.flatMap((dn) => [dn, rdnValue(dn)]),
  }
}

export type DirectoryVerdict = { ok: true; userId: number } | { ok: false }

/**
 * The directory's verdict on an email and password, or undefined when the directory has no say: LDAP is off,
 * the account is a customer, or an agent with a local password whom the directory does not know. An
 * LDAP-backed agent is only ever checked by the directory.
 */
export async function ldapSignIn(
  app: App,
  email: string | undefined,
  password: string,
  user: { id: number; type: 'agent' | 'customer' } | undefined,
  origin: Origin,
): Promise<DirectoryVerdict | undefined> {
  const s = await loadLdapSettings(app)
  if (!s?.enabled || email === undefined || user?.type === 'customer') return undefined
  const backed = user !== undefined && (await hasIdentityAt(app.db.read, user.id, 'ldap'))
  const fallBack = backed || user === undefined ? { ok: false as const } : undefined
  let person: DirectoryPerson | undefined
  let client: Client | undefined
  try {
    client = await openAsService(s)
    person = await findPerson(client, s, email)
    if (!person) return fallBack
    // An empty password would be an unauthenticated bind, which directories accept (RFC 4513 §5.1.2).
    if (password === '') return { ok: false }
    await client.bind(person.dn, password)
  } catch {
    // Wrong password, or the directory cannot be reached: either way no sign-in through it.
    return person ? { ok: false } : fallBack
  } finally {
    await client?.unbind().catch(() => {})
  }
  try {
    const userId = await admitExternalPerson(
      app,
      { source: 'ldap', subject: person.dn.toLowerCase(), ...person },
      { mappings: s.groupMappings, unknownPeople: 'agent', allowCustomers: false },
      origin,
    )
    return { ok: true, userId }
  } catch (error) {
    if (error instanceof AppError && error.code === 'sign_in_refused') return { ok: false }
    throw error
  }
}

/** Whether the saved service account can connect, bind and search (the admin screen's "Test connection"). */
export async function testLdapConnection(app: App, actor: Actor): Promise<{ ok: boolean; message: string }> {
  requireAdmin(actor)
  const s = await loadLdapSettings(app)
  if (!s) throw badRequest('ldap_not_configured', 'Save the LDAP settings first.')
  let client: Client | undefined
  try {
    client = await openAsService(s)
    const { searchEntries } = await client.search(s.searchBase, {
      scope: 'sub',
      filter: s.searchFilter,
      sizeLimit: 1,
      attributes: ['dn'],
    })
    return {
      ok: true,
      message: `Connected; the search base and filter find ${searchEntries.length ? 'people' : 'nobody'}.`,
    }
  } catch (error) {
    if (error instanceof SizeLimitExceededError)
      return { ok: true, message: 'Connected; the search base and filter find people.' }
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  } finally {
    await client?.unbind().catch(() => {})
  }
}

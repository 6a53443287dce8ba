// LDAP / Active Directory sign-in settings (issue 18), one set per install, kept in the settings table. The
// service account's password is write-only: used to search the directory, never returned or recorded.
import { z } from 'zod'
import type { App } from '../../app.ts'
import { badRequest } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { existingDepartmentIds } from '../../repositories/departmentRepo.ts'
import { listRoles } from '../../repositories/roleRepo.ts'
import { getSetting, putSetting } from '../../repositories/settingsRepo.ts'
import { GroupMapping } from '../externalSignIn.ts'
import { text } from '../fields.ts'
import { changedFields, recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

export const LDAP_SETTING = 'ldap'

const ldapFilter = z
  .string()
  .max(1000)
  .refine((s) => s.startsWith('(') && s.endsWith(')'), { message: 'must be an LDAP filter in parentheses' })

const Settings = z.object({
  enabled: z.boolean().default(false),
  url: z
    .string()
    .max(500)
    .regex(/^ldaps?:\/\/[^/\s]+\/?$/, 'ldap://host:port or ldaps://host:port')
    .describe('ldaps:// for TLS from the start, or ldap:// (with startTls to upgrade)'),
  startTls: z.boolean().default(false).describe('Upgrade an ldap:// connection with StartTLS'),
  caCertificate: z
    .string()
    .max(20_000)
    .default('')
    .describe("PEM of the CA that signed the directory's certificate, when it is not a public one"),
  bindDn: text(500, { min: 0 }).describe('The service account that searches; empty: an anonymous search'),
  searchBase: text(500),
  searchFilter: ldapFilter
    .default('(objectClass=person)')
    .describe('Who may sign in; combined with the email attribute, e.g. (&(objectClass=person)(memberOf=…))'),
  emailAttribute: text(100).default('mail'),
  nameAttribute: text(100).default('cn'),
  groupSearchBase: text(500, { min: 0 })
    .default('')
    .describe("Where groups are searched for members; empty: only the entry's memberOf attribute"),
  groupFilter: ldapFilter
    .default('(|(member={dn})(uniqueMember={dn}))')
    .describe("{dn} is replaced by the person's DN"),
  groupMappings: z.array(GroupMapping).max(200).default([]),
})

export const LdapSettingsIn = Settings.extend({
  bindPassword: text(1000, { min: 0 }).optional().describe('Write-only; omitted: the stored one is kept'),
})
export type LdapSettingsIn = z.infer<typeof LdapSettingsIn>
export type LdapSettings = z.infer<typeof Settings> & { bindPassword: string }

export const LdapSettingsOut = Settings.extend({ hasBindPassword: z.boolean() })

/** The settings in force, or undefined when none were saved. */
export async function loadLdapSettings(app: App): Promise<LdapSettings | undefined> {
  const raw = await getSetting(app.db.read, LDAP_SETTING)
  if (raw === undefined) return undefined
  const stored = JSON.parse(raw) as Record<string, unknown>
  const parsed = Settings.safeParse(stored)
  if (!parsed.success) return undefined
  return { ...parsed.data, bindPassword: typeof stored.bindPassword === 'string' ? stored.bindPassword : '' }
}

export function presentLdapSettings(s: LdapSettings | undefined): z.infer<typeof LdapSettingsOut> | null {
  if (!s) return null
  const { bindPassword, ...shown } = s
  return { ...shown, hasBindPassword: bindPassword !== '' }
}

export async function getLdapSettings(app: App, actor: Actor) {
  requireAdmin(actor)
  return presentLdapSettings(await loadLdapSettings(app))
}

export async function setLdapSettings(app: App, actor: Actor, input: LdapSettingsIn, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const [departments, roles] = await Promise.all([
      existingDepartmentIds(
        trx,
        input.groupMappings.map((m) => m.departmentId),
      ),
      listRoles(trx),
    ])
    const keys = new Set(roles.map((r) => r.key))
    for (const m of input.groupMappings) {
      if (!departments.has(m.departmentId))
        throw badRequest('unknown_department', `No department with id ${m.departmentId}.`)
      if (!keys.has(m.role)) throw badRequest('unknown_role', `No role with key "${m.role}".`)
    }
    const raw = await getSetting(trx, LDAP_SETTING)
    const before = raw === undefined ? {} : (JSON.parse(raw) as Record<string, unknown>)
    const { bindPassword, ...rest } = input
    const kept = typeof before.bindPassword === 'string' ? before.bindPassword : ''
    await putSetting(trx, LDAP_SETTING, JSON.stringify({ ...rest, bindPassword: bindPassword ?? kept }))
    const { bindPassword: _old, ...shownBefore } = before
    const diff = changedFields(shownBefore, rest)
    if (diff || bindPassword !== undefined)
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.ldap.updated',
        meta,
        before: diff?.before ?? {},
        after: { ...diff?.after, ...(bindPassword !== undefined ? { bindPasswordChanged: true } : {}) },
        at,
      })
  })
  return getLdapSettings(app, actor)
}

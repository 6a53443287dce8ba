// OpenID Connect providers (issue 18), set up by an admin. The client secret is write-only: sent to the
// provider's token endpoint, never returned by the API or recorded in the audit log.
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { App } from '../../app.ts'
import type { DB } from '../../db/schema.ts'
import { badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { existingDepartmentIds } from '../../repositories/departmentRepo.ts'
import { listRoles } from '../../repositories/roleRepo.ts'
import {
  deleteProviderRow,
  findProviderRow,
  insertProviderRow,
  listProviderRows,
  updateProviderRow,
  type ProviderRow,
} from '../../repositories/identityRepo.ts'
import { GroupMapping } from '../externalSignIn.ts'
import { patchOf, text } from '../fields.ts'
import { changedFields, guardUnique, recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'

const issuerUrl = z
  .string()
  .max(2000)
  .refine(
    (s) => {
      try {
        const u = new URL(s)
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.hash
      } catch {
        return false
      }
    },
    { message: 'must be an absolute https:// URL (http:// only on a loopback address)' },
  )

const domain = z
  .string()
  .max(253)
  .transform((s) => s.trim().toLowerCase().replace(/^@/, ''))
  .refine((s) => /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(s), { message: 'must be a domain name' })

export const CreateIdentityProvider = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40')
    .describe('In the sign-in URLs: /api/v1/auth/oidc/<slug>/start'),
  name: text(80).describe('On the sign-in button: "Sign in with <name>"'),
  issuer: issuerUrl.describe('The issuer URL; its /.well-known/openid-configuration is read'),
  clientId: text(500),
  clientSecret: text(2000).describe('Write-only: never returned'),
  scopes: z
    .string()
    .max(500)
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'space-separated scope names')
    .refine((s) => s.split(' ').includes('openid'), { message: 'must include openid' })
    .default('openid email profile'),
  allowedDomains: z.array(domain).max(100).default([]).describe('Email domains that may sign in; empty: any'),
  unknownPeople: z
    .enum(['refuse', 'customer'])
    .default('refuse')
    .describe(
      'A person with no account and no mapped group: refused, or created as a customer (needs allowCustomers)',
    ),
  allowCustomers: z
    .boolean()
    .default(false)
    .describe('Customers may sign in to the portal with this provider'),
  groupsClaim: text(100).default('groups').describe('The ID token or userinfo claim that lists the groups'),
  groupMappings: z
    .array(GroupMapping)
    .max(200)
    .default([])
    .describe(
      'A person in the group is an agent with this role in this department. The mapped departments are set ' +
        'from the groups at every sign-in; other memberships are left alone. A new person in a mapped group ' +
        'is created as an agent.',
    ),
  enabled: z.boolean().default(true),
})
export type CreateIdentityProvider = z.infer<typeof CreateIdentityProvider>

export const UpdateIdentityProvider = patchOf(CreateIdentityProvider)
export type UpdateIdentityProvider = z.infer<typeof UpdateIdentityProvider>

/** An http:// issuer is accepted only on a loopback address (a provider on the same machine, or a test). */
export function insecureIssuerAllowed(issuer: string): boolean {
  const u = new URL(issuer)
  if (u.protocol === 'https:') return true
  const host = u.hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

async function checkMappings(trx: Kysely<DB>, mappings: GroupMapping[] | undefined): Promise<void> {
  if (!mappings?.length) return
  const [departments, roles] = await Promise.all([
    existingDepartmentIds(
      trx,
      mappings.map((m) => m.departmentId),
    ),
    listRoles(trx),
  ])
  const keys = new Set(roles.map((r) => r.key))
  for (const m of mappings) {
    if (!departments.has(m.departmentId))
      throw badRequest('unknown_department', `No department with id ${m.departmentId}.`)
    if (!keys.has(m.role)) throw badRequest('unknown_role', `No role with key "${m.role}".`)
  }
}

function checkIssuer(issuer: string | undefined): void {
  if (issuer !== undefined && !insecureIssuerAllowed(issuer))
    throw badRequest('insecure_issuer', 'The issuer must use https:// (http:// only on a loopback address).')
}

const audited = (r: ProviderRow) => ({
  slug: r.slug,
  name: r.name,
  issuer: r.issuer,
  clientId: r.client_id,
  scopes: r.scopes,
  allowedDomains: JSON.parse(r.allowed_domains) as string[],
  unknownPeople: r.unknown_people,
  allowCustomers: r.allow_customers === 1,
  groupsClaim: r.groups_claim,
  groupMappings: JSON.parse(r.group_mappings) as GroupMapping[],
  enabled: r.enabled === 1,
})

export async function listIdentityProviders(app: App, actor: Actor): Promise<ProviderRow[]> {
  requireAdmin(actor)
  return listProviderRows(app.db.read)
}

export async function getIdentityProvider(app: App, actor: Actor, id: number): Promise<ProviderRow> {
  requireAdmin(actor)
  const row = await findProviderRow(app.db.read, id)
  if (!row) throw notFound('identity provider')
  return row
}

export async function createIdentityProvider(
  app: App,
  actor: Actor,
  input: CreateIdentityProvider,
  meta: AdminMeta,
): Promise<ProviderRow> {
  const admin = requireAdmin(actor)
  checkIssuer(input.issuer)
  const at = app.clock.now()
  return guardUnique('identity provider', 'slug', () =>
    app.db.transact(async (trx) => {
      await checkMappings(trx, input.groupMappings)
      const row = await insertProviderRow(trx, {
        slug: input.slug,
        name: input.name,
        issuer: input.issuer,
        client_id: input.clientId,
        client_secret: input.clientSecret,
        scopes: input.scopes,
        allowed_domains: JSON.stringify([...new Set(input.allowedDomains)]),
        unknown_people: input.unknownPeople,
        allow_customers: input.allowCustomers ? 1 : 0,
        groups_claim: input.groupsClaim,
        group_mappings: JSON.stringify(input.groupMappings),
        enabled: input.enabled ? 1 : 0,
        created_at: at,
        updated_at: at,
      })
      await recordAdminEvent(trx, {
        actor: admin,
        type: 'admin.identity_provider.created',
        meta,
        before: null,
        after: { id: row.id, ...audited(row) },
        at,
      })
      return row
    }),
  )
}

export async function updateIdentityProvider(
  app: App,
  actor: Actor,
  id: number,
  input: UpdateIdentityProvider,
  meta: AdminMeta,
): Promise<ProviderRow> {
  const admin = requireAdmin(actor)
  checkIssuer(input.issuer)
  const at = app.clock.now()
  return guardUnique('identity provider', 'slug', () =>
    app.db.transact(async (trx) => {
      const before = await findProviderRow(trx, id)
      if (!before) throw notFound('identity provider')
      await checkMappings(trx, input.groupMappings)
      const row = await updateProviderRow(trx, id, {
        ...(input.slug !== undefined ? { slug: input.slug } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.issuer !== undefined ? { issuer: input.issuer } : {}),
        ...(input.clientId !== undefined ? { client_id: input.clientId } : {}),
        ...(input.clientSecret !== undefined ? { client_secret: input.clientSecret } : {}),
        ...(input.scopes !== undefined ? { scopes: input.scopes } : {}),
        ...(input.allowedDomains !== undefined
          ? { allowed_domains: JSON.stringify([...new Set(input.allowedDomains)]) }
          : {}),
        ...(input.unknownPeople !== undefined ? { unknown_people: input.unknownPeople } : {}),
        ...(input.allowCustomers !== undefined ? { allow_customers: input.allowCustomers ? 1 : 0 } : {}),
        ...(input.groupsClaim !== undefined ? { groups_claim: input.groupsClaim } : {}),
        ...(input.groupMappings !== undefined ? { group_mappings: JSON.stringify(input.groupMappings) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        updated_at: at,
      })
      const diff = changedFields(audited(before), audited(row!))
      if (diff || input.clientSecret !== undefined)
        await recordAdminEvent(trx, {
          actor: admin,
          type: 'admin.identity_provider.updated',
          meta,
          before: { id, ...diff?.before },
          // The secret itself is never recorded, only that it changed.
          after: { id, ...diff?.after, ...(input.clientSecret !== undefined ? { secretChanged: true } : {}) },
          at,
        })
      return row!
    }),
  )
}

export async function deleteIdentityProvider(app: App, actor: Actor, id: number, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const before = await findProviderRow(trx, id)
    if (!before || !(await deleteProviderRow(trx, id))) throw notFound('identity provider')
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.identity_provider.deleted',
      meta,
      before: { id, ...audited(before) },
      after: null,
      at,
    })
  })
}

// Identity provider shapes: the admin API's (the client secret is never among them) and the sign-in page's.
import { z } from 'zod'
import type { ProviderRow } from '../repositories/identityRepo.ts'

export const IdentityProviderOut = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  scopes: z.string(),
  allowedDomains: z.array(z.string()),
  unknownPeople: z.enum(['refuse', 'customer']),
  allowCustomers: z.boolean(),
  groupsClaim: z.string(),
  groupMappings: z.array(z.object({ group: z.string(), departmentId: z.number(), role: z.string() })),
  enabled: z.boolean(),
  callbackUrl: z.string().describe('Register this as the redirect URI at the provider'),
  createdAt: z.string(),
  updatedAt: z.string(),
})

export function presentIdentityProvider(
  r: ProviderRow,
  publicUrl: string,
): z.infer<typeof IdentityProviderOut> {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    issuer: r.issuer,
    clientId: r.client_id,
    hasClientSecret: r.client_secret !== '',
    scopes: r.scopes,
    allowedDomains: JSON.parse(r.allowed_domains) as string[],
    unknownPeople: r.unknown_people,
    allowCustomers: r.allow_customers === 1,
    groupsClaim: r.groups_claim,
    groupMappings: JSON.parse(r.group_mappings) as z.infer<typeof IdentityProviderOut>['groupMappings'],
    enabled: r.enabled === 1,
    callbackUrl: oidcCallbackUrl(publicUrl, r.slug),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }
}

export const oidcCallbackUrl = (publicUrl: string, slug: string) =>
  `${publicUrl.replace(/\/+$/, '')}/api/v1/auth/oidc/${encodeURIComponent(slug)}/callback`

export const PublicProviderOut = z.object({
  slug: z.string(),
  name: z.string(),
  forCustomers: z.boolean(),
  startUrl: z.string(),
})

export function presentPublicProvider(r: ProviderRow): z.infer<typeof PublicProviderOut> {
  return {
    slug: r.slug,
    name: r.name,
    forCustomers: r.allow_customers === 1,
    startUrl: `/api/v1/auth/oidc/${encodeURIComponent(r.slug)}/start`,
  }
}

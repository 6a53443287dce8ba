// The admin console's side of /api/v1/admin/…: rows typed from the generated schema (web/src/api/schema.d.ts)
// and one hook for list + create/edit/disable.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { FieldType } from '@shared/customFields.ts'
import type { RoleKey } from '@shared/permissions.ts'
import type { EscalationTrigger, EscalationType, SlaHours } from '@shared/sla.ts'
import { api, get } from '../../api.ts'
import type { ResponseOf } from '../../api/types.ts'

export type AdminDepartment = ResponseOf<'/api/v1/admin/departments'>['items'][number]
export type AdminTeam = ResponseOf<'/api/v1/admin/teams'>['items'][number]
export type { RoleKey }
export type AdminAgent = ResponseOf<'/api/v1/admin/agents'>['items'][number]
export type AdminCustomer = ResponseOf<'/api/v1/admin/customers'>['items'][number]
export type AdminOrganization = ResponseOf<'/api/v1/admin/organizations'>['items'][number]
export type AdminRole = ResponseOf<'/api/v1/admin/roles'>['items'][number]

/** The calls of one admin resource at `base` (/api/v1/admin/<resource>), as the kit's pages use them. */
export function adminResource<T, Id extends string | number = number>(base: string) {
  const at = (id: Id) => `${base}/${encodeURIComponent(String(id))}`
  return {
    key: ['admin', base] as const,
    list: () => get<{ items: T[]; nextCursor?: string | null }>(base),
    create: (body: unknown) => api('POST', base, body),
    update: (id: Id, body: unknown) => api('PATCH', at(id), body),
    put: (id: Id, body: unknown) => api('PUT', at(id), body),
    remove: (id: Id) => api('DELETE', at(id)),
  }
}

export function useAdminList<T>(path: string) {
  return useQuery({ queryKey: ['admin', path], queryFn: () => get<{ items: T[] }>(path) })
}

/** POST to create (no id) or PATCH to change (with id); refreshes every admin list afterwards. */
export function useAdminSave(base: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ id, body }: { id?: number; body: Record<string, unknown> }) =>
      id === undefined ? api('POST', base, body) : api('PATCH', `${base}/${id}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
}

/** Puts an agent on vacation or back (auto-assignment skips agents on vacation). */
export function useAgentAvailability() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ id, onVacation }: { id: number; onVacation: boolean }) =>
      api('PATCH', `/api/v1/admin/agents/${id}/availability`, { onVacation }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
}

export function useSlaSettings() {
  return useQuery({
    queryKey: ['admin', '/api/v1/admin/sla-settings'],
    queryFn: () => get<SlaSettings>('/api/v1/admin/sla-settings'),
  })
}

export function useSaveSlaSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: Partial<SlaSettings>) => api<SlaSettings>('PUT', '/api/v1/admin/sla-settings', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  })
}

export type AdminCanned = ResponseOf<'/api/v1/admin/canned-responses'>['items'][number]
export type AdminStatus = ResponseOf<'/api/v1/statuses'>['items'][number]
export type AdminTopic = ResponseOf<'/api/v1/admin/topics'>['items'][number]
// Written by hand until GET /api/v1/admin/sla-plans has an output schema: it answers through a catch-all
// (z.record), so the generated type says nothing about a plan.
export interface AdminSlaPlan {
  id: number
  name: string
  scheduleId: number | null
  targets: Record<string, SlaTargets | undefined>
  escalations: SlaEscalation[]
  isActive: boolean
}
/** What the breach sweep does when a ticket on the plan crosses `on`; see docs/sla.md. */
export interface SlaEscalation {
  on: EscalationTrigger
  type: EscalationType
  /** reassign: an agent id, or null for auto-assignment; notify_team: a team id. */
  value?: number | null
}
export type SlaSettings = ResponseOf<'/api/v1/admin/sla-settings'>
export interface SlaTargets {
  firstResponseMinutes: number | null
  nextResponseMinutes: number | null
  resolutionMinutes: number | null
  hours: SlaHours
}
export type CustomFieldType = FieldType
export type AdminCustomField = ResponseOf<'/api/v1/admin/custom-fields'>['items'][number]
/** A webhook as the admin API shows it: never its secret (docs/integrations.md). */
export type AdminWebhook = ResponseOf<'/api/v1/admin/webhooks'>['items'][number]
export type AdminWebhookDelivery = ResponseOf<'/api/v1/admin/webhooks/{id}/deliveries'>['items'][number]

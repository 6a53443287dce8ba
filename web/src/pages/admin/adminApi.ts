// The admin console's side of /api/v1/admin/…: typed rows and one hook for list + create/edit/disable.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, get } from '../../api.ts'

export interface AdminDepartment {
  id: number
  name: string
  parentId: number | null
  isActive: boolean
  autoAssign?: 'off' | 'round_robin' | 'least_loaded'
  maxOpenPerAgent?: number | null
  assignSignedInWithinMinutes?: number | null
  managerId?: number | null
  slaPlanId?: number | null
  /** Added under agents' public replies in this department. */
  signature?: string | null
}
export interface AdminTeam {
  id: number
  name: string
  isActive: boolean
  members: { id: number; name: string }[]
}
export type RoleKey = 'all_access' | 'expanded_access' | 'limited_access' | 'view_only'
export interface AdminAgent {
  id: number
  name: string
  email: string
  isActive: boolean
  isAdmin: boolean
  /** Auto-assignment skips agents on vacation (PATCH /api/v1/admin/agents/:id/availability). */
  onVacation: boolean
  primaryDepartmentId: number | null
  memberships: { departmentId: number; departmentName: string; role: RoleKey }[]
}
export interface AdminCustomer {
  id: number
  name: string
  email: string
  isActive: boolean
  organizationId: number | null
  organizationName: string | null
}
export interface AdminOrganization {
  id: number
  name: string
  isActive: boolean
  customerCount: number
}
export interface AdminRole {
  key: RoleKey
  name: string
  permissions: string[]
}

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

export interface AdminCanned {
  id: number
  title: string
  body: string
  departmentId: number | null
}
export interface AdminStatus {
  key: string
  name: string
  category: string
  /** Order within the category; the server lists statuses by category, then position. */
  position: number
}
export interface AdminTopic {
  id: number
  name: string
  isPublic: boolean
  isActive: boolean
  departmentId: number | null
  priority: string | null
  slaPlanId: number | null
  fields: string[]
  position: number
}
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
  on: 'at_risk' | 'breached'
  type: 'raise_priority' | 'reassign' | 'notify_team'
  /** reassign: an agent id, or null for auto-assignment; notify_team: a team id. */
  value?: number | null
}
export interface SlaSettings {
  /** 0: resolved tickets are never closed automatically. */
  autoCloseDays: number
  defaultPlanId: number | null
}
export interface SlaTargets {
  firstResponseMinutes: number | null
  nextResponseMinutes: number | null
  resolutionMinutes: number | null
  hours: 'business' | '24x7'
}
export type CustomFieldType =
  'text' | 'long_text' | 'number' | 'date' | 'checkbox' | 'select' | 'multi_select'
export interface AdminCustomField {
  id: number
  key: string
  label: string
  type: CustomFieldType
  options: string[]
  clientVisible: boolean
  clientEditable: boolean
  agentVisible: boolean
  requiredOnCreate: boolean
  requiredToClose: boolean
  position: number
  isActive: boolean
}
/** A webhook as the admin API shows it: never its secret (docs/integrations.md). */
export interface AdminWebhook {
  id: number
  url: string
  events: string[]
  active: boolean
  internal: boolean
  description: string
  createdAt: string
  updatedAt: string
}
export interface AdminWebhookDelivery {
  id: number
  webhookId: number
  event: string
  ticketNumber: string | null
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastAttemptAt: string | null
  responseStatus: number | null
  responseExcerpt: string | null
  error: string | null
  createdAt: string
  finishedAt: string | null
}

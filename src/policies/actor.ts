import type { Permission } from '../domain/permissions.ts'

export interface AgentActor {
  kind: 'agent'
  id: number
  name: string
  email: string
  isAdmin: boolean
  primaryDepartmentId: number | null
  /** Department id → the permissions of the agent's role there. */
  roles: ReadonlyMap<number, ReadonlySet<Permission>>
  teamIds: readonly number[]
}

export interface CustomerActor {
  kind: 'customer'
  id: number
  name: string
  email: string
  organizationId: number | null
}

export type Actor = AgentActor | CustomerActor

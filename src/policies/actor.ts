import type { Permission } from '../domain/permissions.ts'
import type { Origin } from '../domain/origin.ts'

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
  /** The request this actor is acting through, for the audit log (absent for jobs and the CLI). */
  origin?: Origin
}

export interface CustomerActor {
  kind: 'customer'
  id: number
  name: string
  email: string
  organizationId: number | null
  origin?: Origin
}

export type Actor = AgentActor | CustomerActor

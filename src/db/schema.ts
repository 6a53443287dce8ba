// Table types for Kysely. Timestamps are epoch milliseconds in both databases (integer / bigint),
// booleans are 0/1 integers, and JSON is stored as text, so one codebase reads both dialects alike.
import type { Generated } from 'kysely'

export interface DepartmentTable {
  id: Generated<number>
  name: string
  parent_id: number | null
  is_active: Generated<number>
  created_at: number
}

export interface TeamTable {
  id: Generated<number>
  name: string
  is_active: Generated<number>
  created_at: number
}

export interface TeamMemberTable {
  team_id: number
  agent_id: number
}

export interface RoleTable {
  id: Generated<number>
  key: string
  name: string
  /** JSON array of permission names. */
  permissions: string
}

export interface OrganizationTable {
  id: Generated<number>
  name: string
  is_active: Generated<number>
  created_at: number
}

export interface UserTable {
  id: Generated<number>
  type: 'agent' | 'customer'
  name: string
  /** Lower-cased; unique across agents and customers. */
  email: string
  password_hash: string | null
  is_admin: Generated<number>
  is_active: Generated<number>
  organization_id: number | null
  primary_department_id: number | null
  created_at: number
  /** Base32 TOTP seed: pending while totp_enabled is 0, in force once confirmed. */
  totp_secret: string | null
  totp_enabled: Generated<number>
  totp_last_step: number | null
}

export interface AgentDepartmentTable {
  agent_id: number
  department_id: number
  role_id: number
}

export interface SessionTable {
  /** sha256 of the token; the token itself is never stored. */
  token_hash: string
  user_id: number
  csrf_token: string
  created_at: number
  expires_at: number
}

export interface TicketStatusTable {
  key: string
  name: string
  category: string
}

export interface TicketTable {
  id: Generated<number>
  number: string
  subject: string
  department_id: number
  assignee_agent_id: number | null
  assignee_team_id: number | null
  requester_id: number
  priority: string
  status: string
  source: string
  /** The closed ticket that a customer's follow-up came from. */
  follow_up_of_id: number | null
  version: Generated<number>
  created_at: number
  updated_at: number
  closed_at: number | null
  last_activity_at: number
}

export interface ThreadEntryTable {
  id: Generated<number>
  ticket_id: number
  kind: 'message' | 'response' | 'note'
  body: string
  author_id: number
  created_at: number
}

export interface TicketFollowerTable {
  ticket_id: number
  agent_id: number
  created_at: number
}

export interface EventTable {
  id: Generated<number>
  ticket_id: number | null
  actor_id: number | null
  type: string
  channel: string
  /** JSON: the changed fields before and after. */
  before: string | null
  after: string | null
  created_at: number
  /** Where the request that caused the event came from (null for jobs and the command line). */
  ip: string | null
  user_agent: string | null
}

export interface NotificationTable {
  id: Generated<number>
  user_id: number
  ticket_id: number
  kind: string
  text: string
  created_at: number
  read_at: number | null
}

export interface IdempotencyKeyTable {
  user_id: number
  key: string
  ticket_id: number
  created_at: number
}

export interface OutboxTable {
  id: Generated<number>
  topic: string
  payload: string
  attempts: Generated<number>
  available_at: number
  last_error: string | null
  /** Set when delivery gave up; admins see these rows (dead letters). */
  dead_at: number | null
  created_at: number
}

export interface SettingTable {
  key: string
  value: string
}

export interface RecoveryCodeTable {
  code_hash: string
  user_id: number
  created_at: number
  used_at: number | null
}

export interface PasswordResetTable {
  token_hash: string
  user_id: number
  created_at: number
  expires_at: number
  used_at: number | null
}

/** Between a correct password and the second factor: proves the password step, grants nothing else. */
export interface LoginChallengeTable {
  token_hash: string
  user_id: number
  created_at: number
  expires_at: number
}

export interface AccessTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: string
  prefix: string
  scopes: string
  created_at: number
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
}

export interface DB {
  departments: DepartmentTable
  teams: TeamTable
  team_members: TeamMemberTable
  roles: RoleTable
  organizations: OrganizationTable
  users: UserTable
  agent_departments: AgentDepartmentTable
  sessions: SessionTable
  ticket_statuses: TicketStatusTable
  tickets: TicketTable
  thread_entries: ThreadEntryTable
  ticket_followers: TicketFollowerTable
  events: EventTable
  notifications: NotificationTable
  idempotency_keys: IdempotencyKeyTable
  outbox: OutboxTable
  settings: SettingTable
  recovery_codes: RecoveryCodeTable
  password_resets: PasswordResetTable
  login_challenges: LoginChallengeTable
  access_tokens: AccessTokenTable
}

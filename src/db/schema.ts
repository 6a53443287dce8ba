// Table types for Kysely. Timestamps are epoch milliseconds in both databases (integer / bigint),
// booleans are 0/1 integers, and JSON is stored as text, so one codebase reads both dialects alike.
import type { Generated, GeneratedAlways } from 'kysely'

export interface DepartmentTable {
  id: Generated<number>
  name: string
  parent_id: number | null
  is_active: Generated<number>
  created_at: number
  manager_id: number | null
  sla_plan_id: number | null
  auto_assign: Generated<'off' | 'round_robin' | 'least_loaded'>
  max_open_per_agent: number | null
  /** Auto-assignment only picks agents with a session started this recently (null: any agent). */
  assign_signed_in_within_minutes: number | null
  /** Added under every agent's public reply in this department (migration 0015). */
  signature: string | null
  /** The auto-response lists the public articles that best match a new ticket's subject (migration 0030). */
  autoresponse_articles: Generated<number>
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
  on_vacation: Generated<number>
  /** When auto-assignment last gave this agent a ticket (round-robin order). */
  last_assigned_at: number | null
  /** Agents: added under their public replies (migration 0015). */
  signature: string | null
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
  /** The public id a person ends the session by (migration 0026); the token hash never leaves the server. */
  id: string
  ip: string | null
  user_agent: string | null
  /** When the session last made a request, to the resolution of sessionRepo's LAST_SEEN_RESOLUTION_MS. */
  last_seen_at: number | null
}

/** Outgoing mail kept for admins when no SMTP_URL is configured (migration 0026). */
export interface MailPreviewTable {
  id: Generated<number>
  kind: string
  ticket_id: number | null
  to_address: string
  to_name: string | null
  subject: string
  text_body: string
  html_body: string | null
  attachments: string
  created_at: number
}

export interface TicketStatusTable {
  key: string
  name: string
  category: string
  /** The admin's order within the category (migration 0015). */
  position: Generated<number>
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
  /** Set when the ticket was merged into another (it is closed; its number leads there). */
  merged_into_id: Generated<number | null>
  version: Generated<number>
  created_at: number
  updated_at: number
  closed_at: number | null
  last_activity_at: number
  topic_id: number | null
  sla_plan_id: number | null
  sla_plan_source: 'rule' | 'topic' | 'department' | 'default' | null
  sla_first_response_due_at: number | null
  sla_next_response_due_at: number | null
  sla_resolution_due_at: number | null
  sla_first_responded_at: number | null
  sla_state: 'ok' | 'at_risk' | 'breached' | 'paused' | null
  /** The next instant the SLA sweep must look at this ticket; null when nothing is pending. */
  sla_alert_at: number | null
  /** JSON SlaClock (domain/slaClock.ts). */
  sla_clock: string | null
  snoozed_until: number | null
  /** JSON object: custom field key → value. */
  custom_fields: Generated<string>
  /** Generated (0011): emergency 4, high 3, normal 2, low 1; the priority sort's key. */
  priority_rank: GeneratedAlways<number>
  /**
   * Generated (0011): the nearest due time of the running SLA targets, or NO_DUE_TIME (2^53 - 1) when none
   * runs, so that tickets without an SLA sort last; the due sort's key.
   */
  sla_due_at: GeneratedAlways<number>
}

export interface ThreadEntryTable {
  id: Generated<number>
  ticket_id: number
  kind: 'message' | 'response' | 'note'
  /** The plain-text copy (of `html` when there is one). */
  body: string
  /** Sanitised HTML written in the composer (migration 0018); null for plain text and for emailed entries. */
  html: Generated<string | null>
  author_id: number
  created_at: number
  /** The ticket the entry was written on, when a merge moved it here (null: written here). */
  origin_ticket_id: Generated<number | null>
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
  /** sha256 of the canonical request body (migration 0010); null for older keys. */
  request_hash: string | null
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

/** One row (id 1): bumped by triggers on every change to routing configuration (migration 0006). */
export interface ConfigVersionTable {
  id: number
  n: number
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

/** A single-use sign-in link to one ticket, for a customer checking its status without a password. */
export interface TicketLinkTable {
  token_hash: string
  user_id: number
  ticket_id: number
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

/** An address an account signed in from (migration 0010): the sign-in throttle trusts it for that account. */
/** A failed password or code check, under one of the throttle's keys (migration 0019). */
export interface AuthFailureTable {
  id: Generated<number>
  key: string
  at: number
}

export interface SignInAddressTable {
  user_id: number
  address: string
  first_at: number
  last_at: number
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

export interface TicketCollaboratorTable {
  ticket_id: number
  user_id: number
  created_at: number
}

/** 'discarded': an admin took it off the failed-mail list (kept raw; it can be restored). */
export type InboundMailStatus = 'pending' | 'done' | 'duplicate' | 'failed' | 'discarded'

export interface InboundMailTable {
  id: Generated<number>
  raw: Buffer
  source: 'smtp' | 'imap' | 'pipe' | 'api'
  envelope_to: string | null
  sender: string | null
  source_key: string | null
  status: InboundMailStatus
  error: string | null
  ticket_id: number | null
  attempts: Generated<number>
  received_at: number
  processed_at: number | null
}

export interface MailMessageIdTable {
  message_id: string
  ticket_id: number
  entry_id: number | null
  created_at: number
}

export interface EntryEmailTable {
  entry_id: number
  message_id: string
  from_address: string
  html: string | null
  auto_reply: Generated<number>
  /** 1: a signed Message-ID or trusted Authentication-Results vouched for the sender; null: before 0009. */
  sender_verified: number | null
  /** The stored raw message the entry came from (migration 0013; null for entries filed before it). */
  inbound_mail_id: number | null
}

export interface EntryAttachmentTable {
  id: Generated<number>
  entry_id: number
  ticket_id: number
  filename: string
  content_type: string
  size: number
  /** The content, in attachment_blobs (migration 0014; null only if a row was written between 0003 and 0014). */
  sha256: string | null
  /** Content-ID of an inline part, without <>: cid: URLs in the entry's HTML name it. */
  content_id: string | null
  created_at: number
}

/** One distinct content (issue 11). `content` is null when the disk store keeps it as a file. */
export interface AttachmentBlobTable {
  sha256: string
  size: number
  content: Buffer | null
  created_at: number
  touched_at: number
}

/** A file a person uploaded and has not attached yet: only they may attach it, and it expires. */
export interface UploadTable {
  id: Generated<number>
  uploader_id: number
  filename: string
  content_type: string
  size: number
  sha256: string
  created_at: number
  expires_at: number
}

export interface IntakeAddressTable {
  address: string
  department_id: number
  created_at: number
  /** JSON array of the authserv-ids whose Authentication-Results this address trusts. */
  trusted_authserv_ids: Generated<string>
}

export interface MailboxTable {
  id: Generated<number>
  name: string
  host: string
  port: number
  secure: Generated<number>
  username: string
  password: string
  folder: string
  department_id: number
  uid_validity: string | null
  last_uid: Generated<number>
  is_active: Generated<number>
  last_error: string | null
  created_at: number
}

export interface MailTemplateTable {
  key: string
  subject: string
  body: string
  updated_at: number
}

export interface AgentMailAlertTable {
  agent_id: number
  alert: string
  enabled: number
}

export interface ApiKeyTable {
  id: Generated<number>
  name: string
  key_hash: string
  prefix: string
  /** JSON array of scopes. */
  scopes: string
  /** JSON array of IPs or CIDR ranges; null allows any address. */
  allowed_ips: string | null
  created_by: number | null
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
  /** After this the key is refused (migration 0029); null: never. */
  expires_at: number | null
}

export interface BusinessScheduleTable {
  id: Generated<number>
  name: string
  time_zone: string
  /** JSON: weekday → [{start, end}] in local HH:MM. */
  weekly: string
  /** JSON array of local dates YYYY-MM-DD. */
  holidays: Generated<string>
  created_at: number
}

export interface SlaPlanTable {
  id: Generated<number>
  name: string
  /** Business hours for targets counted in business hours; null: every target counts 24x7. */
  schedule_id: number | null
  /** JSON: priority → {firstResponseMinutes, nextResponseMinutes, resolutionMinutes, hours}. */
  targets: string
  /** JSON array of escalation actions. */
  escalations: Generated<string>
  is_active: Generated<number>
  created_at: number
}

export interface CustomFieldTable {
  id: Generated<number>
  key: string
  label: string
  type: 'text' | 'long_text' | 'number' | 'date' | 'checkbox' | 'select' | 'multi_select'
  /** JSON array of choices for select and multi_select. */
  options: Generated<string>
  client_visible: Generated<number>
  client_editable: Generated<number>
  agent_visible: Generated<number>
  required_on_create: Generated<number>
  required_to_close: Generated<number>
  position: Generated<number>
  /** 0: disabled (not asked, required or shown; stored values are kept). */
  is_active: Generated<number>
  created_at: number
}

export interface HelpTopicTable {
  id: Generated<number>
  name: string
  is_public: Generated<number>
  is_active: Generated<number>
  department_id: number | null
  priority: string | null
  sla_plan_id: number | null
  /** JSON array of custom field keys. */
  fields: Generated<string>
  position: Generated<number>
  created_at: number
}

export interface RuleTable {
  id: Generated<number>
  name: string
  event: 'ticket.created' | 'ticket.updated' | 'message.received' | 'satisfaction.rated'
  /** JSON [{field, op, value}]. */
  conditions: string
  match: 'all' | 'any'
  /** JSON [{type, value}]. */
  actions: string
  position: Generated<number>
  stop_processing: Generated<number>
  is_active: Generated<number>
  created_at: number
}

export interface CannedResponseTable {
  id: Generated<number>
  title: string
  body: string
  /** Null: available in every department. */
  department_id: number | null
  created_at: number
}

export interface TicketTagTable {
  ticket_id: number
  tag: string
}

export interface MacroTable {
  id: Generated<number>
  name: string
  owner_agent_id: number
  /** 1: every agent sees it; admins and agents with macro.share keep it. 0: the owner's alone. */
  shared: Generated<number>
  /** JSON [{type, …}] (src/commands/macros.ts). */
  actions: string
  created_at: number
  updated_at: number
}

/** A saved queue view (0011): personal (owner_agent_id) or shared with a department or every agent. */
export interface SavedViewTable {
  id: Generated<number>
  name: string
  owner_agent_id: number | null
  shared: number
  /** Shared views: the department whose agents see it; null for every agent. */
  department_id: number | null
  /** JSON QueueFilters, in their stored form (lists as arrays, dates as ISO strings). */
  filters: string
  sort: string
  sort_order: string
  /** JSON array of QueueColumn. */
  columns: string
  created_by: number
  created_at: number
  updated_at: number
}

/** Tickets per combination of the dimensions views filter on, kept by triggers (0011). */
export interface TicketCountTable {
  department_id: number
  /** 0: no agent. */
  assignee_agent_id: number
  /** 0: no team. */
  assignee_team_id: number
  status: string
  priority: string
  /** '': no SLA. */
  sla_state: string
  /** PostgreSQL: the writing connection's share of the count (spreads contention); SQLite: 0. */
  slot: number
  n: number
}

/** Custom field values of a ticket, lower-cased, one row per value, kept by triggers (0011) for search. */
export interface TicketFieldValueTable {
  ticket_id: number
  key: string
  value: string
}

/** SQLite's ticket number counter (0017); PostgreSQL uses the sequence ticket_number_seq. */
export interface TicketNumberSeqTable {
  id: number
  next: number
}

/** Which row of ours an imported row became (0017). */
export interface ImportMapTable {
  /** e.g. 'osticket'. */
  source: string
  /** e.g. 'ticket', 'entry', 'user'. */
  kind: string
  source_id: string
  target_id: number
  /** Of the source row as imported: a changed row is imported again. */
  checksum: string
  imported_at: number
}

/** A person's further email addresses (0017); users.email is the primary one. */
export interface UserAddressTable {
  address: string
  user_id: number
  created_at: number
}

export interface TicketMergeTable {
  id: Generated<number>
  source_id: number
  target_id: number
  actor_id: number
  merged_at: number
  unmerged_at: number | null
  /** JSON: see MergeSnapshot in src/commands/mergeTickets.ts. */
  snapshot: string
}

export interface TicketRelationTable {
  a_id: number
  b_id: number
  /** What b is to a: related, parent, child or duplicate (a duplicates b). */
  kind: string
  created_by: number
  created_at: number
}

export interface TicketTaskTable {
  id: Generated<number>
  ticket_id: number
  title: string
  assignee_agent_id: number | null
  assignee_team_id: number | null
  due_at: number | null
  completed_at: number | null
  completed_by: number | null
  created_by: number
  created_at: number
  updated_at: number
}

export interface TicketTaskNoteTable {
  id: Generated<number>
  task_id: number
  author_id: number
  body: string
  created_at: number
}

/** Knowledge base (0020). */
export interface KbCategoryTable {
  id: Generated<number>
  slug: string
  name: string
  description: Generated<string>
  position: Generated<number>
  created_at: number
  updated_at: number
}

export interface KbArticleTable {
  id: Generated<number>
  slug: string
  title: string
  /** Sanitised on the way in (src/domain/kb.ts). */
  body_html: string
  /** The body as plain text: what search indexes and snippets quote. */
  body_text: string
  category_id: number | null
  /** JSON array of normalised tags. */
  tags: Generated<string>
  /** JSON array of help topic ids. */
  topic_ids: Generated<string>
  visibility: 'public' | 'customers' | 'internal'
  status: 'draft' | 'published' | 'archived'
  author_id: number
  version: Generated<number>
  helpful_yes: Generated<number>
  helpful_no: Generated<number>
  published_at: number | null
  created_at: number
  updated_at: number
}

/** Every published version of an article, numbered from 1. */
export interface KbRevisionTable {
  id: Generated<number>
  article_id: number
  number: number
  title: string
  body_html: string
  author_id: number
  created_at: number
}

export interface KbOldSlugTable {
  slug: string
  article_id: number
  created_at: number
}

export interface KbDeflectionTable {
  session_key: string
  shown_at: number
  article_id: number | null
  opened_at: number | null
  left_at: number | null
  submitted_at: number | null
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
  mail_previews: MailPreviewTable
  ticket_statuses: TicketStatusTable
  tickets: TicketTable
  thread_entries: ThreadEntryTable
  ticket_followers: TicketFollowerTable
  events: EventTable
  notifications: NotificationTable
  idempotency_keys: IdempotencyKeyTable
  outbox: OutboxTable
  settings: SettingTable
  config_version: ConfigVersionTable
  recovery_codes: RecoveryCodeTable
  password_resets: PasswordResetTable
  ticket_links: TicketLinkTable
  login_challenges: LoginChallengeTable
  sign_in_addresses: SignInAddressTable
  auth_failures: AuthFailureTable
  access_tokens: AccessTokenTable
  business_schedules: BusinessScheduleTable
  sla_plans: SlaPlanTable
  custom_fields: CustomFieldTable
  help_topics: HelpTopicTable
  rules: RuleTable
  canned_responses: CannedResponseTable
  ticket_tags: TicketTagTable
  macros: MacroTable
  ticket_collaborators: TicketCollaboratorTable
  inbound_mail: InboundMailTable
  mail_message_ids: MailMessageIdTable
  entry_email: EntryEmailTable
  entry_attachments: EntryAttachmentTable
  attachment_blobs: AttachmentBlobTable
  uploads: UploadTable
  intake_addresses: IntakeAddressTable
  mailboxes: MailboxTable
  mail_templates: MailTemplateTable
  agent_mail_alerts: AgentMailAlertTable
  api_keys: ApiKeyTable
  saved_views: SavedViewTable
  ticket_counts: TicketCountTable
  ticket_field_values: TicketFieldValueTable
  ticket_number_seq: TicketNumberSeqTable
  import_map: ImportMapTable
  user_addresses: UserAddressTable
  ticket_merges: TicketMergeTable
  ticket_relations: TicketRelationTable
  ticket_tasks: TicketTaskTable
  ticket_task_notes: TicketTaskNoteTable
  webhooks: WebhookTable
  webhook_deliveries: WebhookDeliveryTable
  rate_limit_windows: RateLimitWindowTable
  kb_categories: KbCategoryTable
  kb_articles: KbArticleTable
  kb_revisions: KbRevisionTable
  kb_old_slugs: KbOldSlugTable
  kb_deflections: KbDeflectionTable
  identity_providers: IdentityProviderTable
  oidc_sign_ins: OidcSignInTable
  user_identities: UserIdentityTable
  ticket_facts: TicketFactsTable
  ticket_agent_facts: TicketAgentFactsTable
  report_progress: ReportProgressTable
  satisfaction_settings: SatisfactionSettingTable
  satisfaction_surveys: SatisfactionSurveyTable
  time_entries: TimeEntryTable
  kb_votes: KbVoteTable
  kb_article_files: KbArticleFileTable
}

/** An OpenID Connect provider people may sign in with (migration 0029). */
export interface IdentityProviderTable {
  id: Generated<number>
  slug: string
  name: string
  issuer: string
  client_id: string
  /** Sent to the token endpoint; never returned by the API. */
  client_secret: string
  /** Space-separated, as sent in the authorization request. */
  scopes: string
  /** JSON array of lower-cased email domains that may sign in; empty allows any. */
  allowed_domains: string
  unknown_people: 'refuse' | 'customer'
  allow_customers: Generated<number>
  groups_claim: string
  /** JSON array of {group, departmentId, roleId}. */
  group_mappings: string
  enabled: Generated<number>
  created_at: number
  updated_at: number
}

/** A sign-in sent to a provider and not yet back (migration 0029). */
export interface OidcSignInTable {
  state_hash: string
  provider_id: number
  nonce: string
  code_verifier: string
  return_to: string
  expires_at: number
}

/** A person's identity at a provider (`oidc:<id>`, the `sub`) or in the directory (`ldap`, the DN) (migration 0029). */
export interface UserIdentityTable {
  source: string
  subject: string
  user_id: number
  created_at: number
  last_sign_in_at: number
}

/** A file or picture of an article, its content in the attachment store (migration 0031). */
export interface KbArticleFileTable {
  id: Generated<number>
  article_id: number
  filename: string
  content_type: string
  size: number
  sha256: string
  added_by: number | null
  created_at: number
}

/** One "Was this helpful?" answer per person and article: a user id, or a digest of a visitor's address (migration 0030). */
export interface KbVoteTable {
  article_id: number
  voter: string
  helpful: number
  at: number
}

/** A registered webhook target (migration 0021). */
export interface WebhookTable {
  id: Generated<number>
  url: string
  /** JSON array of webhook event names. */
  events: string
  /** Signs each delivery; needed in the clear, never returned by the API. */
  secret: string
  active: Generated<number>
  /** Internal webhooks also receive internal notes. */
  internal: Generated<number>
  description: Generated<string>
  created_by: number | null
  created_at: number
  updated_at: number
}

/** One event for one webhook: its retries and the last answer (migration 0021). */
export interface WebhookDeliveryTable {
  id: Generated<number>
  webhook_id: number
  event_id: number
  ticket_id: number | null
  event: string
  payload: string
  status: Generated<'pending' | 'succeeded' | 'failed'>
  attempts: Generated<number>
  next_attempt_at: number
  last_attempt_at: number | null
  response_status: number | null
  response_excerpt: string | null
  last_error: string | null
  created_at: number
  finished_at: number | null
}

/** Requests counted in one fixed window of an API rate limit (migration 0021). */
export interface RateLimitWindowTable {
  key: string
  window_start: number
  hits: number
}

/** What the event log says about one ticket, for reports (migration 0027; kept by src/jobs/reportFacts.ts). */
export interface TicketFactsTable {
  /** The ticket's id; the columns up to created_at copy the ticket's own as of its last event. */
  id: number
  department_id: number
  assignee_agent_id: number | null
  assignee_team_id: number | null
  requester_id: number
  status: string
  priority: string
  priority_rank: number
  source: string
  topic_id: number | null
  sla_state: string | null
  updated_at: number
  created_at: number
  /** The first public reply by an agent. */
  first_response_at: number | null
  first_responder_id: number | null
  first_response_ms: number | null
  /** Counted in the business hours of the ticket's SLA schedule (calendar time when it has none). */
  first_response_business_ms: number | null
  /** When the ticket last became resolved or closed (null while it is not). */
  resolved_at: number | null
  resolver_id: number | null
  resolution_ms: number | null
  resolution_business_ms: number | null
  reopen_count: Generated<number>
  last_reopened_at: number | null
  responses: Generated<number>
  sla_first_due_at: number | null
  sla_first_met_at: number | null
  sla_next_due_at: number | null
  sla_next_met_at: number | null
  sla_resolution_due_at: number | null
  sla_resolution_met_at: number | null
  /** The newest event these facts were worked out from. */
  last_event_id: number
}

/** One agent's part in one ticket (migration 0027). */
export interface TicketAgentFactsTable {
  ticket_id: number
  agent_id: number
  /** First assigned to this agent. */
  assigned_at: number | null
  first_reply_at: number | null
  replies: Generated<number>
  /** When this agent resolved the ticket (the last time, if more than once). */
  resolved_at: number | null
  /** Calendar time the ticket was assigned to this agent while not resolved or closed. */
  handle_ms: Generated<number>
}

/** How far a job has read the event log (migration 0027). */
export interface ReportProgressTable {
  name: string
  last_event_id: number
  updated_at: number
}

/** Whether a department asks for satisfaction, and what (migration 0028). */
export interface SatisfactionSettingTable {
  department_id: number
  enabled: Generated<number>
  question: string
  updated_at: number
}

/** One resolution's "How did we do?" and its answer (migration 0028). */
export interface SatisfactionSurveyTable {
  id: Generated<number>
  ticket_id: number
  requester_id: number
  department_id: number
  agent_id: number | null
  team_id: number | null
  question: string
  token_hash: string
  asked_at: number
  expires_at: number
  link_used_at: number | null
  closed_at: number | null
  rating: 'good' | 'bad' | null
  comment: string | null
  rated_at: number | null
  rated_channel: string | null
}

/** Minutes an agent logged on a ticket (migration 0028). */
export interface TimeEntryTable {
  id: Generated<number>
  ticket_id: number
  agent_id: number
  minutes: number
  note: Generated<string>
  billable: Generated<number>
  entry_id: number | null
  created_at: number
  updated_at: number
}

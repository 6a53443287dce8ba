// The one way the app talks to the server: JSON over fetch with the session cookie, and the CSRF token on
// every change. Errors come back as ApiError carrying the server's stable code and the whole body.

import type { QueueColumn, QueueSort, SlaFilter, SortOrder } from '@shared/queues.ts'
import type { SlaState } from '@shared/sla.ts'
import {
  PRIORITIES as PRIORITY_KEYS,
  PRIORITY_LABELS,
  type BulkOutcome,
  type EntryKind,
  type Priority,
  type ShownLinkKind,
} from '@shared/tickets.ts'

export type { BulkOutcome, Priority, QueueColumn, QueueSort, SlaFilter, SortOrder }
/** The priorities in order, with their names (src/shared/tickets.ts). */
export const PRIORITIES: { key: Priority; name: string }[] = PRIORITY_KEYS.map((key) => ({
  key,
  name: PRIORITY_LABELS[key],
}))

export interface Ref {
  id: number
  name: string
}

export interface Ticket {
  number: string
  subject: string
  status: string
  statusName: string
  statusCategory: string
  priority: Priority
  source: string
  version: number
  departmentId: number
  department: Ref
  assigneeAgentId: number | null
  assigneeAgent: Ref | null
  assigneeTeamId: number | null
  assigneeTeam: Ref | null
  requester: { id: number; name: string; email: string }
  followUpOf: string | null
  /** Set when this ticket was merged into another (it is closed; its thread lives there). */
  mergedInto?: string | null
  createdAt: string
  updatedAt: string
  closedAt: string | null
  lastActivityAt: string
  /** Service level (agents only). Absent on servers without SLA plans. */
  sla?: {
    plan: Ref | null
    firstResponseDueAt: string | null
    nextResponseDueAt: string | null
    resolutionDueAt: string | null
    firstRespondedAt: string | null
    /** Resolved or closed: when the clock stopped; `state` then says met (ok) or missed (breached). */
    finishedAt?: string | null
    state: SlaState | null
  } | null
  /** A pending ticket returns to open at this time. */
  snoozedUntil?: string | null
  topic?: Ref | null
  /** Custom field values the viewer may see, by field key. */
  customFields?: Record<string, string | number | boolean | string[]>
}

/** A file on a thread entry (src/presenters/attachmentPresenter.ts). */
export interface Attachment {
  id: number
  name: string
  size: number
  contentType: string
  /** Always a download. */
  url: string
  /** For an <img>: PNG, JPEG, GIF or WebP only. */
  previewUrl: string | null
}

/** A file uploaded and not yet attached (POST /api/v1/uploads). */
export interface Upload {
  id: number
  name: string
  size: number
  contentType: string
}

export interface ThreadEntry {
  id: number
  kind: EntryKind
  /** Plain text (the text copy of a formatted entry). */
  body: string
  /** Sanitised HTML of a formatted entry, or null: shown by MessageBody in a sandboxed frame. */
  bodyHtml?: string | null
  author: { id: number; name: string; type: 'agent' | 'customer' }
  createdAt: string
  /** Agents only: came by email, and nothing vouched for its From address. */
  unverifiedSender?: boolean
  attachments?: Attachment[]
  /** The ticket the entry was written on, when a merge brought it here. */
  originTicket?: string | null
}

/** A customer copied on a ticket: they see it and receive its public replies. */
export interface Collaborator {
  id: number
  name: string
  email: string
}

export interface Abilities {
  reply: boolean
  note: boolean
  edit: boolean
  assign: boolean
  transfer: boolean
  close: boolean
}

export interface TicketDetail {
  ticket: Ticket
  thread: ThreadEntry[]
  followers: Ref[]
  /** Agents only (empty for customers). */
  tags: string[]
  following: boolean
  abilities: Abilities
  /** Agents only: the requester's organisation. */
  requesterOrganization?: Ref | null
  /** The history, oldest first: every event for agents, only status changes for customers. */
  events: TicketEvent[]
}

/** One change to a ticket; `display` holds the changed value in words, before and after. */
export interface TicketEvent {
  id: number
  type: string
  channel: string
  actor: Ref | null
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  display: { before: string | null; after: string | null }
  createdAt: string
}

/** A link as it reads from the ticket it is shown on (what the other ticket is to this one). */
export type TicketLinkKind = ShownLinkKind
export type TicketLink =
  | {
      visible: true
      number: string
      subject: string
      status: string
      kind: TicketLinkKind
      createdAt: string
    }
  | { visible: false; kind: TicketLinkKind; createdAt: string }

export interface Task {
  id: number
  ticket: { number: string; subject: string }
  title: string
  assigneeAgent: Ref | null
  assigneeTeam: Ref | null
  dueAt: string | null
  completedAt: string | null
  completedBy: Ref | null
  createdBy: Ref
  createdAt: string
  notes: { id: number; author: Ref; body: string; createdAt: string }[]
}

/** What an osTicket integration said about the person who opened the ticket (ip, phone, notes). */
export interface Submitter {
  ip?: string
  phone?: string
  notes?: string
}

export interface User {
  id: number
  name: string
  email: string
  type: 'agent' | 'customer'
  isAdmin: boolean
}

export interface Me {
  user: User
  csrfToken: string
  twoFactorEnabled: boolean
  departments: { id: number; permissions: string[] }[]
}

export interface Notification {
  id: number
  ticketNumber: string
  kind: string
  text: string
  createdAt: string
  readAt: string | null
}

/** A queue in the sidebar: mine, open, unassigned, following, department:<id>, or a saved view (view:<id>). */
export interface Queue {
  key: string
  name: string
  count: number
  viewId?: number
  shared?: boolean
}

/** A row of GET /api/v1/tickets: the ticket and its tags. */
export interface TicketRow extends Ticket {
  tags?: string[]
}

/** Saved-view filters: each field narrows; lists hold the values any of which may match. */
export interface QueueFilters {
  status?: string[]
  statusCategory?: string[]
  priority?: Priority[]
  departmentId?: number[]
  assignee?: ('me' | 'none' | number)[]
  teamId?: number[]
  requester?: (number | string)[]
  organizationId?: number[]
  tag?: string[]
  sla?: SlaFilter[]
  createdFrom?: string
  createdTo?: string
  updatedFrom?: string
  updatedTo?: string
  following?: boolean
}

export interface View {
  id: number
  name: string
  shared: boolean
  departmentId: number | null
  ownerAgentId: number | null
  filters: QueueFilters
  sort: { sort: QueueSort; order: SortOrder }
  columns: QueueColumn[]
  /** May this agent change or delete it (their own, or shared and they may share). */
  editable: boolean
}

export interface ViewInput {
  name: string
  shared: boolean
  departmentId?: number | null
  filters: QueueFilters
  sort: { sort: QueueSort; order: SortOrder }
  columns: QueueColumn[]
}

export interface Macro {
  id: number
  name: string
  shared: boolean
}

export interface BulkChanges {
  status?: string
  priority?: Priority
  departmentId?: number
  assigneeAgentId?: number | null
  assigneeTeamId?: number | null
  addTags?: string[]
  removeTags?: string[]
}

export interface BulkResult {
  number: string
  outcome: BulkOutcome
  ticket?: Ticket
  error?: { code: string; message: string }
}

export interface Status {
  key: string
  name: string
  category: string
}

export interface Agent {
  id: number
  name: string
  email: string
  departments: { id: number; name: string; role: string }[]
}

/** One action of a macro (the server's MacroActionOut, src/presenters/macroPresenter.ts). */
export type MacroAction =
  | { type: 'set_status'; status: string }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'set_department'; departmentId: number }
  | { type: 'set_assignee'; agentId: number | 'me' | null }
  | { type: 'set_team'; teamId: number | null }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] }
  | { type: 'add_note'; body: string }
  | { type: 'send_reply'; cannedResponseId: number }

export interface Macro {
  id: number
  name: string
  shared: boolean
  ownerAgentId: number
  actions: MacroAction[]
  editable: boolean
  updatedAt: string
}

export interface MacroList {
  items: Macro[]
  canShare: boolean
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message)
  }
}

let csrfToken: string | undefined

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The CSRF header of the session, for requests made without api() (a keepalive beacon as the page goes). */
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {})

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection.', undefined)
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${res.status}.`,
      parsed,
    )
  }
  return parsed as T
}

export const get = <T>(path: string) => api<T>('GET', path)

/** Uploads one file (multipart); the answer's id goes into `attachments` of a ticket or a message. */
export async function uploadFile(file: File): Promise<Upload> {
  const form = new FormData()
  form.append('file', file, file.name)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (csrfToken) headers['x-csrf-token'] = csrfToken
  let res: Response
  try {
    res = await fetch('/api/v1/uploads', { method: 'POST', headers, credentials: 'same-origin', body: form })
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection.', undefined)
  }
  const parsed = (await res.json().catch(() => undefined)) as
    (Upload & { error?: { code?: string; message?: string } }) | undefined
  if (!res.ok)
    throw new ApiError(
      res.status,
      parsed?.error?.code ?? 'http_error',
      parsed?.error?.message ?? `The server answered ${res.status}.`,
      parsed,
    )
  return { id: parsed!.id, name: parsed!.name, size: parsed!.size, contentType: parsed!.contentType }
}

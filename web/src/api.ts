// The one way the app talks to the server: JSON over fetch with the session cookie, and the CSRF token on
// every change. Errors come back as ApiError carrying the server's stable code and the whole body.

import type { QueueColumn, QueueSort, SlaFilter, SortOrder } from '@shared/queues.ts'
import {
  PRIORITIES as PRIORITY_KEYS,
  PRIORITY_LABELS,
  type BulkOutcome,
  type Priority,
  type ShownLinkKind,
} from '@shared/tickets.ts'
import type { BodyOf, ResponseOf } from './api/types.ts'

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

// The shapes below are the server's, read from the OpenAPI document (web/src/api/schema.d.ts, regenerated with
// `npm run api:types`), so a change to a route's zod schema shows up here as a type error, not in production.
type TicketDetailOut = ResponseOf<'/api/v1/tickets/{number}'>

export type TicketDetail = TicketDetailOut
export type Ticket = TicketDetailOut['ticket']
export type ThreadEntry = TicketDetailOut['thread'][number]
/** A file on a thread entry (src/presenters/attachmentPresenter.ts). */
export type Attachment = ThreadEntry['attachments'][number]
/** One change to a ticket; `display` holds the changed value in words, before and after. */
export type TicketEvent = TicketDetailOut['events'][number]
export type Abilities = TicketDetailOut['abilities']

/** A file uploaded and not yet attached (POST /api/v1/uploads). */
export type Upload = ResponseOf<'/api/v1/uploads', 'post'>['uploads'][number]

/** A customer copied on a ticket: they see it and receive its public replies. */
export type Collaborator = ResponseOf<'/api/v1/tickets/{number}/collaborators'>['items'][number]

/** A link as it reads from the ticket it is shown on (what the other ticket is to this one). */
export type TicketLinkKind = ShownLinkKind
export type TicketLink = ResponseOf<'/api/v1/tickets/{number}/links'>['items'][number]

export type Task = ResponseOf<'/api/v1/tasks'>['items'][number]

/** What an osTicket integration said about the person who opened the ticket (ip, phone, notes). */
export interface Submitter {
  ip?: string
  phone?: string
  notes?: string
}

export type Me = ResponseOf<'/api/v1/auth/me'>
export type User = Me['user']

export type Notification = ResponseOf<'/api/v1/notifications'>['items'][number]

/** A queue in the sidebar: mine, open, unassigned, following, department:<id>, or a saved view (view:<id>). */
export type Queue = ResponseOf<'/api/v1/queues'>['items'][number]

/** A row of GET /api/v1/tickets: the ticket and its tags. */
export type TicketRow = ResponseOf<'/api/v1/tickets'>['items'][number]

export type View = ResponseOf<'/api/v1/views'>['items'][number]
/** Saved-view filters: each field narrows; lists hold the values any of which may match. */
export type QueueFilters = View['filters']
export type ViewInput = BodyOf<'/api/v1/views', 'post'>

export type MacroList = ResponseOf<'/api/v1/macros'>
export type Macro = MacroList['items'][number]
/** One action of a macro (the server's MacroActionOut, src/presenters/macroPresenter.ts). */
export type MacroAction = Macro['actions'][number]

type BulkIn = BodyOf<'/api/v1/tickets/bulk', 'post'>
export type BulkChanges = BulkIn['changes']
export type BulkResult = ResponseOf<'/api/v1/tickets/bulk', 'post'>['results'][number]

export type Status = ResponseOf<'/api/v1/statuses'>['items'][number]

export type Agent = ResponseOf<'/api/v1/agents'>['items'][number]

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

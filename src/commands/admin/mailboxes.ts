// IMAP mailboxes the worker polls for new tickets. The password is sealed before it is stored
// (domain/secretBox.ts, under SECRET_KEY) and never leaves the server again: not in responses, not in events.
import { ImapFlow } from 'imapflow'
import { z } from 'zod'
import type { App } from '../../app.ts'
import { mailboxPasswordBox, openMailboxPassword, type SecretBox } from '../../domain/secretBox.ts'
import { AppError, badRequest, notFound } from '../../errors.ts'
import type { Actor } from '../../policies/actor.ts'
import { findDepartment } from '../../repositories/directoryRepo.ts'
import {
  deleteMailboxRow,
  findMailbox,
  insertMailbox,
  plainPasswordMailboxes,
  sealPlainPassword,
  updateMailboxRow,
  type MailboxRow,
} from '../../repositories/mailboxRepo.ts'
import { id, nonBlank, text } from '../fields.ts'
import { changedFields, recordAdminEvent, requireAdmin, type AdminMeta } from './adminWrites.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'

export const MailboxIn = z.object({
  name: nonBlank(128),
  host: nonBlank(255),
  port: z.number().int().min(1).max(65535),
  secure: z
    .boolean()
    .default(true)
    .describe('TLS from the start (port 993); false: plain, for loopback tests'),
  username: text(255),
  password: text(1024).describe('Stored sealed under SECRET_KEY; never returned'),
  folder: text(255).default('INBOX'),
  departmentId: id,
})
export type MailboxIn = z.infer<typeof MailboxIn>

export const MailboxPatch = z.object({
  name: nonBlank(128).optional(),
  host: nonBlank(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  secure: z.boolean().optional(),
  username: text(255).optional(),
  password: text(1024).optional().describe('Leave out to keep the stored password'),
  folder: text(255).optional(),
  departmentId: id.optional(),
  isActive: z.boolean().optional(),
})
export type MailboxPatch = z.infer<typeof MailboxPatch>

/** The box that seals passwords; without SECRET_KEY no password is stored in the clear instead. */
function requireBox(app: App): SecretBox {
  const box = mailboxPasswordBox(app.config.secretKey)
  if (!box)
    throw new AppError(
      'unprocessable',
      'secret_key_missing',
      'Mailbox passwords are stored encrypted, and this server has no SECRET_KEY. Set SECRET_KEY ' +
        '(at least 32 random characters) in the environment and restart, then add the mailbox.',
    )
  return box
}

async function requireDepartment(trx: Kysely<DB>, departmentId: number): Promise<void> {
  if (!(await findDepartment(trx, departmentId)))
    throw badRequest('unknown_department', 'That department does not exist.')
}

/** What an event says about a mailbox: never the password, only that it changed. */
const described = (m: { name: string; host: string; port: number; username: string; folder: string }) => ({
  name: m.name,
  host: m.host,
  port: m.port,
  username: m.username,
  folder: m.folder,
})

export async function createMailbox(app: App, actor: Actor, input: MailboxIn, meta: AdminMeta) {
  const admin = requireAdmin(actor)
  const box = requireBox(app)
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    await requireDepartment(trx, input.departmentId)
    const { id: mailboxId } = await insertMailbox(trx, {
      name: input.name,
      host: input.host,
      port: input.port,
      secure: input.secure ? 1 : 0,
      username: input.username,
      password: box.seal(input.password),
      folder: input.folder,
      department_id: input.departmentId,
      created_at: at,
    })
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.mailbox.created',
      meta,
      before: null,
      after: { id: mailboxId, ...described(input), departmentId: input.departmentId },
      at,
    })
    return (await findMailbox(trx, mailboxId))!
  })
}

export async function updateMailbox(
  app: App,
  actor: Actor,
  mailboxId: number,
  input: MailboxPatch,
  meta: AdminMeta,
) {
  const admin = requireAdmin(actor)
  const sealed = input.password === undefined ? undefined : requireBox(app).seal(input.password)
  const at = app.clock.now()
  return app.db.transact(async (trx) => {
    const before = await findMailbox(trx, mailboxId)
    if (!before) throw notFound('mailbox')
    if (input.departmentId !== undefined) await requireDepartment(trx, input.departmentId)
    const old = {
      ...described(before),
      secure: before.secure === 1,
      departmentId: before.department_id,
      isActive: before.is_active === 1,
    }
    const { password: _password, ...rest } = input
    const changes = changedFields(old, rest)
    if (!changes && sealed === undefined) return before
    // A new address or login starts the folder over; dedup by Message-ID keeps old mail from filing twice.
    const moved = ['host', 'port', 'username', 'folder'].some((k) => changes?.after[k] !== undefined)
    await updateMailboxRow(trx, mailboxId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.host !== undefined ? { host: input.host } : {}),
      ...(input.port !== undefined ? { port: input.port } : {}),
      ...(input.secure !== undefined ? { secure: input.secure ? 1 : 0 } : {}),
      ...(input.username !== undefined ? { username: input.username } : {}),
      ...(input.folder !== undefined ? { folder: input.folder } : {}),
      ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
      ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
      ...(sealed !== undefined ? { password: sealed, last_error: null } : {}),
      ...(moved ? { uid_validity: null, last_uid: 0, last_error: null } : {}),
    })
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.mailbox.updated',
      meta,
      before: { id: mailboxId, ...(changes?.before ?? {}) },
      after: {
        id: mailboxId,
        ...(changes?.after ?? {}),
        ...(sealed !== undefined ? { passwordChanged: true } : {}),
      },
      at,
    })
    return (await findMailbox(trx, mailboxId))!
  })
}

export async function deleteMailbox(
  app: App,
  actor: Actor,
  mailboxId: number,
  meta: AdminMeta,
): Promise<void> {
  const admin = requireAdmin(actor)
  const at = app.clock.now()
  await app.db.transact(async (trx) => {
    const before = await findMailbox(trx, mailboxId)
    if (!before) throw notFound('mailbox')
    // Mail already filed from it stays: tickets and inbound_mail keep no reference to the mailbox row.
    await deleteMailboxRow(trx, mailboxId)
    await recordAdminEvent(trx, {
      actor: admin,
      type: 'admin.mailbox.deleted',
      meta,
      before: { id: mailboxId, ...described(before), departmentId: before.department_id },
      after: null,
      at,
    })
  })
}

export interface ConnectionTest {
  ok: boolean
  /** Messages in the folder, when the connection worked. */
  messages?: number
  error?: string
}

const TEST_TIMEOUT_MS = 10_000

/** Logs in to the stored mailbox and opens its folder, without fetching or flagging anything. */
export async function testMailboxConnection(
  app: App,
  actor: Actor,
  mailboxId: number,
): Promise<ConnectionTest> {
  requireAdmin(actor)
  const mailbox = await findMailbox(app.db.read, mailboxId)
  if (!mailbox) throw notFound('mailbox')
  let client: ImapFlow | undefined
  try {
    client = mailboxClient(mailbox, app.config.secretKey, TEST_TIMEOUT_MS)
    client.on('error', () => {})
    await client.connect()
    const opened = await client.mailboxOpen(mailbox.folder, { readOnly: true })
    return { ok: true, messages: opened.exists }
  } catch (error) {
    const err = error as { responseText?: string; message?: string }
    return { ok: false, error: (err.responseText || err.message || String(error)).slice(0, 500) }
  } finally {
    await client?.logout().catch(() => {})
  }
}

/** An IMAP client for a stored mailbox, its password opened for this connection only. */
export function mailboxClient(
  mailbox: Pick<MailboxRow, 'host' | 'port' | 'secure' | 'username' | 'password'>,
  secretKey: string | undefined,
  timeoutMs?: number,
): ImapFlow {
  return new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure === 1,
    auth: { user: mailbox.username, pass: openMailboxPassword(secretKey, mailbox.password) },
    logger: false,
    tls: { rejectUnauthorized: mailbox.secure === 1 },
    ...(timeoutMs
      ? { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }
      : {}),
  })
}

/**
 * Seals the passwords of mailboxes stored before sealing existed. Run by the mail worker at start; without
 * SECRET_KEY it leaves them (and says so), since sealing them then would lock the poller out.
 */
export async function sealStoredMailboxPasswords(app: App): Promise<number> {
  const box = mailboxPasswordBox(app.config.secretKey)
  const plain = await plainPasswordMailboxes(app.db.read)
  if (plain.length === 0) return 0
  if (!box) {
    console.warn(
      `mail: ${plain.length} mailbox password(s) are stored unencrypted; set SECRET_KEY to seal them`,
    )
    return 0
  }
  await app.db.transact(async (trx) => {
    for (const m of plain) await sealPlainPassword(trx, m.id, m.password, box.seal(m.password))
  })
  return plain.length
}

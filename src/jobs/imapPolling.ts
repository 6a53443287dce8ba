// Polls the IMAP mailboxes admins configured. It works by UID: a message is stored (inbound_mail, keyed by
// mailbox + UIDVALIDITY + UID, so it is stored at most once), processed, and only after that commit is it
// flagged \Seen and the mailbox's last_uid advanced. A crash anywhere in between re-fetches the message,
// and the source key and Message-ID dedup keep it from becoming a second ticket. IDLE wakes the poller
// when the server supports it (imapflow falls back to NOOP polling otherwise).
import type { ImapFlow } from 'imapflow'
import type { App } from '../app.ts'
import { connect } from '../mail/imapPoller.ts'
import { receiveEmail } from '../mail/receiveEmail.ts'
import {
  activeMailboxes,
  advanceMailboxUid,
  mailboxToPoll,
  resetMailboxUids,
  setMailboxError,
} from '../repositories/mailboxPollRepo.ts'

const BATCH = 30
const RETRY_MS = 30_000
const FALLBACK_POLL_MS = 60_000

export interface PollHooks {
  /** Called after a message's ticket committed, before the message is flagged (tests inject crashes here). */
  afterCommit?: (uid: number) => void | Promise<void>
}

/** Fetches and files every new message of the open mailbox. Returns how many messages it filed. */
export async function pollMailbox(
  app: App,
  client: ImapFlow,
  mailboxId: number,
  hooks: PollHooks = {},
): Promise<number> {
  const mailbox = await mailboxToPoll(app.db.read, mailboxId)
  const opened = await client.mailboxOpen(mailbox.folder)
  const validity = String(opened.uidValidity)
  let lastUid = mailbox.last_uid
  if (mailbox.uid_validity !== validity) {
    // A new UIDVALIDITY means the server renumbered the folder: start over; dedup keeps old mail out.
    lastUid = 0
    await app.db.transact((trx) => resetMailboxUids(trx, mailboxId, validity))
  }
  let filed = 0
  for (;;) {
    const listed = await client.fetchAll(`${lastUid + 1}:*`, { uid: true }, { uid: true })
    const uids = listed
      .map((m) => m.uid)
      .filter((uid) => uid > lastUid)
      .sort((a, b) => a - b)
      .slice(0, BATCH)
    if (uids.length === 0) return filed
    for (const uid of uids) {
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true })
      if (message && message.source) {
        await receiveEmail(app, message.source, {
          source: 'imap',
          sourceKey: `imap:${mailboxId}:${validity}:${uid}`,
          departmentId: mailbox.department_id,
        })
        await hooks.afterCommit?.(uid)
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
        filed++
      }
      lastUid = uid
      await app.db.transact((trx) => advanceMailboxUid(trx, mailboxId, uid))
    }
  }
}

/** One long-lived connection per active mailbox, woken by IDLE (EXISTS) or a fallback timer. */
export class ImapPoller {
  private readonly running = new Map<number, { settings: string; stop(): Promise<void> }>()
  private stopped = false

  constructor(private readonly app: App) {}

  /**
   * Starts watchers for new active mailboxes, stops those that were removed or disabled, and restarts those
   * whose connection settings an admin changed (the watcher reads them only when it connects).
   */
  async sync(): Promise<void> {
    if (this.stopped) return
    const rows = await activeMailboxes(this.app.db.read)
    const wanted = new Map(
      rows.map((r) => [r.id, JSON.stringify([r.host, r.port, r.secure, r.username, r.password, r.folder])]),
    )
    for (const [id, w] of this.running) {
      if (wanted.get(id) !== w.settings) {
        this.running.delete(id)
        await w.stop()
      }
    }
    for (const [id, settings] of wanted)
      if (!this.running.has(id)) this.running.set(id, { settings, ...this.watch(id) })
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all([...this.running.values()].map((w) => w.stop()))
    this.running.clear()
  }

  private watch(mailboxId: number): { stop(): Promise<void> } {
    let stopped = false
    let client: ImapFlow | undefined
    let wake: (() => void) | undefined
    const loop = (async () => {
      while (!stopped) {
        try {
          client = connect(await mailboxToPoll(this.app.db.read, mailboxId), this.app.config.secretKey)
          client.on('error', () => {})
          client.on('exists', () => wake?.())
          await client.connect()
          while (!stopped && client.usable) {
            await pollMailbox(this.app, client, mailboxId)
            if (stopped) break
            const woken = new Promise<void>((resolve) => {
              wake = resolve
              setTimeout(resolve, FALLBACK_POLL_MS).unref()
            })
            // IDLE now, so the server pushes EXISTS at once; the next command ends it.
            void client.idle().catch(() => {})
            await woken
          }
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          await this.app.db.transact((trx) => setMailboxError(trx, mailboxId, message)).catch(() => {})
          if (!stopped)
            await new Promise<void>((resolve) => {
              wake = resolve
              setTimeout(resolve, RETRY_MS).unref()
            })
        } finally {
          await client?.logout().catch(() => {})
        }
      }
    })()
    return {
      async stop() {
        stopped = true
        wake?.()
        client?.close()
        await loop.catch(() => {})
      },
    }
  }
}

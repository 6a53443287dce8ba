// The IMAP transport: a mailbox row as the poller reads it, and the connection to its server. The polling
// itself (what is fetched when, and where the poller keeps its place) is a job: src/jobs/imapPolling.ts.
import { ImapFlow } from 'imapflow'

export interface MailboxRow {
  id: number
  host: string
  port: number
  secure: number
  username: string
  password: string
  folder: string
  department_id: number
  uid_validity: string | null
  last_uid: number
}

export function connect(mailbox: MailboxRow): ImapFlow {
  return new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure === 1,
    auth: { user: mailbox.username, pass: mailbox.password },
    logger: false,
    tls: { rejectUnauthorized: mailbox.secure === 1 },
  })
}

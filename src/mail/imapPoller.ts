// The IMAP transport: a mailbox row as the poller reads it, and the connection to its server. The polling
// itself (what is fetched when, and where the poller keeps its place) is a job: src/jobs/imapPolling.ts.
import { ImapFlow } from 'imapflow'
import { mailboxClient } from '../commands/admin/mailboxes.ts'

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

/** The stored password is sealed (domain/secretBox.ts): it is opened with SECRET_KEY for this connection only. */
export function connect(mailbox: MailboxRow, secretKey: string | undefined): ImapFlow {
  return mailboxClient(mailbox, secretKey)
}

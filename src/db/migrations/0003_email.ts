import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../dialect.ts'

// Kysely<any> is the documented type for migrations: they must not depend on today's table types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

/** The email channel: raw inbound mail, Message-IDs, collaborators, attachments, API keys, templates. */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer'
  const ts = dialect === 'postgres' ? 'bigint' : 'integer'
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob'

  // People copied on a ticket (Cc on mail): they may see it and get public replies, like the requester.
  await db.schema
    .createTable('ticket_collaborators')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_collaborators_pk', ['ticket_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('ticket_collaborators_user')
    .on('ticket_collaborators')
    .columns(['user_id', 'ticket_id'])
    .execute()

  // Every message that arrives is stored here first, raw, before anything else happens to it.
  await db.schema
    .createTable('inbound_mail')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('raw', bytes, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('envelope_to', 'text')
    .addColumn('sender', 'text')
    /** IMAP: "<mailbox id>:<uidvalidity>:<uid>", so a message fetched twice is stored once. */
    .addColumn('source_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('processed_at', ts)
    .execute()
  await db.schema.createIndex('inbound_mail_status').on('inbound_mail').columns(['status', 'id']).execute()
  await db.schema
    .createIndex('inbound_mail_sender')
    .on('inbound_mail')
    .columns(['sender', 'received_at'])
    .execute()
  await db.schema
    .createIndex('inbound_mail_source_key')
    .unique()
    .on('inbound_mail')
    .column('source_key')
    .execute()

  // Message-IDs we have seen or sent, for deduplication and threading. The primary key makes dedup race-free.
  await db.schema
    .createTable('mail_message_ids')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('entry_id', 'integer', (c) => c.references('thread_entries.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  // What an emailed thread entry looked like: sanitised HTML and the sender's address.
  await db.schema
    .createTable('entry_email')
    .addColumn('entry_id', 'integer', (c) => c.primaryKey().references('thread_entries.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('auto_reply', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('entry_attachments')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('thread_entries.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('entry_attachments_entry')
    .on('entry_attachments')
    .columns(['entry_id', 'id'])
    .execute()

  // Addresses we accept mail for, each feeding one department.
  await db.schema
    .createTable('intake_addresses')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  // IMAP mailboxes that admins configured. last_uid is only advanced after the message's ticket committed.
  await db.schema
    .createTable('mailboxes')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('secure', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('mail_templates')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()

  /** Alerts an agent switched off; every alert is on unless a row here says otherwise. */
  await db.schema
    .createTable('agent_mail_alerts')
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('alert', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_mail_alerts_pk', ['agent_id', 'alert'])
    .execute()

  await db.schema
    .createTable('api_keys')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** sha256 of the key: keys are 256-bit random, so a fast hash is enough and lookups stay O(1). */
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('allowed_ips', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute()

  // The key that signs our outgoing Message-IDs, made once per install.
  await sql`insert into settings (key, value) values ('mail_signing_key', ${randomBytes(32).toString('base64url')})
    on conflict (key) do nothing`.execute(db)
}

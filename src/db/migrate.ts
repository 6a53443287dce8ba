import { Migrator, sql, type Migration } from 'kysely'
import type { Database } from './connection.ts'
import * as foundation from './migrations/0001_foundation.ts'
import * as admin from './migrations/0002_admin.ts'
import * as sla from './migrations/0004_sla.ts'
import * as email from './migrations/0003_email.ts'
import * as security from './migrations/0005_security.ts'
import * as configVersion from './migrations/0006_config_version.ts'
import * as fieldActive from './migrations/0007_custom_field_active.ts'
import * as ticketLinks from './migrations/0008_ticket_links.ts'
import * as trustRoundTwo from './migrations/0010_trust_round_two.ts'
import * as mailIdentity from './migrations/0009_mail_identity.ts'
import * as entrySourceMail from './migrations/0013_entry_source_mail.ts'
import * as sharedThrottle from './migrations/0019_shared_throttle.ts'
import * as webhooks from './migrations/0021_webhooks.ts'
import * as slaStateIndex from './migrations/0022_sla_state_index.ts'
import * as macros from './migrations/0012_macros.ts'
import * as queues from './migrations/0011_queues.ts'
import * as attachmentStore from './migrations/0014_attachment_store.ts'
import * as importMap from './migrations/0017_import.ts'
import * as entryHtml from './migrations/0018_entry_html.ts'
import * as relationships from './migrations/0016_ticket_relationships.ts'
import * as ticketView from './migrations/0015_ticket_view.ts'
import * as kb from './migrations/0020_kb.ts'
import * as kbSearchCandidates from './migrations/0030_kb_search_candidates.ts'
import * as kbFiles from './migrations/0031_kb_files.ts'
import * as satisfactionTime from './migrations/0028_satisfaction_time.ts'
import * as reportFacts from './migrations/0027_report_facts.ts'
import * as sessionsAndMailPreview from './migrations/0026_sessions_and_mail_preview.ts'
import * as identity from './migrations/0029_identity.ts'

export async function migrateToLatest(database: Database): Promise<string[]> {
  const bind = (m: { up: typeof foundation.up }): Migration => ({
    up: (db) => m.up(db, database.dialect),
  })
  // Kysely looks for its bookkeeping tables in every schema unless told which one; name ours, so that two
  // installs in one PostgreSQL database (different search_path) never see each other's.
  const schema =
    database.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(database.writer)).rows[0]?.s
      : undefined
  const migrator = new Migrator({
    db: database.writer,
    ...(schema ? { migrationTableSchema: schema } : {}),
    // Features land in parallel, so a later-numbered migration may reach a database before an earlier one.
    allowUnorderedMigrations: true,
    provider: {
      getMigrations: async () => ({
        '0001_foundation': bind(foundation),
        '0002_admin': bind(admin),
        '0004_sla': bind(sla),
        '0003_email': bind(email),
        '0005_security': bind(security),
        '0006_config_version': bind(configVersion),
        '0007_custom_field_active': bind(fieldActive),
        '0008_ticket_links': bind(ticketLinks),
        '0010_trust_round_two': bind(trustRoundTwo),
        '0009_mail_identity': bind(mailIdentity),
        '0013_entry_source_mail': bind(entrySourceMail),
        '0019_shared_throttle': bind(sharedThrottle),
        '0021_webhooks': bind(webhooks),
        '0022_sla_state_index': bind(slaStateIndex),
        '0012_macros': bind(macros),
        '0011_queues': bind(queues),
        '0014_attachment_store': bind(attachmentStore),
        '0017_import': bind(importMap),
        '0018_entry_html': bind(entryHtml),
        '0016_ticket_relationships': bind(relationships),
        '0015_ticket_view': bind(ticketView),
        '0020_kb': bind(kb),
        '0030_kb_search_candidates': bind(kbSearchCandidates),
        '0031_kb_files': bind(kbFiles),
        '0028_satisfaction_time': bind(satisfactionTime),
        '0027_report_facts': bind(reportFacts),
        '0026_sessions_and_mail_preview': bind(sessionsAndMailPreview),
        '0029_identity': bind(identity),
      }),
    },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

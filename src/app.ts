import type { Config } from './config.ts'
import type { Database } from './db/connection.ts'
import { RealtimeBus } from './realtime/bus.ts'
import { LoginThrottle } from './commands/loginThrottle.ts'
import { StatusCatalog } from './statusCatalog.ts'
import { CustomFieldCatalog } from './customFieldCatalog.ts'
import { RoutingConfig } from './routingConfig.ts'
import { attachmentStore, type AttachmentStore } from './repositories/attachmentStore.ts'

/** What every command and route needs: the database, the clock and the process-wide services. */
export interface App {
  config: Config
  db: Database
  clock: { now(): number }
  statuses: StatusCatalog
  /** Custom ticket field definitions (issue 5). */
  fields: CustomFieldCatalog
  /** Settings, departments, SLA plans, topics and rules, re-read only when they change. */
  routing: RoutingConfig
  bus: RealtimeBus
  loginThrottle: LoginThrottle
  /** Where attachment content lives: the database or a directory (ATTACHMENT_STORAGE). */
  attachments: AttachmentStore
}

export async function createApp(
  config: Config,
  db: Database,
  clock = { now: () => Date.now() },
): Promise<App> {
  const statuses = new StatusCatalog()
  await statuses.load(db.read)
  const fields = new CustomFieldCatalog()
  await fields.load(db.read)
  return {
    config,
    db,
    clock,
    statuses,
    fields,
    routing: new RoutingConfig(),
    bus: new RealtimeBus(),
    loginThrottle: new LoginThrottle(db, clock),
    attachments: attachmentStore(config.attachments),
  }
}

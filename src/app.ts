import type { Config } from './config.ts'
import type { Database } from './db/connection.ts'
import { RealtimeBus } from './realtime/bus.ts'
import { LoginThrottle } from './commands/loginThrottle.ts'
import { StatusCatalog } from './statusCatalog.ts'

/** What every command and route needs: the database, the clock and the process-wide services. */
export interface App {
  config: Config
  db: Database
  clock: { now(): number }
  statuses: StatusCatalog
  bus: RealtimeBus
  loginThrottle: LoginThrottle
}

export async function createApp(
  config: Config,
  db: Database,
  clock = { now: () => Date.now() },
): Promise<App> {
  const statuses = new StatusCatalog()
  await statuses.load(db.read)
  return { config, db, clock, statuses, bus: new RealtimeBus(), loginThrottle: new LoginThrottle(clock) }
}

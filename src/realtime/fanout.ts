// Live updates must reach every web process, not just the one whose worker delivered the outbox row, and so
// must presence ("Jane is viewing"), which each web process learns from its own requests. On PostgreSQL the
// sender NOTIFYs and every process LISTENs; on SQLite there is one process, so the bus is enough.
import { sql } from 'kysely'
import type pg from 'pg'
import type { App } from '../app.ts'
import { loadPg } from '../db/connection.ts'
import type { PresenceMessage, RealtimeMessage } from './bus.ts'

/**
 * NOTIFY channels belong to the whole database, not to a schema: desks that share a database in separate
 * schemas (the tests do) get channels of their own, or each would hear the others' ticket ids.
 */
async function channelsOf(db: pg.Client | App): Promise<{ realtime: string; presence: string }> {
  const schema =
    'query' in db
      ? (await db.query<{ s: string }>('select current_schema() as s')).rows[0]!.s
      : (await sql<{ s: string }>`select current_schema() as s`.execute(db.db.writer)).rows[0]!.s
  const suffix = schema === 'public' ? '' : `_${schema.replace(/[^a-z0-9_]/gi, '_').slice(0, 40)}`
  return { realtime: `switchboard_realtime${suffix}`, presence: `switchboard_presence${suffix}` }
}
const appChannels = new WeakMap<App, Promise<{ realtime: string; presence: string }>>()
function channels(app: App) {
  let known = appChannels.get(app)
  if (!known) appChannels.set(app, (known = channelsOf(app)))
  return known
}

/** Publishes to every process's subscribers: on SQLite (one process) straight to the bus, else by NOTIFY. */
async function publish(app: App, channel: 'realtime' | 'presence', message: object, local: () => void) {
  if (app.db.dialect === 'sqlite') return local()
  const name = (await channels(app))[channel]
  await sql`select pg_notify(${name}, ${JSON.stringify(message)})`.execute(app.db.writer)
}

/** Publishes a committed event to every process's subscribers. */
export const publishRealtime = (app: App, message: RealtimeMessage) =>
  publish(app, 'realtime', message, () => app.bus.publish(message))

/** Publishes a presence report to every process's subscribers (this one's included). */
export const publishPresence = (app: App, message: PresenceMessage) =>
  publish(app, 'presence', message, () => app.bus.publishPresence(message))

/** On PostgreSQL, relays NOTIFYs to this process's bus; reconnects if the connection drops. Returns a stopper. */
export function listenForRealtime(app: App, databaseUrl: string): () => Promise<void> {
  if (app.db.dialect === 'sqlite') return async () => {}
  let client: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  let listenedBefore = false
  const connect = async () => {
    const c = new (loadPg().Client)({ connectionString: databaseUrl })
    let names: { realtime: string; presence: string } | undefined
    c.on('notification', (n) => {
      if (!names || !n.payload) return
      try {
        if (n.channel === names.realtime) app.bus.publish(JSON.parse(n.payload) as RealtimeMessage)
        else if (n.channel === names.presence)
          app.bus.publishPresence(JSON.parse(n.payload) as PresenceMessage)
      } catch (error) {
        console.error('realtime: unreadable notification', error)
      }
    })
    c.on('error', () => {
      if (client === c) console.error('realtime: lost the LISTEN connection to PostgreSQL; reconnecting')
      lost(c)
    })
    c.on('end', () => lost(c))
    try {
      await c.connect()
      names = await channelsOf(c)
      await c.query(`listen "${names.realtime}"`)
      await c.query(`listen "${names.presence}"`)
      client = c
      // NOTIFYs sent while we were not listening are gone; the events themselves are in the database.
      if (listenedBefore) {
        console.log('realtime: listening on PostgreSQL again')
        app.bus.resync()
      }
      listenedBefore = true
    } catch (error) {
      console.error('realtime: cannot listen on PostgreSQL', error instanceof Error ? error.message : error)
      lost(c)
    }
  }
  /** A connection failed or ended: unless a newer one already listens, try again in a second. */
  const lost = (c: pg.Client) => {
    if (client && client !== c) return
    client = undefined
    c.end().catch(() => {})
    if (stopped || retry) return
    retry = setTimeout(() => {
      retry = undefined
      void connect()
    }, 1000)
  }
  void connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => {})
  }
}

// Live updates must reach every web process, not just the one whose worker delivered the outbox row. On
// PostgreSQL the worker NOTIFYs and every process LISTENs; on SQLite there is one process, so the bus is enough.
import { sql } from 'kysely'
import type pg from 'pg'
import type { App } from '../app.ts'
import { loadPg } from '../db/connection.ts'
import type { RealtimeMessage } from './bus.ts'

const CHANNEL = 'switchboard_realtime'

/** Publishes a committed event to every process's subscribers. */
export async function publishRealtime(app: App, message: RealtimeMessage): Promise<void> {
  if (app.db.dialect === 'sqlite') {
    app.bus.publish(message)
    return
  }
  await sql`select pg_notify(${CHANNEL}, ${JSON.stringify(message)})`.execute(app.db.writer)
}

/** On PostgreSQL, relays NOTIFYs to this process's bus; reconnects if the connection drops. Returns a stopper. */
export function listenForRealtime(app: App, databaseUrl: string): () => Promise<void> {
  if (app.db.dialect === 'sqlite') return async () => {}
  let client: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  let listenedBefore = false
  const connect = async () => {
    const c = new (loadPg().Client)({ connectionString: databaseUrl })
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return
      try {
        app.bus.publish(JSON.parse(n.payload) as RealtimeMessage)
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
      await c.query(`listen ${CHANNEL}`)
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

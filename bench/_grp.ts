import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { createTicket } from '../src/commands/createTicket.ts'
const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'g-')), 'x.db')}`
const db = openDatabase(url)
await migrateToLatest(db)
await seedDemo(db.writer, Date.now())
const app = await createApp({ ...loadConfig({}), databaseUrl: url }, db)
const ken = { kind: 'customer' as const, id: 5, name: 'Ken', email: 'ken@example.com', organizationId: null }
let commits = 0
db.onCommit(() => commits++)
const t0 = performance.now()
let n = 0
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (performance.now() - t0 < 3000) {
      await createTicket(app, ken, { subject: 's', message: 'm'.repeat(1000) }, { channel: 'api' })
      n++
    }
  }),
)
const s = (performance.now() - t0) / 1000
console.log(`${(n / s).toFixed(0)} creates/s, ${commits} commits, ${(n / commits).toFixed(1)} per commit`)

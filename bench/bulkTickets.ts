// One bulk change of 500 tickets (POST /api/v1/tickets/bulk: priority + a tag, each ticket in its own
// transaction through the update command), on a real server over loopback. Prints each round and the median.
// The 1,000,000-ticket figure comes from bench/queues.ts; this one isolates the bulk path on a small database.
// On a shared machine the wall time depends on the other load; the CPU time this process used is printed too.
// Run: node bin/run-ts.js bench/bulkTickets.ts   (BENCH_ROUNDS; TEST_DATABASE_URL=postgres://… adds PostgreSQL)
import { machine } from './machine.ts'
import { Client } from '../test/support/client.ts'
import { DATABASES, startServer } from '../test/support/testServer.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SIZE = 500

for (const kind of DATABASES) {
  const t = await startServer(kind)
  const anon = new Client(t.url)
  const ken = await anon.as('ken@example.com')
  const john = await anon.as('john@example.com')
  const numbers: string[] = []
  for (let i = 0; i < SIZE; i += 25) {
    const made = await Promise.all(
      Array.from({ length: 25 }, (_, j) =>
        ken.post('/api/v1/tickets', {
          subject: `Bulk bench ${i + j}`,
          message: 'The printer is out of toner.',
        }),
      ),
    )
    numbers.push(...made.map((r) => r.body.ticket.number as string))
  }
  // Let the worker deliver what the creates queued (auto-replies, live events), so it does not run alongside.
  await t.settle()
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const cpu = process.cpuUsage()
    const started = performance.now()
    const res = await john.post('/api/v1/tickets/bulk', {
      numbers,
      changes: { priority: round % 2 === 0 ? 'high' : 'low', addTags: [`round-${round}`] },
    })
    const ms = performance.now() - started
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    const updated = (res.body.results as { outcome: string }[]).filter((r) => r.outcome === 'updated').length
    if (res.status !== 200 || updated !== SIZE)
      throw new Error(`round ${round}: ${res.status}, ${updated} updated`)
    times.push(ms)
    await t.settle()
    console.log(
      `${kind}: round ${round + 1}: ${SIZE} tickets updated in ${ms.toFixed(0)} ms (${cpuMs.toFixed(0)} ms of CPU in this process, server and client)`,
    )
  }
  const sorted = [...times].sort((a, b) => a - b)
  console.log(
    `${kind}: bulk of ${SIZE}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
  )
  await t.close()
}
console.log(`machine: ${machine()}`)

import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import type { DB } from './schema.ts'

/** Stands in for an argument while a reusable query is compiled; the compiled parameters say where it went. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query that is built and compiled once per dialect, then run with new arguments. Building a Kysely query
 * costs as much as running a small SQLite statement, so queries on the hottest paths (every request's
 * session, every ticket read and create) are written this way.
 *
 * `build` must use its arguments only as values (`where(col, '=', arg)`, `values({ col: arg })`): each is
 * compiled as one placeholder, so it cannot change the SQL (no `in (list)`, no optional clauses).
 */
export function reusable<A extends unknown[], R>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): (db: Kysely<DB>, ...args: A) => Promise<R[]> {
  const compiled = new Map<unknown, { query: CompiledQuery<R>; slots: (Slot | { value: unknown })[] }>()
  return async (db, ...args) => {
    // Transactions and connections of one database share its adapter's class.
    const dialect = db.getExecutor().adapter.constructor
    let plan = compiled.get(dialect)
    if (!plan) {
      const query = build(db, ...(args.map((_, i) => new Slot(i)) as A)).compile()
      plan = {
        query,
        slots: query.parameters.map((p) => (p instanceof Slot ? p : { value: p })),
      }
      compiled.set(dialect, plan)
    }
    const parameters = plan.slots.map((s) => (s instanceof Slot ? args[s.index] : s.value))
    const result = await db.executeQuery<R>({ ...plan.query, parameters })
    return result.rows
  }
}

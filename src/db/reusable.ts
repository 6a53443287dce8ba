import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import type { DB } from './schema.ts'

/** Stands in for an argument (or one field of an object argument) while a reusable query is compiled. */
class Slot {
  constructor(
    readonly index: number,
    readonly key?: string,
  ) {}
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

/** The defined keys of an object argument: its "shape", which must not change between calls. */
const shapeOf = (v: unknown) =>
  isRecord(v)
    ? Object.keys(v)
        .filter((k) => v[k] !== undefined)
        .join(',')
    : undefined

interface Plan<R> {
  query: CompiledQuery<R>
  slots: (Slot | { value: unknown })[]
  shapes: (string | undefined)[]
}

/**
 * A query that is built and compiled once per dialect, then run with new arguments. Building a Kysely query
 * costs about as much as running a small SQLite statement, so queries on the hottest paths (every
 * request's session, every ticket read and create) are written this way.
 *
 * `build` may use its arguments only as values: `where(col, '=', arg)`, or `values(arg)` for an object
 * whose fields are values. Each value compiles to one placeholder, so an argument cannot change the SQL (no
 * `in (list)`, no optional clauses), and an object argument must have the same defined keys on every call.
 */
export function reusable<A extends unknown[], R>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): (db: Kysely<DB>, ...args: A) => Promise<R[]> {
  const plans = new Map<unknown, Plan<R>>()
  return async (db, ...args) => {
    // Transactions and connections of one database share its adapter's class.
    const dialect = db.getExecutor().adapter.constructor
    let plan = plans.get(dialect)
    if (!plan) {
      const stand = args.map((arg, i) =>
        isRecord(arg)
          ? Object.fromEntries(
              Object.keys(arg)
                .filter((k) => arg[k] !== undefined)
                .map((k) => [k, new Slot(i, k)]),
            )
          : new Slot(i),
      )
      const query = build(db, ...(stand as A)).compile()
      plan = {
        query,
        slots: query.parameters.map((p) => (p instanceof Slot ? p : { value: p })),
        shapes: args.map(shapeOf),
      }
      plans.set(dialect, plan)
    }
    for (let i = 0; i < args.length; i++) {
      if (plan.shapes[i] !== undefined && shapeOf(args[i]) !== plan.shapes[i])
        throw new Error(`reusable query: argument ${i} has fields ${shapeOf(args[i])}, not ${plan.shapes[i]}`)
    }
    const parameters = plan.slots.map((s) => {
      if (!(s instanceof Slot)) return s.value
      const arg = args[s.index]
      return s.key === undefined ? arg : (arg as Record<string, unknown>)[s.key]
    })
    const result = await db.executeQuery<R>({ ...plan.query, parameters })
    return result.rows
  }
}

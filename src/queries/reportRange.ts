// The `from`/`to`/`groupBy` query of the satisfaction and time reports, and the period it means.
import { z } from 'zod'
import { badRequest } from '../errors.ts'
import { REPORT_GROUPS } from '../repositories/reportGroups.ts'

const DAY = 24 * 3600_000
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

export const ReportQuery = z.object({
  from: instant
    .optional()
    .describe('Start (inclusive): a date (UTC midnight) or a date-time; default 30 days ago'),
  to: instant
    .optional()
    .describe('End: a date-time (exclusive), or a date (that whole day included); default now'),
  groupBy: z.enum(REPORT_GROUPS).default('agent'),
})
export type ReportQuery = z.infer<typeof ReportQuery>

/** The period in epoch milliseconds, [from, to). */
export function reportRange(q: ReportQuery, now: number): { from: number; to: number } {
  const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)
  const to = q.to === undefined ? now : Date.parse(q.to) + (isDate(q.to) ? DAY : 0)
  const from = q.from === undefined ? to - 30 * DAY : Date.parse(q.from)
  if (!(from < to)) throw badRequest('invalid_range', '`from` must be before `to`.')
  return { from, to }
}

/** The answer of a report: the period, and the counts per group (its `key`: null for "none") and in total. */
export function reportOut<T extends z.ZodRawShape>(counts: z.ZodObject<T>) {
  return z.object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(REPORT_GROUPS),
    rows: z.array(counts.extend({ key: z.object({ id: z.number(), name: z.string() }).nullable() })),
    totals: counts,
  })
}

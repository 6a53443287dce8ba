// The groups the satisfaction and time reports count by, and the names behind their ids.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export const REPORT_GROUPS = ['agent', 'team', 'department', 'organisation'] as const
export type ReportGroup = (typeof REPORT_GROUPS)[number]

const TABLES = {
  agent: 'users',
  team: 'teams',
  department: 'departments',
  organisation: 'organizations',
} as const satisfies Record<ReportGroup, keyof DB>

/** Each row's group as `{ id, name }` (null for "none": no agent, team or organisation). */
export async function nameGroups<R extends { id: number | null }>(
  db: Kysely<DB>,
  groupBy: ReportGroup,
  rows: readonly R[],
): Promise<(Omit<R, 'id'> & { key: { id: number; name: string } | null })[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.id === null ? [] : [Number(r.id)])))]
  const names =
    ids.length === 0
      ? new Map<number, string>()
      : new Map(
          (await db.selectFrom(TABLES[groupBy]).select(['id', 'name']).where('id', 'in', ids).execute()).map(
            (n) => [n.id, n.name],
          ),
        )
  return rows.map(({ id, ...rest }) => ({
    ...rest,
    key: id === null ? null : { id: Number(id), name: names.get(Number(id)) ?? '' },
  }))
}

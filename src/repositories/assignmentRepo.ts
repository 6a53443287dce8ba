// Queries behind fair auto-assignment: the department's settings, who is available, and open-ticket loads.
import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../db/dialect.ts'
import type { DB } from '../db/schema.ts'

export interface Candidate {
  id: number
  lastAssignedAt: number | null
}

/**
 * Agents of the department who can take a ticket now: active, not on vacation, and (when `signedInSince` is
 * set) with a session started since then. On PostgreSQL their user rows are locked until commit, so two
 * concurrent assignments in the same department queue here (FOR NO KEY UPDATE) and the second one sees the first one's ticket.
 */
export async function lockAvailableAgents(
  dialect: Dialect,
  db: Kysely<DB>,
  departmentId: number,
  signedInSince: number | null,
  now: number,
): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('agent_departments as ad', 'ad.agent_id', 'u.id')
    .select(['u.id', 'u.last_assigned_at'])
    .where('ad.department_id', '=', departmentId)
    .where('u.type', '=', 'agent')
    .where('u.is_active', '=', 1)
    .where('u.on_vacation', '=', 0)
    .$if(signedInSince !== null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('sessions as s')
            .select('s.user_id')
            .whereRef('s.user_id', '=', 'u.id')
            .where('s.created_at', '>=', signedInSince!)
            .where('s.expires_at', '>', now),
        ),
      ),
    )
    .orderBy('u.id')
    // NO KEY UPDATE: it serialises concurrent assignments, yet does not block the KEY SHARE locks that
    // foreign-key checks take (a login's session row, a ticket assigned to the agent elsewhere).
    .$if(dialect === 'postgres', (q) => q.forNoKeyUpdate('u'))
    .execute()
  return rows.map((r) => ({ id: r.id, lastAssignedAt: r.last_assigned_at }))
}

/** Open tickets held by each agent (statuses given by key), in one grouped query over the assignee index. */
export async function openLoads(
  db: Kysely<DB>,
  agentIds: number[],
  activeStatuses: string[],
): Promise<Map<number, number>> {
  const loads = new Map<number, number>(agentIds.map((id) => [id, 0]))
  if (agentIds.length === 0 || activeStatuses.length === 0) return loads
  const rows = await db
    .selectFrom('tickets')
    .select(['assignee_agent_id', sql<number>`count(*)`.as('n')])
    .where('assignee_agent_id', 'in', agentIds)
    .where('status', 'in', activeStatuses)
    .groupBy('assignee_agent_id')
    .execute()
  for (const r of rows) if (r.assignee_agent_id !== null) loads.set(r.assignee_agent_id, Number(r.n))
  return loads
}

export async function markAssigned(db: Kysely<DB>, agentId: number, at: number): Promise<void> {
  await db.updateTable('users').set({ last_assigned_at: at }).where('id', '=', agentId).execute()
}

/** Whether an agent can still hold tickets: active and not on vacation. */
export async function isAvailable(db: Kysely<DB>, agentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select(['is_active', 'on_vacation'])
    .where('id', '=', agentId)
    .executeTakeFirst()
  return row !== undefined && row.is_active === 1 && row.on_vacation === 0
}

// Access-matrix cases for reports and the ticket export (issue 16): agents only (the admin too, who holds no
// department and so sees no ticket in them), and the export lists exactly the tickets the detail view allows.
import { runReportFacts } from '../../src/jobs/reportFacts.ts'
import { expect } from 'vitest'
import { agentsOnly, personOf, TICKETS, type MatrixContext, type RouteCase } from './types.ts'

const REPORTS = ['overview', 'sla', 'agents', 'backlog'] as const

export async function setup(ctx: MatrixContext): Promise<void> {
  await runReportFacts(ctx.server.app, { settleMs: 0 })
}

export const cases: RouteCase[] = [
  {
    route: 'GET /api/v1/reports',
    target: 'none',
    request: () => ({ path: '/api/v1/reports' }),
    expect: agentsOnly(200),
  },
  ...REPORTS.map((name): RouteCase => ({
    route: `GET /api/v1/reports/${name}`,
    target: 'none',
    request: () => ({ path: `/api/v1/reports/${name}?from=2000-01-01&to=2001-12-31&groupBy=department` }),
    expect: agentsOnly(200),
  })),
  {
    route: 'GET /api/v1/reports/tickets.csv',
    target: 'none',
    request: () => ({ path: '/api/v1/reports/tickets.csv' }),
    expect: agentsOnly(200),
    check: (ctx, actor, res) => {
      if (res.status !== 200) return
      const numbers = String(res.body)
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[0])
      const sees = ctx.sees[personOf(actor)]
      const listed = TICKETS.filter((k) => numbers.includes(ctx.tickets[k].number))
      expect(listed, `${actor} exports exactly the tickets the detail view allows`).toEqual(
        TICKETS.filter((k) => sees.includes(k)),
      )
    },
  },
]

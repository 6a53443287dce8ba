// The reports dashboard in Chromium (issue 16): a department manager opens it, narrows it to one of their two
// departments, clicks the breached count and lands on the queue of exactly those tickets; axe-core finds nothing
// serious on either page.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runReportFacts } from '../../src/jobs/reportFacts.ts'
import { runSlaSweep } from '../../src/jobs/slaSweep.ts'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { FixedClock } from '../support/fixedClock.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

const DAY = 86_400_000

describe('the reports dashboard in Chromium', () => {
  let t: TestServer
  let browser: Browser
  const clock = new FixedClock(Date.now() - 3 * DAY)
  let support = 0
  let billing = 0

  beforeAll(async () => {
    t = await startServer('sqlite', { clock })
    browser = await launchBrowser()
    const db = t.app.db.writer
    const john = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'john@example.com')
      .executeTakeFirstOrThrow()
    const departments = await db.selectFrom('departments').select(['id', 'name']).execute()
    support = departments.find((d) => d.name === 'Support')!.id
    billing = departments.find((d) => d.name === 'Billing')!.id
    // John manages Support and also works in Billing: the dashboard is his, over both departments.
    const role = await db
      .selectFrom('roles')
      .select('id')
      .where('key', '=', 'all_access')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('agent_departments')
      .values({ agent_id: john.id, department_id: billing, role_id: role.id })
      .execute()
    await db.updateTable('departments').set({ manager_id: john.id }).where('id', '=', support).execute()

    // Three days ago: two tickets in Support and one in Billing, none answered, so all past their first response.
    const agent = await new Client(t.url).as('john@example.com')
    for (const [subject, departmentId] of [
      ['Support printer on fire', support],
      ['Support VPN down', support],
      ['Billing refund overdue', billing],
    ] as const) {
      const res = await agent.post('/api/v1/tickets', {
        subject,
        message: 'Nobody has answered.',
        requester: { email: 'ken@example.com' },
        departmentId,
      })
      expect(res.status).toBe(201)
    }
    clock.t = Date.now()
    await runSlaSweep(t.app)
    await runReportFacts(t.app, { settleMs: 0 })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('narrows to one department and opens the breached tickets in the queue', async () => {
    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.getByRole('navigation', { name: 'Agent tools' }).getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor()
    const levels = page.getByRole('region', { name: 'Service levels' })
    const breached = levels.getByRole('link', { name: /^\d+: Tickets with a breached target$/ }).first()
    await expect.poll(() => breached.textContent()).toBe('3')
    // The chart has its numbers in a table too.
    await levels.getByRole('table', { name: 'SLA targets' }).waitFor()
    expect(await seriousA11yViolations(page), 'axe-core on the dashboard').toEqual([])

    await page.getByRole('combobox', { name: /^Department/ }).selectOption({ label: 'Support' })
    await expect.poll(() => breached.textContent()).toBe('2')
    await breached.click()
    await page.waitForURL((url) => url.pathname === '/agent/queues/all')
    const url = new URL(page.url())
    expect(url.searchParams.get('departmentId')).toBe(String(support))
    expect(url.searchParams.get('sla')).toBe('breached')
    const table = page.getByRole('table')
    await table.getByRole('link', { name: 'Support printer on fire' }).waitFor()
    await table.getByRole('link', { name: 'Support VPN down' }).waitFor()
    expect(await table.getByRole('link', { name: 'Billing refund overdue' }).count()).toBe(0)
    expect(await seriousA11yViolations(page), 'axe-core on the queue').toEqual([])
    expect(problems.errors).toEqual([])
  })
})

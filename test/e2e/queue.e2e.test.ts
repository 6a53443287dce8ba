// The agent's queue with 300 tickets in Chromium: scroll to the oldest (the table loads page after page and
// renders only the rows on screen), filter to Emergency, select three rows and resolve them with one Apply, and
// watch the Open count drop by three without a reload.
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn, type Problems } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

const LIVE = { timeout: 8_000 }
const TICKETS = 300
/** Tickets 5, 50, 150 and 250 are emergencies; the rest are normal. */
const EMERGENCIES = [5, 50, 150, 250]
const subjectOf = (i: number) => `Queue ticket ${String(i).padStart(3, '0')}`

describe('the queue page in Chromium', () => {
  let t: TestServer
  let browser: Browser
  const watched: Problems[] = []
  beforeAll(async () => {
    t = await startServer('sqlite')
    browser = await launchBrowser()
    // Oldest first, so ticket 001 has the oldest activity and sits at the very end of the queue.
    const john = await new Client(t.url).as('john@example.com')
    for (let i = 1; i <= TICKETS; i++) {
      const res = await john.post('/api/v1/tickets', {
        subject: subjectOf(i),
        message: `Message of ticket ${i}.`,
        priority: EMERGENCIES.includes(i) ? 'emergency' : 'normal',
        requester: { email: i % 2 ? 'ken@example.com' : 'lena@example.com' },
      })
      expect(res.status).toBe(201)
    }
  }, 180_000)
  // Each test answers for the pages it opened: closed after it, so a console error in one test is not reported
  // again by every test after it.
  afterEach(async () => {
    watched.length = 0
    await Promise.all(browser.contexts().map((context) => context.close()))
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  const openCount = (page: Page) =>
    page
      .getByRole('navigation', { name: 'Queues' })
      .getByRole('link', { name: /^Open\b/ })
      .locator('.count')
      .textContent()

  it('scrolls to the oldest ticket, filters to Emergency and resolves three with one Apply', async () => {
    const john = await openPage(browser, t.url)
    watched.push(john.problems)
    const { page } = john
    await signIn(page, 'john@example.com')
    await page.goto('/agent/queues/open')
    const table = page.getByRole('table', { name: 'Open' })
    await table.getByRole('link', { name: subjectOf(TICKETS) }).waitFor()
    await expect.poll(() => openCount(page), LIVE).toBe(String(TICKETS))
    // Proof below that nothing reloads the page: this mark would be gone.
    await page.evaluate(() => ((globalThis as { __noReload?: boolean }).__noReload = true))

    // Column headers say how the table is sorted; the default is the latest activity first.
    const updated = table.getByRole('columnheader', { name: 'Updated' })
    expect(await updated.getAttribute('aria-sort')).toBe('descending')
    expect(await table.getByRole('columnheader', { name: 'SLA due' }).getAttribute('aria-sort')).toBe('none')
    expect(await seriousA11yViolations(page), 'axe-core on the queue page').toEqual([])

    // Scroll until the oldest ticket shows: every page is loaded on the way, few rows are ever rendered.
    const scroller = page.locator('.queue-scroll')
    const oldest = table.getByRole('link', { name: subjectOf(1), exact: true })
    for (let i = 0; i < 60 && !(await oldest.isVisible()); i++) {
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
      await page.waitForTimeout(100)
    }
    await oldest.waitFor()
    await page.getByText(`End of the queue: ${TICKETS} tickets.`).waitFor()
    expect(await table.locator('tbody tr:not(.spacer)').count()).toBeLessThan(100)
    expect(await table.getAttribute('aria-rowcount')).toBe(String(TICKETS + 1))

    // Emergencies stand out by text and shape, not colour alone.
    await page.getByRole('combobox', { name: /^Priority/ }).selectOption({ label: 'Emergency' })
    const rows = table.locator('tbody tr:not(.spacer)')
    await expect.poll(() => rows.count(), LIVE).toBe(EMERGENCIES.length)
    for (const i of EMERGENCIES) {
      const row = table.getByRole('row').filter({ hasText: subjectOf(i) })
      await row.getByText('Emergency').waitFor()
    }
    expect(page.url()).toContain('priority=emergency')
    expect(await seriousA11yViolations(page), 'axe-core on the filtered queue').toEqual([])

    // Keyboard: j focuses the first row's subject, x selects it and x again unselects it.
    await page.locator('h1').click()
    await page.keyboard.press('j')
    const focused = await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)
    expect(focused).toBe(subjectOf(250))
    await page.keyboard.press('x')
    expect(await page.getByRole('checkbox', { name: `Select ${subjectOf(250)}` }).isChecked()).toBe(true)
    await page.keyboard.press('x')
    expect(await page.getByRole('checkbox', { name: `Select ${subjectOf(250)}` }).isChecked()).toBe(false)

    // Three rows selected, one Apply: resolved.
    for (const i of [5, 50, 150]) await page.getByRole('checkbox', { name: `Select ${subjectOf(i)}` }).check()
    const bar = page.getByRole('form', { name: 'Bulk actions' })
    await bar.getByText('3 selected').waitFor()
    expect(await seriousA11yViolations(page), 'axe-core with the bulk bar open').toEqual([])
    await bar.getByLabel('Set status').selectOption({ label: 'Resolved' })
    await bar.getByRole('button', { name: 'Apply' }).click()
    await page.getByRole('status').filter({ hasText: '3 updated' }).waitFor(LIVE)
    await expect.poll(() => openCount(page), LIVE).toBe(String(TICKETS - 3))
    await expect.poll(() => rows.count(), LIVE).toBe(1)
    await bar.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => (globalThis as { __noReload?: boolean }).__noReload)).toBe(true)

    const api = await new Client(t.url).as('john@example.com')
    const resolved = await api.get('/api/v1/tickets?view=all&status=resolved&limit=100')
    expect(resolved.body.items.map((x: { subject: string }) => x.subject).sort()).toEqual(
      [5, 50, 150].map(subjectOf),
    )
    for (const p of watched) expect(p.errors).toEqual([])
  })

  it('saves a filtered queue as a view that shows in the sidebar with its count, then edits and deletes it', async () => {
    const john = await openPage(browser, t.url)
    watched.push(john.problems)
    const { page } = john
    await signIn(page, 'john@example.com')
    const api = await new Client(t.url).as('john@example.com')
    const active = (await api.get('/api/v1/tickets?view=open&priority=emergency&limit=100')).body.items.length
    expect(active).toBeGreaterThan(0)
    await page.goto('/agent/queues/open?priority=emergency&sort=due&order=asc')
    const table = page.getByRole('table', { name: 'Open' })
    await table.getByRole('link', { name: subjectOf(EMERGENCIES.at(-1)!) }).waitFor()
    const sidebar = page.getByRole('navigation', { name: 'Queues' })
    await sidebar.getByRole('link', { name: /^Following/ }).waitFor()
    expect(await table.getByRole('columnheader', { name: 'SLA due' }).getAttribute('aria-sort')).toBe(
      'ascending',
    )

    await page.getByRole('button', { name: 'Save as view' }).click()
    const dialog = page.getByRole('dialog', { name: 'Save as view' })
    await dialog.getByLabel('View name').fill('My emergencies')
    await dialog.getByRole('checkbox', { name: 'Department' }).check()
    expect(await seriousA11yViolations(page), 'axe-core on the Save as view dialog').toEqual([])
    await dialog.getByRole('button', { name: 'Save view' }).click()
    await page.waitForURL(/\/agent\/queues\/view:\d+$/)
    await page.getByRole('heading', { name: 'My emergencies', level: 1 }).waitFor()
    const viewTable = page.getByRole('table', { name: 'My emergencies' })
    await viewTable.getByRole('columnheader', { name: 'Department' }).waitFor()
    await expect.poll(() => viewTable.locator('tbody tr:not(.spacer)').count(), LIVE).toBe(active)
    const link = sidebar.getByRole('link', { name: /^My emergencies/ })
    await expect.poll(() => link.locator('.count').textContent(), LIVE).toBe(String(active))
    expect(await page.getByRole('combobox', { name: /^Priority/ }).inputValue()).toBe('emergency')

    await page.getByRole('button', { name: 'Edit view' }).click()
    const edit = page.getByRole('dialog', { name: /^Edit view/ })
    await edit.getByLabel('View name').fill('Emergencies, soonest due')
    await edit.getByRole('button', { name: 'Save view' }).click()
    await page.getByRole('heading', { name: 'Emergencies, soonest due', level: 1 }).waitFor()
    await sidebar.getByRole('link', { name: /^Emergencies, soonest due/ }).waitFor()

    await page.getByRole('button', { name: 'Delete view' }).click()
    await page.getByRole('button', { name: 'Yes, delete it' }).click()
    await page.waitForURL(/\/agent\/queues\/open$/)
    await sidebar.getByRole('link', { name: /^Emergencies/ }).waitFor({ state: 'detached' })
    for (const p of watched) expect(p.errors).toEqual([])
  })

  it('searches as the agent types, without Enter', async () => {
    const john = await openPage(browser, t.url)
    watched.push(john.problems)
    const { page } = john
    await signIn(page, 'john@example.com')
    await page.goto('/agent/queues/open')
    await page.getByRole('link', { name: subjectOf(TICKETS) }).waitFor()
    await page.getByRole('searchbox', { name: 'Search tickets' }).pressSequentially('123', { delay: 50 })
    await page.waitForURL(/\/agent\/search\?q=123$/)
    const table = page.getByRole('table', { name: 'Search: 123' })
    await table.getByRole('link', { name: subjectOf(123), exact: true }).waitFor()
    await expect.poll(() => table.locator('tbody tr:not(.spacer)').count(), LIVE).toBe(1)
    for (const p of watched) expect(p.errors).toEqual([])
  })

  it('recounts the queues after an assignment elsewhere and a transfer, without a reload', async () => {
    const john = await openPage(browser, t.url)
    watched.push(john.problems)
    const { page } = john
    await signIn(page, 'john@example.com')
    await page.goto('/agent/queues/open')
    await page.getByRole('link', { name: subjectOf(TICKETS) }).waitFor()
    const sidebar = page.getByRole('navigation', { name: 'Queues' })
    const count = (name: RegExp) => sidebar.getByRole('link', { name }).locator('.count').textContent()
    await expect.poll(() => count(/^Support\b/), LIVE).toMatch(/^\d+$/)
    const support = Number(await count(/^Support\b/))
    const mine = Number(await count(/^Mine\b/))
    await page.evaluate(() => ((globalThis as { __noReload?: boolean }).__noReload = true))

    // Assigned to John by someone else: the live event recounts Mine.
    const alex = await new Client(t.url).as('alex@example.com')
    const api = await new Client(t.url).as('john@example.com')
    const johnId = (await api.get('/api/v1/auth/me')).body.user.id
    const list = (await api.get('/api/v1/tickets?view=unassigned&limit=2')).body.items
    const [first, second] = list as { number: string; version: number; subject: string }[]
    expect(first && second).toBeTruthy()
    const assigned = await alex.patch(`/api/v1/tickets/${first!.number}`, {
      version: first!.version,
      assigneeAgentId: johnId,
    })
    expect(assigned.status).toBe(200)
    await expect.poll(() => count(/^Mine\b/), LIVE).toBe(String(mine + 1))

    // John moves a ticket to another department (he keeps it in sight as a referral): Support drops by one.
    await page.getByRole('link', { name: second!.subject, exact: true }).click()
    await page.getByRole('heading', { name: second!.subject, level: 1 }).waitFor()
    await page.getByLabel('Department').selectOption({ label: 'System Administrators' })
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    await expect.poll(() => count(/^Support\b/), LIVE).toBe(String(support - 1))
    expect(await page.evaluate(() => (globalThis as { __noReload?: boolean }).__noReload)).toBe(true)
    for (const p of watched) expect(p.errors).toEqual([])
  })

  it('is a readable list at phone width in dark mode, with no serious accessibility problems', async () => {
    const john = await openPage(browser, t.url, { width: 390, height: 844, colorScheme: 'dark' })
    watched.push(john.problems)
    await signIn(john.page, 'john@example.com')
    await john.page.goto('/agent/queues/open')
    const link = john.page.getByRole('link', { name: subjectOf(TICKETS), exact: true })
    await link.waitFor()
    // The subject has the card's full width: no column squeezes it.
    const box = await link.boundingBox()
    expect(box!.width).toBeGreaterThan(100)
    expect(await seriousA11yViolations(john.page), 'axe-core on the queue (phone, dark)').toEqual([])
    for (const p of watched) expect(p.errors).toEqual([])
  })
})

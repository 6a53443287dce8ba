// The lifecycle story from DEVELOPERS.md, in headless Chromium, through the fixed accessible names.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, type Problems } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

// Live updates arrive "within 2 seconds" on a quiet machine; the CI box is shared, so allow more.
const LIVE = { timeout: 8_000 }

describe('the web app in Chromium', () => {
  let t: TestServer
  let browser: Browser
  const watched: Problems[] = []
  beforeAll(async () => {
    t = await startServer('sqlite')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  async function visitor(options: Parameters<typeof openPage>[2] = {}) {
    const opened = await openPage(browser, t.url, options)
    watched.push(opened.problems)
    return opened
  }

  async function signIn(page: Page, email: string, password = 'demo-password') {
    await page.goto('/login')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  async function expectAccessible(page: Page, what: string) {
    expect(await seriousA11yViolations(page), `axe-core on ${what}`).toEqual([])
  }

  async function expectText(page: Page, text: string | RegExp, options = {}) {
    await page
      .getByText(text)
      .first()
      .waitFor({ state: 'visible', ...options })
  }

  it('runs the lifecycle: portal, sign-in, transfer, live note, resolution, notifications', async () => {
    const subject = 'Email server down for the whole office'

    // 1. Ken opens a ticket in the portal.
    const ken = await visitor()
    await ken.page.goto('/login')
    await ken.page.getByRole('button', { name: 'Sign in' }).waitFor()
    await expectAccessible(ken.page, 'the sign-in page')
    await signIn(ken.page, 'ken@example.com')
    await ken.page.getByRole('link', { name: 'Open a new ticket' }).click()
    await ken.page.getByLabel('Subject').waitFor()
    await expectAccessible(ken.page, "the portal's new-ticket page")
    await ken.page.getByLabel('Subject').fill(subject)
    await ken.page.getByLabel('Message').fill('Nobody can send or receive mail since 9am.')
    await ken.page.getByRole('button', { name: 'Submit ticket' }).click()
    await ken.page.getByRole('heading', { name: subject }).waitFor()
    const created = await ken.page.getByRole('status').filter({ hasText: 'was created' }).textContent()
    const number = created!.match(/#(\d+)/)![1]!
    await expectText(ken.page, `#${number}`)
    await expectAccessible(ken.page, "the portal's ticket page")
    await ken.page.getByRole('link', { name: 'My tickets' }).first().click()
    await ken.page.getByRole('link', { name: subject }).waitFor()

    // 2. John's wrong password is denied.
    const john = await visitor()
    john.problems.expect((text, url) => text.includes('401') && url.endsWith('/api/v1/auth/login'))
    await signIn(john.page, 'john@example.com', 'wrong-password')
    await john.page.getByRole('alert').filter({ hasText: 'Access denied' }).waitFor()

    // 3. John signs in, finds the ticket in the queue, sets Emergency, moves it to System Administrators,
    //    assigns Jane Doe and explains why in a note: one Save.
    await john.page.getByLabel('Password').fill('demo-password')
    await john.page.getByRole('button', { name: 'Sign in' }).click()
    await john.page.getByRole('link', { name: subject }).waitFor()
    await expectAccessible(john.page, 'the agent queue')
    await john.page.getByRole('link', { name: subject }).click()
    await john.page.getByRole('heading', { name: subject, level: 1 }).waitFor()
    await expectText(john.page, 'Ken Adams')
    await expectAccessible(john.page, 'the ticket view')
    await john.page.getByLabel('Priority').selectOption({ label: 'Emergency' })
    await john.page.getByLabel('Department').selectOption({ label: 'System Administrators' })
    await john.page.getByLabel('Assignee').selectOption({ label: 'Jane Doe' })
    await john.page
      .getByLabel('Note')
      .fill('Emergency: the mail server is a sysadmin matter. Jane, please take it.')
    await john.page.getByRole('button', { name: 'Save changes' }).click()
    await john.page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    const facts = john.page.locator('dl.facts')
    await facts.getByText('Emergency').waitFor()
    await facts.getByText('System Administrators').waitFor()
    await facts.getByText('Jane Doe').waitFor()
    await expectText(john.page, 'the mail server is a sysadmin matter')

    // 4. Jane opens it from her queue; John sees her there. She adds an internal note and resolves it,
    //    and John's open page shows both without a reload.
    const jane = await visitor()
    await signIn(jane.page, 'jane@example.com')
    await jane.page.getByRole('link', { name: 'Mine' }).click()
    await jane.page.getByRole('link', { name: subject }).click()
    await jane.page.getByRole('heading', { name: subject, level: 1 }).waitFor()
    await john.page.getByText('Jane Doe is viewing this ticket').waitFor(LIVE)
    await jane.page.getByLabel('Message').fill('Found it: the disk on mx1 was full. Mail flows again.')
    await jane.page.getByRole('button', { name: 'Add internal note' }).click()
    await john.page.getByText('Found it: the disk on mx1 was full').waitFor(LIVE)
    await jane.page.getByText('Found it: the disk on mx1 was full').waitFor()
    await jane.page.getByLabel('Status').selectOption({ label: 'Resolved' })
    await jane.page.getByRole('button', { name: 'Save changes' }).click()
    await jane.page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    await john.page.locator('dl.facts').getByText('Resolved').waitFor(LIVE)

    // 5. John's notifications list the ticket.
    const bell = john.page.getByRole('link', { name: /Notifications/ })
    await expect.poll(() => bell.textContent(), LIVE).toMatch(/Notifications\s*[1-9]\d*\s*unread/)
    await bell.click()
    await john.page.getByRole('heading', { name: 'Notifications' }).waitFor()
    await john.page
      .getByRole('link', { name: `Ticket #${number}` })
      .first()
      .waitFor()
    await expectAccessible(john.page, 'the notifications view')

    // 6. Ken sees "Resolved" and none of the internal notes.
    await ken.page.getByRole('link', { name: subject }).click()
    await ken.page.getByRole('heading', { name: subject }).waitFor()
    await ken.page.locator('dl.facts').getByText('Resolved').waitFor()
    const kenPage = await ken.page.locator('main').innerText()
    expect(kenPage).toContain('Nobody can send or receive mail')
    expect(kenPage).not.toMatch(/Internal note|mx1|sysadmin matter/)

    for (const p of watched) expect(p.errors).toEqual([])
  })

  it('shows markup in a subject and message as text, and runs none of it', async () => {
    const subject = '<img src=x onerror="window.__pwned=1"> Broken <b>bold</b>'
    const message = '<script>window.__pwned=2</script><img src=x onerror="window.__pwned=3">'
    const lena = await new Client(t.url).as('lena@example.com')
    const res = await lena.post('/api/v1/tickets', { subject, message })
    expect(res.status).toBe(201)
    const number: string = res.body.ticket.number

    // At phone width in dark mode, so axe checks that layout and those colours too.
    const john = await visitor({ width: 390, height: 844, colorScheme: 'dark' })
    await signIn(john.page, 'john@example.com')
    await john.page.getByRole('link', { name: subject }).waitFor()
    await expectAccessible(john.page, 'the agent queue (phone, dark)')
    await john.page.getByRole('link', { name: subject }).click()
    await john.page.getByRole('heading', { name: subject, level: 1 }).waitFor()
    await john.page.getByText(message).waitFor()
    await expectAccessible(john.page, 'the ticket view (phone, dark)')
    expect(john.page.url()).toContain(`/agent/tickets/${number}`)
    expect(await john.page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await john.page.locator('main img, main script, main b').count()).toBe(0)
    for (const p of watched) expect(p.errors).toEqual([])
  })
  it('shows a stale save what changed and re-applies it on request, never overwriting', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const created = await ken.post('/api/v1/tickets', { subject: 'Conflicting edits', message: 'Two tabs.' })
    const number: string = created.body.ticket.number
    const johnApi = await new Client(t.url).as('john@example.com')

    const john = await visitor()
    await signIn(john.page, 'john@example.com')
    await john.page.getByRole('link', { name: 'Conflicting edits' }).waitFor()
    // Keyboard: ? opens the help, j focuses the newest ticket, r focuses the composer, a assigns it to me.
    await john.page.keyboard.press('?')
    await john.page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor()
    await john.page.keyboard.press('Escape')
    const focused = () =>
      john.page.evaluate(() => (globalThis as any).document.activeElement?.textContent ?? '')
    await john.page.keyboard.press('j')
    expect(await focused()).toBe('Conflicting edits')
    await john.page.keyboard.press('Enter')
    await john.page.getByRole('heading', { name: 'Conflicting edits', level: 1 }).waitFor()
    await john.page.keyboard.press('r')
    // The composer's editable region (a labelled rich-text textbox) has the focus, once the editor (loaded on
    // demand) is there.
    await expect
      .poll(() =>
        john.page.evaluate(() => {
          const el = (globalThis as any).document.activeElement
          return `${el?.getAttribute('role')} ${el?.isContentEditable}`
        }),
      )
      .toBe('textbox true')
    await john.page.keyboard.press('Escape')
    await john.page.locator('h1').click()
    await john.page.keyboard.press('a')
    await john.page.locator('dl.facts').getByText('John Doe').waitFor(LIVE)

    // John starts editing; meanwhile the same ticket is changed elsewhere (another tab, the API).
    await john.page.getByLabel('Priority').selectOption({ label: 'High' })
    const current = await johnApi.get(`/api/v1/tickets/${number}`)
    const other = await johnApi.patch(`/api/v1/tickets/${number}`, {
      version: current.body.ticket.version,
      status: 'pending',
    })
    expect(other.status).toBe(200)
    await john.page.locator('dl.facts').getByText('Pending').waitFor(LIVE)
    john.problems.expect((text, url) => text.includes('409') && url.endsWith(`/api/v1/tickets/${number}`))
    await john.page.getByRole('button', { name: 'Save changes' }).click()
    const conflict = john.page.getByRole('alert').filter({ hasText: 'Someone else changed this ticket' })
    await conflict.waitFor()
    expect(await conflict.innerText()).toContain('Status: Open → Pending')
    const unchanged = await johnApi.get(`/api/v1/tickets/${number}`)
    expect(unchanged.body.ticket).toMatchObject({ priority: 'normal', status: 'pending' })

    await john.page.getByRole('button', { name: 'Re-apply my changes' }).click()
    await john.page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    const after = await johnApi.get(`/api/v1/tickets/${number}`)
    expect(after.body.ticket).toMatchObject({ priority: 'high', status: 'pending' })
    for (const p of watched) expect(p.errors).toEqual([])
  })
})

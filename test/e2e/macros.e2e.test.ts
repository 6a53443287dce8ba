// Macros in Chromium: an agent creates a macro on the Macros page, applies it from the ticket view, and sees the
// ticket change (status, tags, the note in the thread); then edits the tags by hand.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('macros in Chromium', () => {
  let t: TestServer
  let browser: Browser
  beforeAll(async () => {
    t = await startServer('sqlite')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('creates a macro, applies it to a ticket from the ticket view, and edits the tags', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const opened = await ken.post('/api/v1/tickets', {
      subject: 'Printer jams on every page',
      message: 'Since the toner change.',
    })
    expect(opened.status).toBe(201)
    const number = opened.body.ticket.number as string

    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.goto('/agent/queues/open')
    await page.getByRole('link', { name: 'Macros' }).click()
    await page.getByRole('heading', { name: 'Macros', level: 1 }).waitFor()
    // The demo's shared macro is listed, kept by admins (John may not change it).
    await page.getByRole('cell', { name: 'Close and tag as spam' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    const form = page.getByRole('form', { name: 'New macro' })
    await form.getByLabel('Name').fill('Wait for parts')
    await form.getByLabel('Set status').selectOption({ label: 'On hold' })
    await form.getByLabel('Add tags').fill('Hardware, Waiting Parts')
    await form.getByLabel('Internal note').fill('Parts ordered for {{requester.name}}.')
    await page.getByRole('button', { name: 'Create macro' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved “Wait for parts”.' }).waitFor()
    const row = page.getByRole('row', { name: /Wait for parts/ })
    await row.getByText('Status: On hold').waitFor()
    await row.getByText('Add tags: hardware, waiting-parts').waitFor()

    await page.goto(`/agent/tickets/${number}`)
    await page.getByRole('heading', { name: 'Printer jams on every page' }).waitFor()
    await page.getByRole('region', { name: 'Tags' }).getByText('No tags.').waitFor()
    await page.getByRole('combobox', { name: /^Macro/ }).selectOption({ label: 'Wait for parts' })
    await page.getByRole('button', { name: 'Apply macro' }).click()
    await page.getByRole('status').filter({ hasText: 'Applied “Wait for parts”.' }).waitFor()

    // The ticket changed: status, tags, and the note in the thread.
    await page.locator('.facts').getByText('On hold', { exact: true }).waitFor()
    const tags = page.getByRole('list', { name: 'Tags' })
    await tags.getByText('hardware').waitFor()
    await tags.getByText('waiting-parts').waitFor()
    await page.getByText('Parts ordered for Ken Adams.').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    // Tags by hand: add one, remove one.
    await page.getByLabel('Add tags').fill('Urgent')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await tags.getByText('urgent').waitFor()
    await page.getByRole('button', { name: 'Remove tag hardware' }).click()
    await tags.getByText('hardware').waitFor({ state: 'detached' })

    const detail = await (await new Client(t.url).as('john@example.com')).get(`/api/v1/tickets/${number}`)
    expect(detail.body.ticket.status).toBe('on_hold')
    expect(detail.body.tags).toEqual(['urgent', 'waiting-parts'])
    expect(detail.body.thread.map((e: { kind: string }) => e.kind)).toEqual(['message', 'note'])
    expect(problems.errors).toEqual([])
  })
})

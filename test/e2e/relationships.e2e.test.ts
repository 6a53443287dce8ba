// Ticket relationships in Chromium (issue 12): John merges a duplicate into the original, undoes it, merges
// again, adds two tasks, fails to resolve, completes them, and resolves. The merge target is picked with the
// keyboard; the ticket view with its Tasks and Related tickets panels is axe-clean.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('merge, undo and tasks in Chromium', () => {
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

  async function mergeInto(page: Page, duplicate: string, original: string) {
    await page.goto(`/agent/tickets/${duplicate}`)
    const panel = page.getByRole('region', { name: 'Related tickets' })
    await panel.getByRole('button', { name: 'Merge into another ticket…' }).click()
    const search = panel.getByLabel('Find the ticket to merge into')
    await search.fill(original)
    const pick = panel.getByRole('button', { name: `#${original} Printer on floor 2`, exact: true })
    await pick.waitFor()
    // Keyboard: from the search box to the result, and Enter picks it.
    await search.press('Tab')
    await page.keyboard.press('Enter')
    const preview = panel.getByRole('region', { name: 'What the merge moves' })
    await preview.getByText('1 thread entry with their attachments').waitFor()
    await preview.getByRole('button', { name: `Merge into #${original}` }).click()
    await page.waitForURL(`**/agent/tickets/${original}`)
  }

  it('merges, undoes, merges again, and blocks resolving until the tasks are done', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const john = await new Client(t.url).as('john@example.com')
    const opened = async (subject: string, message: string) =>
      (await ken.post('/api/v1/tickets', { subject, message })).body.ticket.number as string
    const original = await opened('Printer on floor 2', 'The printer jams.')
    const duplicate = await opened('Printer floor 2 again', 'Sent twice: the printer jams.')

    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await mergeInto(page, duplicate, original)
    await page.getByRole('heading', { name: 'Printer on floor 2', exact: true }).waitFor()
    await page.getByText('Sent twice: the printer jams.').waitFor()
    // The thread says where the message came from, and that the merge happened.
    await page.getByText(`from #${duplicate}`).waitFor()
    await page.getByText(`John Doe merged #${duplicate} into this ticket`).waitFor()
    expect((await john.get(`/api/v1/tickets/${duplicate}`)).body.ticket.mergedInto).toBe(original)

    // Undo on the result.
    const related = page.getByRole('region', { name: 'Related tickets' })
    await related.getByRole('button', { name: `Undo merge of #${duplicate}` }).click()
    await related.getByText(`Merge undone: #${duplicate} is its own ticket again.`).waitFor()
    expect((await john.get(`/api/v1/tickets/${duplicate}`)).body.ticket).toMatchObject({
      mergedInto: null,
      statusCategory: 'open',
    })
    expect((await john.get(`/api/v1/tickets/${original}`)).body.thread).toHaveLength(1)

    // Again; and the merged number now leads to the original.
    await mergeInto(page, duplicate, original)
    await page.goto(`/agent/tickets/${duplicate}`)
    await page.waitForURL(`**/agent/tickets/${original}`)
    await related.getByRole('button', { name: `Undo merge of #${duplicate}` }).waitFor()

    // Two tasks.
    const tasks = page.getByRole('region', { name: 'Tasks' })
    await tasks.getByText('No tasks.').waitFor()
    for (const title of ['Order a toner', 'Clean the rollers']) {
      await tasks.getByLabel('New task').fill(title)
      if (title === 'Order a toner') await tasks.getByLabel('Give it to').selectOption({ label: 'John Doe' })
      await tasks.getByRole('button', { name: 'Add task' }).click()
      await tasks.getByRole('checkbox', { name: title }).waitFor()
    }
    // John's own task is in his My tasks queue.
    await page
      .getByRole('navigation', { name: 'Agent tools' })
      .getByRole('link', { name: 'My tasks' })
      .click()
    await page
      .getByRole('row', { name: /Order a toner/ })
      .getByRole('link', { name: `#${original} Printer on floor 2` })
      .waitFor()
    expect(await page.getByRole('row', { name: /Clean the rollers/ }).count()).toBe(0)
    await page.goBack()
    await tasks.getByRole('checkbox', { name: 'Clean the rollers' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    // Resolving is refused while they are open, and the form says which.
    problems.expect((text, url) => text.includes('409') && url.endsWith(`/api/v1/tickets/${original}`))
    const update = page.getByRole('form', { name: 'Update' })
    await update.getByLabel('Status').selectOption({ label: 'Resolved' })
    await update.getByRole('button', { name: 'Save changes' }).click()
    await update
      .getByRole('alert')
      .filter({ hasText: 'Complete the open tasks first: Order a toner, Clean the rollers.' })
      .waitFor()

    // Complete both (the checkbox, by keyboard for the second), then resolve.
    await tasks.getByRole('checkbox', { name: 'Order a toner' }).click()
    await tasks.getByRole('checkbox', { name: 'Order a toner' }).and(page.locator(':checked')).waitFor()
    await tasks.getByRole('checkbox', { name: 'Clean the rollers' }).focus()
    await page.keyboard.press('Space')
    await tasks.getByText('All tasks are done.').waitFor()
    await update.getByRole('button', { name: 'Save changes' }).click()
    await update.getByText('Saved.').waitFor()
    const resolved = (await john.get(`/api/v1/tickets/${original}`)).body
    expect(resolved.ticket.statusCategory).toBe('resolved')
    expect(resolved.events.map((e: { type: string }) => e.type)).not.toContain('tasks.close_forced')
    expect(problems.errors).toEqual([])

    // Ken's portal: the merged number goes on to the ticket it joined (his own), with both messages.
    const portal = await openPage(browser, t.url)
    await signIn(portal.page, 'ken@example.com')
    await portal.page.goto(`/portal/tickets/${duplicate}`)
    await portal.page.waitForURL(`**/portal/tickets/${original}`)
    await portal.page.getByText('Sent twice: the printer jams.').waitFor()
    expect(portal.problems.errors).toEqual([])
  })

  it('resolves past an open task only after confirming, and records it', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const john = await new Client(t.url).as('john@example.com')
    const number = (await ken.post('/api/v1/tickets', { subject: 'Desk move', message: 'Move my desk.' }))
      .body.ticket.number as string
    await john.post(`/api/v1/tickets/${number}/tasks`, { title: 'Book the movers' })
    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.goto(`/agent/tickets/${number}`)
    const tasks = page.getByRole('region', { name: 'Tasks' })
    // Reassign it from its details (keyboard: the summary opens with Enter).
    await tasks.locator('summary').first().focus()
    await page.keyboard.press('Enter')
    await tasks.getByLabel('Give “Book the movers” to').selectOption({ label: 'John Doe' })
    await tasks.locator('li.task > .muted').filter({ hasText: 'John Doe' }).waitFor()
    const given = (await john.get(`/api/v1/tickets/${number}/tasks`)).body.items[0]
    expect(given.assigneeAgent.name).toBe('John Doe')
    await tasks.getByRole('button', { name: 'Resolve anyway…' }).click()
    await tasks.getByRole('button', { name: 'Keep it open' }).click()
    await tasks.getByRole('button', { name: 'Resolve anyway…' }).click()
    await tasks.getByRole('button', { name: 'Resolve with 1 open task' }).click()
    await page.locator('.facts').getByText('Resolved').waitFor()
    const detail = (await john.get(`/api/v1/tickets/${number}`)).body
    expect(detail.ticket.statusCategory).toBe('resolved')
    expect(detail.events.map((e: { type: string }) => e.type)).toContain('tasks.close_forced')
    expect(problems.errors).toEqual([])
  })
})

// Collaborators and unverified senders in Chromium (issue 9): the agent's ticket view shows who is copied on
// the ticket, adds and removes them, and marks a mail nothing vouched for; the admin console's Email page says
// whose Authentication-Results each intake address believes.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../../src/mail/receiveEmail.ts'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('collaborators and unverified senders in Chromium', () => {
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

  it('adds and removes a collaborator in the ticket view, and flags a mail nothing vouched for', async () => {
    const mail = (headers: string, body: string) =>
      receiveEmail(t.app, Buffer.from(`${headers}\r\nTo: support@example.com\r\n\r\n${body}\r\n`), {
        source: 'smtp',
        envelopeTo: ['support@example.com'],
      })
    const opened = await mail(
      'From: Ken Adams <ken@example.com>\r\nSubject: Projector broken',
      'It flickers.',
    )
    if (opened.status !== 'done') throw new Error(JSON.stringify(opened))
    const number = opened.ticketNumber
    await mail(
      `From: ken@example.com\r\nCc: mallory@evil.test\r\nSubject: Re: [#${number}]`,
      'Forged follow-up.',
    )
    const lena = await new Client(t.url).as('lena@example.com')

    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.goto(`/agent/tickets/${number}`)
    await page.getByRole('heading', { name: 'Projector broken' }).waitFor()
    const forged = page
      .getByRole('article', { name: 'From Ken Adams' })
      .filter({ hasText: 'Forged follow-up.' })
    await forged.getByText('Unverified sender').waitFor()
    const panel = page.getByRole('region', { name: 'Collaborators' })
    await panel.getByText('Nobody is copied on this ticket.').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    await panel.getByLabel('Add collaborator by email').fill('lena@example.com')
    await panel.getByRole('button', { name: 'Add collaborator' }).click()
    await panel.getByRole('list', { name: 'Collaborators' }).getByText('lena@example.com').waitFor()
    expect((await lena.get(`/api/v1/tickets/${number}`)).status).toBe(200)

    // A look-alike address is refused, and the panel says why.
    problems.expect(
      (text, url) => text.includes('400') && url.endsWith(`/api/v1/tickets/${number}/collaborators`),
    )
    await panel.getByLabel('Add collaborator by email').fill('l\u0435na@example.com')
    await panel.getByRole('button', { name: 'Add collaborator' }).click()
    await panel.getByRole('alert').filter({ hasText: 'can be mistaken for another' }).waitFor()

    await panel.getByRole('button', { name: 'Remove lena@example.com' }).click()
    await panel.getByText('Nobody is copied on this ticket.').waitFor()
    expect((await lena.get(`/api/v1/tickets/${number}`)).status).toBe(404)
    const events = (await (await new Client(t.url).as('john@example.com')).get(`/api/v1/tickets/${number}`))
      .body.events as { type: string; channel: string }[]
    expect(
      events.filter((e) => e.type.startsWith('collaborators.')).map((e) => `${e.type}/${e.channel}`),
    ).toEqual(['collaborators.added/web', 'collaborators.removed/web'])
    expect(problems.errors).toEqual([])
  })

  it('lets Ken copy Lena on a new ticket from the portal, and John sees her on it', async () => {
    const { page: portal, problems } = await openPage(browser, t.url)
    await signIn(portal, 'ken@example.com')
    await portal.goto('/portal/new')
    await portal.getByLabel('Subject').fill('Shared drive full')
    await portal.getByRole('textbox', { name: 'Message' }).fill('Nobody on my team can save.')
    const cc = portal.getByLabel('CC (optional)')
    // A slip in an address is caught next to the field, before anything is sent.
    await cc.fill('lena@example.com, lena.example.com')
    await portal.getByRole('button', { name: 'Submit ticket' }).click()
    await portal.getByText('CC: “lena.example.com” is not an email address').waitFor()
    expect(await cc.getAttribute('aria-invalid')).toBe('true')
    await cc.fill('lena@example.com')
    expect(await seriousA11yViolations(portal)).toEqual([])
    await portal.getByRole('button', { name: 'Submit ticket' }).click()
    await portal.waitForURL(/\/portal\/tickets\/\d+/)
    const number = /\/portal\/tickets\/(\d+)/.exec(portal.url())![1]!

    const { page } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.goto(`/agent/tickets/${number}`)
    const panel = page.getByRole('region', { name: 'Collaborators' })
    await panel.getByRole('list', { name: 'Collaborators' }).getByText('lena@example.com').waitFor()
    const lena = await new Client(t.url).as('lena@example.com')
    expect((await lena.get(`/api/v1/tickets/${number}`)).status).toBe(200)
    expect(problems.errors).toEqual([])
  })

  it('lets an admin name the authserv-ids an intake address trusts', async () => {
    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'admin@example.com')
    await page.goto('/admin/email')
    await page.getByRole('heading', { name: 'Email intake addresses' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Edit support@example.com' }).click()
    const form = page.getByRole('form', { name: 'Edit support@example.com' })
    await form.getByLabel('Trusted authserv-ids').fill('mx.example.com, MX2.example.com')
    await form.getByRole('button', { name: 'Save address' }).click()
    await page.getByRole('cell', { name: 'mx.example.com, mx2.example.com' }).waitFor()
    const admin = await new Client(t.url).as('admin@example.com')
    const stored = (await admin.get('/api/v1/admin/intake-addresses')).body.items[0]
    expect(stored.trustedAuthservIds).toEqual(['mx.example.com', 'mx2.example.com'])
    expect(problems.errors).toEqual([])
  })
})

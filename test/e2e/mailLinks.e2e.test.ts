// Every link in every outgoing mail, followed in Chromium by the person it was sent to (issue 11). Each
// template is triggered for real and caught by a real SMTP sink; each recipient opens each link signed out,
// signs in, and must land on the ticket: a customer on their portal page, an agent on the agent view.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEMPLATE_KEYS, type TemplateKey } from '../../src/mail/templates.ts'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage } from '../support/browser.ts'
import { MailSink, type Captured } from '../support/mailSink.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

const SUBJECT = 'Printer jams on every page'
const AGENTS = ['john@example.com', 'alex@example.com']

describe('links in outgoing mail, followed by their recipients', () => {
  let t: TestServer
  let sink: MailSink
  let browser: Browser
  let number: string
  /** The mail each template produced, in the order they were triggered. */
  const caught = new Map<TemplateKey, Captured[]>()

  beforeAll(async () => {
    t = await startServer('sqlite')
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    t.app.config.mail.publicUrl = t.url
    browser = await launchBrowser()

    const anonymous = new Client(t.url)
    const ken = await anonymous.as('ken@example.com')
    const john = await anonymous.as('john@example.com')
    const alex = await anonymous.as('alex@example.com')
    const alexId = (await alex.get('/api/v1/auth/me')).body.user.id as number

    const wait = async (key: TemplateKey, to: string, subject: (s: string) => boolean) => {
      const mail = await sink.waitFor((m) => m.to.includes(to) && subject(m.parsed.subject ?? ''))
      caught.set(key, [...(caught.get(key) ?? []), mail])
    }
    const created = await ken.post('/api/v1/tickets', { subject: SUBJECT, message: 'Every single page.' })
    expect(created.status).toBe(201)
    number = created.body.ticket.number
    await wait('autoresponse', 'ken@example.com', (s) => s === `[#${number}] ${SUBJECT}`)
    for (const agent of AGENTS)
      await wait('alert_new_ticket', agent, (s) => s === `New ticket [#${number}] ${SUBJECT}`)

    const version = (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version as number
    expect((await john.patch(`/api/v1/tickets/${number}`, { version, assigneeAgentId: alexId })).status).toBe(
      200,
    )
    await wait('alert_assigned', 'alex@example.com', (s) => s.startsWith('Assigned to you'))

    expect(
      (await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Try the other tray.' })).status,
    ).toBe(201)
    await wait('reply', 'ken@example.com', (s) => s === `Re: [#${number}] ${SUBJECT}`)

    expect((await ken.post(`/api/v1/tickets/${number}/messages`, { body: 'Same there.' })).status).toBe(201)
    await wait('alert_message', 'alex@example.com', (s) => s.startsWith('New message on'))

    expect((await alex.request('PUT', `/api/v1/tickets/${number}/follow`)).status).toBe(204)
    const note = await john.post(`/api/v1/tickets/${number}/messages`, { body: 'Toner?', internal: true })
    expect(note.status).toBe(201)
    await wait('alert_note', 'alex@example.com', (s) => s.startsWith('Internal note on'))

    expect((await anonymous.post('/api/v1/auth/password-reset', { email: 'ken@example.com' })).status).toBe(
      202,
    )
    await wait('password_reset', 'ken@example.com', (s) => s === 'Reset your password')
    const linkAsked = await anonymous.post('/api/v1/auth/ticket-link', { email: 'ken@example.com', number })
    expect(linkAsked.status).toBe(202)
    await wait('ticket_link', 'ken@example.com', (s) => s === `Your link to ticket #${number}`)

    // Resolving asks Ken how we did, where the department asks (issue 16).
    const admin = await anonymous.as('admin@example.com')
    const supportId = (await admin.get('/api/v1/admin/satisfaction')).body.items.find(
      (d: { department: string }) => d.department === 'Support',
    ).departmentId
    expect(
      (await admin.request('PUT', `/api/v1/admin/satisfaction/${supportId}`, { enabled: true })).status,
    ).toBe(200)
    const current = (await john.get(`/api/v1/tickets/${number}`)).body.ticket.version as number
    expect(
      (await john.patch(`/api/v1/tickets/${number}`, { version: current, status: 'resolved' })).status,
    ).toBe(200)
    await wait('satisfaction', 'ken@example.com', (s) => s === `How did we do? [#${number}] ${SUBJECT}`)
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await sink?.close()
  })

  function linksIn(mail: Captured): string[] {
    const text = [...(mail.parsed.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0])
    const html = [...String(mail.parsed.html ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0])
    return [...new Set([...text, ...html])]
  }

  async function signInAt(page: Page, email: string) {
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  /** Opens the link signed out, signs in as the recipient and checks where that leads. */
  async function follow(link: string, recipient: string, template: TemplateKey) {
    const { context, page, problems } = await openPage(browser, t.url)
    try {
      await page.goto(link)
      if (template === 'password_reset') {
        // No ticket behind it: the link opens the form to choose a password, without signing in.
        await page.getByRole('heading', { name: 'Set a new password' }).waitFor()
        expect(new URL(page.url()).pathname).toBe('/reset-password')
      } else if (template === 'satisfaction') {
        // The survey, signed out; opening it does not use the link up (only sending an answer does).
        await page.getByRole('heading', { name: 'How did we do?' }).waitFor()
        await page.getByText(`About ticket #${number}: ${SUBJECT}`).waitFor()
        expect(new URL(page.url()).pathname).toBe('/portal/satisfaction')
      } else if (template === 'ticket_link') {
        await page.getByRole('button', { name: 'Open my ticket' }).click()
        await page.waitForURL(`**/portal/tickets/${number}`)
        await page.getByRole('heading', { name: SUBJECT }).waitFor()
      } else {
        // Signed out, every ticket link first asks who is reading, then goes on to the ticket.
        const area = AGENTS.includes(recipient) ? 'agent' : 'portal'
        // The link itself names the recipient's view, so it works even where the short address is unknown.
        expect(new URL(link).pathname).toBe(`/${area}/tickets/${number}`)
        await page.waitForURL('**/login')
        await signInAt(page, recipient)
        await page.waitForURL(`**/${area}/tickets/${number}`)
        await page.getByRole('heading', { name: SUBJECT }).waitFor()
      }
      expect(problems.errors).toEqual([])
    } finally {
      await context.close()
    }
  }

  it('caught a mail for every template there is', () => {
    expect([...caught.keys()].sort()).toEqual([...TEMPLATE_KEYS].sort())
  })

  it('every link of every mail lands its recipient on the ticket', async () => {
    let followed = 0
    for (const [template, mails] of caught) {
      for (const mail of mails) {
        const links = linksIn(mail)
        expect(links.length, `${template} to ${mail.to.join()}`).toBeGreaterThan(0)
        for (const link of links) {
          expect(link.startsWith(t.url), link).toBe(true)
          await follow(link, mail.to[0]!, template)
          followed++
        }
      }
    }
    expect(followed).toBeGreaterThanOrEqual(TEMPLATE_KEYS.length)
  }, 180_000)

  it('the short address /tickets/:number sends each person to their view after sign-in', async () => {
    for (const [email, area] of [
      ['ken@example.com', 'portal'],
      ['john@example.com', 'agent'],
    ] as const) {
      const { context, page, problems } = await openPage(browser, t.url)
      await page.goto(`/tickets/${number}`)
      await page.waitForURL('**/login')
      await signInAt(page, email)
      await page.waitForURL(`**/${area}/tickets/${number}`)
      await page.getByRole('heading', { name: SUBJECT }).waitFor()
      // Signed in already, the short address goes straight there.
      await page.goto(`/tickets/${number}`)
      await page.waitForURL(`**/${area}/tickets/${number}`)
      expect(problems.errors).toEqual([])
      await context.close()
    }
  })
})

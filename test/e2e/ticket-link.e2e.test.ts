// "Check a ticket's status" in Chromium: from the sign-in page's link, email and ticket number in, the link
// arrives by real SMTP, and opening it signs the customer in on their ticket. A used link says so.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations } from '../support/browser.ts'
import { MailSink } from '../support/mailSink.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe("checking a ticket's status in Chromium", () => {
  let t: TestServer
  let sink: MailSink
  let browser: Browser
  beforeAll(async () => {
    t = await startServer('sqlite')
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    t.app.config.mail.publicUrl = t.url
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await sink?.close()
  })

  it('mails a link from the sign-in page that opens the ticket once', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const number = (
      await ken.post('/api/v1/tickets', { subject: 'Where is my parcel', message: 'Ordered last week.' })
    ).body.ticket.number as string

    const { page, problems } = await openPage(browser, t.url)
    await page.goto('/login')
    await page.getByRole('link', { name: "Check a ticket's status" }).click()
    await page.getByRole('heading', { name: "Check a ticket's status" }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByLabel('Email').fill('ken@example.com')
    await page.getByLabel('Ticket number').fill(number)
    await page.getByLabel('Ticket number').press('Enter')
    await page.getByRole('status').filter({ hasText: 'If that ticket is yours, we sent a link' }).waitFor()

    const mail = await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && m.parsed.subject === `Your link to ticket #${number}`,
    )
    const link = /https?:\/\/\S+/.exec(mail.parsed.text ?? '')![0]
    expect(link.startsWith(`${t.url}/portal/ticket-link#token=`)).toBe(true)
    await page.goto(link)
    // Nothing is redeemed until the customer asks: a scanner opening the link leaves it working.
    await page.getByRole('button', { name: 'Open my ticket' }).waitFor()
    expect(page.url()).toBe(`${t.url}/portal/ticket-link`)
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Open my ticket' }).click()
    await page.waitForURL(`**/portal/tickets/${number}`)
    await page.getByRole('heading', { name: 'Where is my parcel' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    // The same link again: refused, with a way to ask for a new one.
    problems.expect((text, url) => text.includes('400') && url.endsWith('/api/v1/auth/ticket-link/redeem'))
    await page.goto(link)
    await page.getByRole('button', { name: 'Open my ticket' }).click()
    await page.getByRole('alert').filter({ hasText: 'This link is not valid' }).waitFor()
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor()
    expect(problems.errors).toEqual([])
  })
})

describe('resetting a forgotten password in Chromium', () => {
  let t: TestServer
  let sink: MailSink
  let browser: Browser
  beforeAll(async () => {
    t = await startServer('sqlite')
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    t.app.config.mail.publicUrl = t.url
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await sink?.close()
  })

  it('mails a link from the sign-in page that sets a new password once', async () => {
    const { page, problems } = await openPage(browser, t.url)
    await page.goto('/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByRole('heading', { name: 'Forgot your password' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByLabel('Email').fill('lena@example.com')
    await page.getByLabel('Email').press('Enter')
    await page.getByRole('status').waitFor()

    const mail = await sink.waitFor((m) => m.to.includes('lena@example.com'))
    const link = /https?:\/\/\S+/.exec(mail.parsed.text ?? '')![0]
    expect(link.startsWith(`${t.url}/reset-password#token=`)).toBe(true)
    await page.goto(link)
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor()
    expect(page.url()).toBe(`${t.url}/reset-password`)
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByLabel('New password (at least 10 characters)').fill('lighthouse-keeper-42')
    await page.getByLabel('New password again').fill('lighthouse-keeper-41')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByRole('alert').filter({ hasText: 'not the same' }).waitFor()
    await page.getByLabel('New password again').fill('lighthouse-keeper-42')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByRole('heading', { name: 'Password changed' }).waitFor()

    // The new password signs in; the old one no longer does; the link does not work twice.
    const signIn = (password: string) =>
      fetch(`${t.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'lena@example.com', password }),
      }).then((r) => r.status)
    expect(await signIn('lighthouse-keeper-42')).toBe(200)
    expect(await signIn('demo-password')).toBe(401)
    problems.expect(
      (text, url) => text.includes('400') && url.endsWith('/api/v1/auth/password-reset/confirm'),
    )
    await page.goto('about:blank')
    await page.goto(link)
    await page.getByLabel('New password (at least 10 characters)').fill('another-password-77')
    await page.getByLabel('New password again').fill('another-password-77')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByRole('alert').waitFor()
    expect(await signIn('another-password-77')).toBe(401)
    expect(problems.errors).toEqual([])
  })
})

// Satisfaction and time in the browser (issue 16): Ken's ticket is resolved, Ken opens the survey link from the
// email (a real SMTP sink) signed out, rates Bad with a comment, and John sees the rating on the ticket; John
// logs time from the composer and sees the total; the report, the portal's feedback card and the admin page.
// Every screen is axe-core clean.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { MailSink } from '../support/mailSink.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

const SUBJECT = 'Scanner sends blank pages'
const COMMENT = 'It took a week and two calls.'
const SHOTS = process.env.SCREENSHOT_DIR

describe('satisfaction and time in the browser', () => {
  let t: TestServer
  let sink: MailSink
  let browser: Browser
  let number: string
  let badLink: string

  beforeAll(async () => {
    t = await startServer('sqlite')
    sink = await new MailSink().start()
    t.app.config.mail.smtpUrl = sink.url
    t.app.config.mail.publicUrl = t.url
    browser = await launchBrowser()
    const anon = new Client(t.url)
    const [ken, john, admin] = await Promise.all(
      ['ken', 'john', 'admin'].map((n) => anon.as(`${n}@example.com`)),
    )
    const support = (await admin!.get('/api/v1/admin/satisfaction')).body.items.find(
      (d: { department: string }) => d.department === 'Support',
    )
    expect(
      (await admin!.request('PUT', `/api/v1/admin/satisfaction/${support.departmentId}`, { enabled: true }))
        .status,
    ).toBe(200)
    number = (await ken!.post('/api/v1/tickets', { subject: SUBJECT, message: 'Every page is blank.' })).body
      .ticket.number
    await john!.post(`/api/v1/tickets/${number}/messages`, {
      body: 'Internal: wrong driver.',
      internal: true,
    })
    const version = (await john!.get(`/api/v1/tickets/${number}`)).body.ticket.version
    expect((await john!.patch(`/api/v1/tickets/${number}`, { version, status: 'resolved' })).status).toBe(200)
    const mail = await sink.waitFor(
      (m) => m.to.includes('ken@example.com') && (m.parsed.subject ?? '').startsWith('How did we do?'),
    )
    expect(mail.raw).not.toContain('wrong driver')
    badLink = /^Bad: (\S+)$/m.exec(mail.parsed.text ?? '')![1]!
    expect(badLink.startsWith(`${t.url}/portal/satisfaction#token=`)).toBe(true)
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await sink?.close()
  })

  it('Ken rates Bad from the email link, once; John sees it on the ticket and logs time from the composer', async () => {
    const kenPage = await openPage(browser, t.url)
    const { page } = kenPage
    await page.goto(badLink)
    await page.getByRole('heading', { name: 'How did we do?' }).waitFor()
    await page.getByText(`About ticket #${number}: ${SUBJECT}`).waitFor()
    // The link named the answer; Ken adds a comment and sends.
    expect(await page.getByRole('radio', { name: 'Bad' }).isChecked()).toBe(true)
    expect(new URL(page.url()).hash).toBe('')
    await page.getByLabel('Comment (optional)').fill(COMMENT)
    expect(await seriousA11yViolations(page)).toEqual([])
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/csat-link.png`, fullPage: true })
    await page.getByRole('button', { name: 'Send my answer' }).click()
    await page.getByRole('status').getByText('Thank you! You answered').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    // The same link again (a fresh load, not a jump within the page): used.
    await page.goto('about:blank')
    await page.goto(badLink)
    await page.getByRole('alert').getByText('This link was used already or has expired.').waitFor()
    expect(kenPage.problems.errors.filter((e) => !e.includes('400'))).toEqual([])
    await kenPage.context.close()

    const johnPage = await openPage(browser, t.url)
    const jp = johnPage.page
    await signIn(jp, 'john@example.com')
    await jp.goto(`/agent/tickets/${number}`)
    const card = jp.getByRole('region', { name: 'Satisfaction' })
    await card.getByText('Bad', { exact: true }).waitFor()
    await card.getByText(COMMENT).waitFor()
    await jp.getByText(`Ken Adams rated the resolution Bad: “${COMMENT}”`).waitFor()

    const composer = jp.getByRole('form', { name: 'Write on the thread' })
    await composer.getByLabel('Message').fill('Called Ken back and installed the right driver.')
    await composer.getByLabel('Time spent (minutes)').fill('25')
    await composer.getByLabel('Billable').check()
    await composer.getByRole('button', { name: 'Add internal note' }).click()
    const time = jp.getByRole('region', { name: 'Time' })
    await time.getByText('Total: 25 min').waitFor()
    await time.getByText('(25 min billable)').waitFor()
    await jp.getByText('John Doe logged 25 min (billable)').waitFor()
    // Logging on its own, from the time card.
    await time.getByLabel('Log minutes').fill('50')
    await time.getByRole('button', { name: 'Log time' }).click()
    await time.getByText('Total: 1 h 15 min').waitFor()
    expect(await seriousA11yViolations(jp)).toEqual([])
    if (SHOTS) await jp.screenshot({ path: `${SHOTS}/csat-ticket.png`, fullPage: true })

    // The report: one Bad answer, 75 minutes, 25 of them billable.
    await jp.getByRole('link', { name: 'Satisfaction & time' }).click()
    await jp.getByRole('heading', { name: 'Satisfaction & time' }).waitFor()
    await jp.getByLabel('Group by').selectOption('department')
    const csat = jp.getByRole('table', { name: 'Satisfaction' })
    await csat.getByRole('row', { name: 'Support 1 0 1 0% good' }).waitFor()
    const spent = jp.getByRole('table', { name: 'Time spent' })
    await spent.getByRole('row', { name: 'Support 2 1 h 15 min 25 min 50 min' }).waitFor()
    expect(await seriousA11yViolations(jp)).toEqual([])
    if (SHOTS) await jp.screenshot({ path: `${SHOTS}/csat-report.png`, fullPage: true })
    expect(johnPage.problems.errors).toEqual([])
    await johnPage.context.close()
  }, 120_000)

  it('Ken changes his answer in the portal; the admin words the question', async () => {
    const kenPage = await openPage(browser, t.url)
    await signIn(kenPage.page, 'ken@example.com')
    await kenPage.page.goto(`/portal/tickets/${number}`)
    const feedback = kenPage.page.getByRole('region', { name: 'Your feedback' })
    await feedback.getByText('You answered').waitFor()
    await feedback.getByRole('radio', { name: 'Good' }).check()
    await feedback.getByLabel('Comment (optional)').fill('Fixed in the end, thanks.')
    await feedback.getByRole('button', { name: 'Change my answer' }).click()
    await feedback.getByText('Thank you: your answer is saved.').waitFor()
    await feedback.getByText('“Fixed in the end, thanks.”', { exact: false }).waitFor()
    expect(await seriousA11yViolations(kenPage.page)).toEqual([])
    if (SHOTS) await kenPage.page.screenshot({ path: `${SHOTS}/csat-portal.png`, fullPage: true })
    expect(kenPage.problems.errors).toEqual([])
    await kenPage.context.close()

    const adminPage = await openPage(browser, t.url)
    const ap = adminPage.page
    await signIn(ap, 'admin@example.com')
    await ap.goto('/admin/satisfaction')
    const billing = ap.getByLabel('Ask for satisfaction in Billing')
    await billing.check()
    await ap.getByLabel('Question for Billing').fill('Were we quick enough?')
    await ap.getByRole('button', { name: 'Save Billing' }).click()
    await ap.getByRole('button', { name: 'Save Billing' }).and(ap.locator(':disabled')).waitFor()
    expect(await seriousA11yViolations(ap)).toEqual([])
    if (SHOTS) await ap.screenshot({ path: `${SHOTS}/csat-admin.png`, fullPage: true })
    const saved = (await (await new Client(t.url).as('admin@example.com')).get('/api/v1/admin/satisfaction'))
      .body.items
    expect(saved.find((d: { department: string }) => d.department === 'Billing')).toMatchObject({
      enabled: true,
      question: 'Were we quick enough?',
    })
    expect(adminPage.problems.errors).toEqual([])
    await adminPage.context.close()
  }, 60_000)
})

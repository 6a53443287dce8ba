// The agent ticket view in Chromium: an entry that came by email links to its original message, which
// downloads as message/rfc822 (issue 9, finding 3); an entry typed in the web app has no such link.
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../../src/mail/receiveEmail.ts'
import { launchBrowser, openPage } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('the original email in the agent ticket view', () => {
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

  it('links an emailed entry to its raw message, as a download', async () => {
    const raw = Buffer.from(
      'From: Ken Adams <ken@example.com>\r\nTo: support@example.com\r\nSubject: Scanner offline\r\n' +
        'Message-ID: <scanner-e2e@client.test>\r\n\r\nThe scanner on floor 2 is offline.\r\n',
    )
    const outcome = await receiveEmail(t.app, raw, { source: 'pipe', envelopeTo: ['support@example.com'] })
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome))
    const { page } = await openPage(browser, t.url)
    await page.goto('/login')
    await page.getByLabel('Email').fill('john@example.com')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))
    await page.goto(`/agent/tickets/${outcome.ticketNumber}`)
    const link = page.getByRole('link', { name: 'View original email' })
    await link.waitFor()
    expect(await link.count()).toBe(1)
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const path = await download.path()
    expect(readFileSync(path).equals(raw)).toBe(true)
  })
})

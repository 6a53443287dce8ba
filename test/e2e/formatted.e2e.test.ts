// Formatted messages in Chromium (issue 11): John replies with bold text and a list, typed with the keyboard in
// the composer; Ken sees the formatted reply in the portal; an inbound HTML mail with a script and a remote image
// shows formatted, the script never runs and the image is not fetched until John clicks "Show remote images".
// A real HTTP server on loopback stands for the outside world and counts what reaches it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../../src/mail/receiveEmail.ts'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

// UPDATE_SCREENSHOTS=1 refreshes the pictures in docs/screenshots (docs/web.md shows them).
const shoot = async (page: Page, name: string) => {
  if (process.env.UPDATE_SCREENSHOTS)
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true })
}

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64')

describe('formatted messages in Chromium', () => {
  let t: TestServer
  let browser: Browser
  let outside: Server
  let outsideUrl: string
  const hits: string[] = []

  beforeAll(async () => {
    t = await startServer('sqlite')
    browser = await launchBrowser()
    outside = createServer((req, res) => {
      hits.push(req.url ?? '')
      res.writeHead(200, { 'content-type': 'image/gif', 'access-control-allow-origin': '*' }).end(GIF)
    })
    await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve))
    outsideUrl = `http://127.0.0.1:${(outside.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await new Promise((resolve) => outside?.close(resolve))
  })

  it('John replies with bold text and a list; Ken sees it formatted in the portal', async () => {
    const ken = await new Client(t.url).as('ken@example.com')
    const created = await ken.post('/api/v1/tickets', { subject: 'Printer jams', message: 'Every page.' })
    const number: string = created.body.ticket.number

    const john = await openPage(browser, t.url)
    await signIn(john.page, 'john@example.com')
    await john.page.goto(`/agent/tickets/${number}`)
    await john.page.getByRole('heading', { name: 'Printer jams' }).waitFor()
    const editor = john.page.getByRole('textbox', { name: 'Message' })
    await editor.click()
    const key = john.page.keyboard
    await key.type('Please ')
    await key.press('Control+b')
    await key.type('restart')
    await key.press('Control+b')
    await key.type(' it, then:')
    await key.press('Enter')
    await key.press('Control+Shift+8')
    await key.type('open the tray')
    await key.press('Enter')
    await key.type('remove the sheet')
    const toolbar = john.page.getByRole('toolbar', { name: 'Text formatting' })
    await expect
      .poll(() => toolbar.getByRole('button', { name: 'Bullets' }).getAttribute('aria-pressed'))
      .toBe('true')
    expect(await seriousA11yViolations(john.page)).toEqual([])
    await john.page.getByRole('button', { name: 'Send reply' }).click()

    const reply = john.page.getByRole('article', { name: 'Reply from John Doe' })
    const frame = reply.frameLocator('iframe')
    await frame.locator('strong', { hasText: 'restart' }).waitFor()
    expect(await frame.locator('ul > li').allInnerTexts()).toEqual(['open the tray', 'remove the sheet'])
    await expect.poll(async () => (await editor.innerText()).trim()).toBe('')
    await shoot(john.page, 'formatted-agent')

    const stored = (await ken.get(`/api/v1/tickets/${number}`)).body.thread.at(-1)
    expect(stored.bodyHtml).toBe(
      '<p>Please <strong>restart</strong> it, then:</p><ul><li><p>open the tray</p></li><li><p>remove the sheet</p></li></ul>',
    )
    expect(stored.body).toContain('Please restart it, then:')

    // Ken reads in dark mode: the composer and the frame are checked there too.
    const portal = await openPage(browser, t.url, { colorScheme: 'dark' })
    await signIn(portal.page, 'ken@example.com')
    await portal.page.goto(`/portal/tickets/${number}`)
    const seen = portal.page.getByRole('article', { name: 'Reply from John Doe' }).frameLocator('iframe')
    await seen.locator('strong', { hasText: 'restart' }).waitFor()
    expect(await seen.locator('li').allInnerTexts()).toEqual(['open the tray', 'remove the sheet'])
    expect(await seen.locator('body').getAttribute('dir')).toBe('auto')
    expect(await seriousA11yViolations(portal.page)).toEqual([])

    // Ken answers with formatting too, from the portal's reply form.
    const answer = portal.page.getByRole('textbox', { name: 'Message' })
    await answer.click()
    await portal.page.keyboard.type('It says ')
    await portal.page.keyboard.press('Control+e')
    await portal.page.keyboard.type('E-42')
    await portal.page.getByRole('button', { name: 'Send reply' }).click()
    await portal.page
      .getByRole('article', { name: 'From Ken Adams' })
      .last()
      .frameLocator('iframe')
      .locator('code', { hasText: 'E-42' })
      .waitFor()
    await shoot(portal.page, 'formatted-portal')
    expect(john.problems.errors).toEqual([])
    expect(portal.problems.errors).toEqual([])
  })

  it('shows an HTML mail formatted: its script inert, its remote image blocked until asked', async () => {
    const html =
      `<p>The <b>projector</b> in room 4 <i>flickers</i>.</p>` +
      `<script>fetch('${outsideUrl}/script-ran'); document.title = 'pwned'</script>` +
      `<p onclick="fetch('${outsideUrl}/onclick')">Photo: <img src="${outsideUrl}/pixel.gif" alt="projector photo"></p>` +
      `<img src="x" onerror="fetch('${outsideUrl}/onerror')">`
    const raw =
      'From: Ken Adams <ken@example.com>\r\nTo: support@example.com\r\nSubject: Projector flickers\r\n' +
      'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n' +
      '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe projector in room 4 flickers.\r\n' +
      `--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n--b--\r\n`
    const outcome = await receiveEmail(t.app, Buffer.from(raw), {
      source: 'smtp',
      envelopeTo: ['support@example.com'],
    })
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome))

    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.goto(`/agent/tickets/${outcome.ticketNumber}`)
    const article = page.getByRole('article', { name: 'From Ken Adams' })
    const frame = article.frameLocator('iframe')
    await frame.locator('b', { hasText: 'projector' }).waitFor()
    await frame.locator('i', { hasText: 'flickers' }).waitFor()
    await frame.getByText('Photo:').click()
    const image = frame.getByRole('img', { name: 'projector photo' })
    expect(await image.getAttribute('src')).toBeNull()
    expect(await page.title()).not.toBe('pwned')
    expect(hits).toEqual([])
    expect(await seriousA11yViolations(page)).toEqual([])
    await shoot(page, 'formatted-mail-blocked')

    await article.getByRole('button', { name: 'Show remote images' }).click()
    await expect.poll(() => hits).toEqual(['/pixel.gif'])
    await expect
      .poll(() =>
        image.evaluate(
          (img) =>
            (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
            (img as unknown as { naturalWidth: number }).naturalWidth,
        ),
      )
      .toBe(1)
    await expect(article.getByRole('button', { name: 'Show remote images' }).count()).resolves.toBe(0)
    // The script is not in the document at all, and nothing in the frame may run even once images load.
    expect(await frame.locator('script').count()).toBe(0)
    expect(hits).toEqual(['/pixel.gif'])
    expect(problems.errors).toEqual([])
  })
})

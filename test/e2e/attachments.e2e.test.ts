// Attachments in Chromium (issue 11): Ken pastes a screenshot into the portal's new-ticket form, John sees its
// thumbnail in the agent view and replies with a file attached, and Ken finds the file on the reply.
import { createHash } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

/** A 2×2 PNG, as a screenshot would arrive on the clipboard. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8DAwPAfhP7//w8AH+4F+3uLQwgAAAAASUVORK5CYII='

describe('attachments in Chromium', () => {
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

  it('carries a pasted screenshot and a reply’s file between Ken and John', async () => {
    // Ken pastes a screenshot into the new-ticket form.
    const kenPage = await openPage(browser, t.url)
    await signIn(kenPage.page, 'ken@example.com')
    await kenPage.page.goto('/portal/new')
    await kenPage.page.getByRole('heading', { name: 'Open a new ticket' }).waitFor()
    await kenPage.page.getByLabel('Subject').fill('Error dialog on start')
    const message = kenPage.page.getByLabel('Message')
    await message.fill('This pops up every morning.')
    // The paste event a browser fires for a screenshot on the clipboard: a PNG file in clipboardData.
    await message.evaluate((el, b64) => {
      const w = globalThis as any
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const data = new w.DataTransfer()
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
      el.dispatchEvent(
        new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, PNG_BASE64)
    const toAttach = kenPage.page.getByRole('list', { name: 'Files to attach' })
    await toAttach.getByText(/^screenshot-.*\.png$/).waitFor()
    // The pasted picture did not also land in the text.
    expect((await message.innerText()).trim()).toBe('This pops up every morning.')
    expect(await seriousA11yViolations(kenPage.page)).toEqual([])
    const submit = kenPage.page.getByRole('button', { name: 'Submit ticket' })
    await kenPage.page.waitForFunction(
      () => !(globalThis as any).document.body.textContent?.includes('uploading…'),
    )
    await submit.click()
    await kenPage.page.getByRole('heading', { name: 'Error dialog on start' }).waitFor()
    const number = new URL(kenPage.page.url()).pathname.split('/').at(-1)!

    // John sees the thumbnail, and replies with a file.
    const johnPage = await openPage(browser, t.url)
    await signIn(johnPage.page, 'john@example.com')
    await johnPage.page.goto(`/agent/tickets/${number}`)
    const first = johnPage.page.getByRole('article', { name: 'From Ken Adams' })
    const thumbnail = first.getByRole('img', { name: /^Preview of screenshot-.*\.png$/ })
    await thumbnail.waitFor()
    await thumbnail.evaluate(
      (img: any) =>
        new Promise<void>((resolve) =>
          img.complete ? resolve() : img.addEventListener('load', () => resolve()),
        ),
    )
    expect(await thumbnail.evaluate((img: any) => img.naturalWidth)).toBe(2)
    await first.getByRole('link', { name: /^screenshot-.*\.png$/ }).waitFor()
    expect(await seriousA11yViolations(johnPage.page)).toEqual([])

    const steps = 'Restart the print spooler, then sign in again.\n'
    const composer = johnPage.page.getByRole('form', { name: 'Write on the thread' })
    await composer.getByLabel('Message').fill('Try the steps in the file.')
    await composer.getByLabel('Attach files').setInputFiles({
      name: 'steps.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(steps),
    })
    await composer.getByRole('list', { name: 'Files to attach' }).getByText('steps.txt').waitFor()
    // The remove button is reachable from the keyboard and named after its file.
    await composer.getByRole('button', { name: 'Remove steps.txt' }).waitFor()
    await johnPage.page.waitForFunction(
      () => !(globalThis as any).document.body.textContent?.includes('uploading…'),
    )
    await composer.getByRole('button', { name: 'Send reply' }).click()
    await johnPage.page
      .getByRole('article', { name: 'Reply from John Doe' })
      .getByRole('link', { name: 'steps.txt' })
      .waitFor()

    // Ken sees the file on the reply, and it is the file John sent.
    await kenPage.page.reload()
    const reply = kenPage.page.getByRole('article', { name: 'Reply from John Doe' })
    const link = reply.getByRole('link', { name: 'steps.txt' })
    await link.waitFor()
    await reply.getByText('47 bytes').waitFor()
    expect(await seriousA11yViolations(kenPage.page)).toEqual([])
    const href = (await link.getAttribute('href'))!
    const ken = await new Client(t.url).as('ken@example.com')
    const got = await fetch(t.url + href, { headers: { authorization: `Bearer ${ken.token}` } })
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    expect(sha(Buffer.from(await got.arrayBuffer()))).toBe(sha(Buffer.from(steps)))

    // A file dropped on the reply form is attached; its Remove button works from the keyboard.
    const replyForm = kenPage.page.locator('form.composer')
    await replyForm.evaluate((form) => {
      const w = globalThis as any
      const data = new w.DataTransfer()
      data.items.add(new File(['more detail'], 'more.txt', { type: 'text/plain' }))
      for (const type of ['dragover', 'drop'])
        form.dispatchEvent(new w.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))
    })
    const dropped = replyForm.getByRole('list', { name: 'Files to attach' })
    await dropped.getByText('more.txt').waitFor()
    await replyForm.getByRole('button', { name: 'Remove more.txt' }).focus()
    await kenPage.page.keyboard.press('Enter')
    await dropped.waitFor({ state: 'detached' })

    expect(kenPage.problems.errors).toEqual([])
    expect(johnPage.problems.errors).toEqual([])
  })
})

// The complete ticket as one story (issue 11), through the pieces built apart (attachments, formatted text,
// history, collaborators): Ken pastes a screenshot into the new-ticket form; John sees its thumbnail, raises
// the priority and reads that in the thread, adds Lena as CC, writes an internal note and replies in bold with
// a file; Ken sees the formatted reply and the file, never the note; axe-core clean on both ticket pages.
import { createHash } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

/** A 2×2 PNG, as a screenshot arrives on the clipboard. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8DAwPAfhP7//w8AH+4F+3uLQwgAAAAASUVORK5CYII='

describe('the complete ticket in Chromium', () => {
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

  const uploadsDone = (page: Page) =>
    page.waitForFunction(() => !(globalThis as any).document.body.textContent?.includes('uploading…'))

  it('carries a screenshot, history, a CC, a formatted reply with a file, and keeps the note from Ken', async () => {
    // Ken pastes a screenshot into the new-ticket form.
    const ken = await openPage(browser, t.url)
    await signIn(ken.page, 'ken@example.com')
    await ken.page.goto('/portal/new')
    await ken.page.getByLabel('Subject').fill('Login page shows an error')
    const message = ken.page.getByRole('textbox', { name: 'Message' })
    await message.fill('See the picture.')
    await message.evaluate((el, b64) => {
      const w = globalThis as any
      const data = new w.DataTransfer()
      data.items.add(
        new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }),
      )
      el.dispatchEvent(
        new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, PNG_BASE64)
    await ken.page
      .getByRole('list', { name: 'Files to attach' })
      .getByText(/^screenshot-.*\.png$/)
      .waitFor()
    await uploadsDone(ken.page)
    await ken.page.getByRole('button', { name: 'Submit ticket' }).click()
    await ken.page.getByRole('heading', { name: 'Login page shows an error' }).waitFor()
    const number = new URL(ken.page.url()).pathname.split('/').at(-1)!

    // John sees the thumbnail.
    const john = await openPage(browser, t.url)
    await signIn(john.page, 'john@example.com')
    await john.page.goto(`/agent/tickets/${number}`)
    await john.page
      .getByRole('article', { name: 'From Ken Adams' })
      .getByRole('img', { name: /^Preview of screenshot-.*\.png$/ })
      .waitFor()

    // It is an emergency: the priority goes up, and the thread says so between the messages.
    const form = john.page
      .locator('form')
      .filter({ has: john.page.getByRole('button', { name: 'Save changes' }) })
    await form.getByLabel('Priority').selectOption('emergency')
    await form.getByRole('button', { name: 'Save changes' }).click()
    await john.page.getByText('John Doe changed priority from Normal to Emergency').waitFor()

    // Lena is copied on it.
    const people = john.page.getByRole('region', { name: 'Collaborators' })
    await people.getByLabel('Add collaborator by email').fill('lena@example.com')
    await people.getByRole('button', { name: 'Add collaborator' }).click()
    await people.getByRole('list', { name: 'Collaborators' }).getByText('lena@example.com').waitFor()

    // An internal note, then a reply in bold with a file.
    const composer = john.page.getByRole('form', { name: 'Write on the thread' })
    const editor = composer.getByRole('textbox', { name: 'Message' })
    await editor.fill('Internal: the certificate expired last night.')
    await composer.getByRole('button', { name: 'Add internal note' }).click()
    await john.page.getByRole('article', { name: 'Internal note from John Doe' }).waitFor()
    await expect.poll(async () => (await editor.innerText()).trim()).toBe('')
    await editor.click()
    await john.page.keyboard.type('Fixed: ')
    await john.page.keyboard.press('Control+b')
    await john.page.keyboard.type('sign in again')
    await john.page.keyboard.press('Control+b')
    const steps = 'Clear the browser cache, then sign in.\n'
    await composer.getByLabel('Attach files').setInputFiles({
      name: 'steps.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(steps),
    })
    await uploadsDone(john.page)
    await composer.getByRole('button', { name: 'Send reply' }).click()
    const sent = john.page.getByRole('article', { name: 'Reply from John Doe' })
    await sent.frameLocator('iframe').locator('strong', { hasText: 'sign in again' }).waitFor()
    await sent.getByRole('link', { name: 'steps.txt' }).waitFor()
    expect(await seriousA11yViolations(john.page)).toEqual([])

    // Ken: the formatted reply and its file; no note, no priority.
    await ken.page.reload()
    const reply = ken.page.getByRole('article', { name: 'Reply from John Doe' })
    await reply.frameLocator('iframe').locator('strong', { hasText: 'sign in again' }).waitFor()
    const link = reply.getByRole('link', { name: 'steps.txt' })
    await link.waitFor()
    const seen = (await ken.page.locator('main').textContent()) ?? ''
    for (const hidden of ['certificate expired', 'Internal note', 'Emergency'])
      expect(seen).not.toContain(hidden)
    expect(await seriousA11yViolations(ken.page)).toEqual([])
    const kenApi = await new Client(t.url).as('ken@example.com')
    const file = await fetch(t.url + (await link.getAttribute('href'))!, {
      headers: { authorization: `Bearer ${kenApi.token}` },
    })
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    expect(sha(Buffer.from(await file.arrayBuffer()))).toBe(sha(Buffer.from(steps)))
    // Lena, copied, reads the ticket too, without the note.
    const lena = await new Client(t.url).as('lena@example.com')
    const hers = await lena.get(`/api/v1/tickets/${number}`)
    expect(hers.status).toBe(200)
    expect(JSON.stringify(hers.body)).not.toContain('certificate expired')

    expect(ken.problems.errors).toEqual([])
    expect(john.problems.errors).toEqual([])
  })
})

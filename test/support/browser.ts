// Headless Chromium (Debian's /usr/bin/chromium) through playwright-core, with the checks every
// end-to-end test wants: no console errors, no uncaught exceptions, and axe-core on the pages that matter.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`,
    )
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface Problems {
  /** Console errors and uncaught exceptions, except the ones a test said to expect. */
  errors: string[]
  /** Expect one console error whose text and URL match, e.g. the 401 of a deliberately wrong password. */
  expect(match: (text: string, url: string) => boolean): void
}

/** A browser context (its own cookies) and page whose console errors are collected. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
  })
  const page = await context.newPage()
  const expected: ((text: string, url: string) => boolean)[] = []
  const problems: Problems = {
    errors: [],
    expect: (match) => expected.push(match),
  }
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const text = message.text()
    const url = message.location().url
    const at = expected.findIndex((m) => m(text, url))
    if (at !== -1) expected.splice(at, 1)
    else problems.errors.push(`console error on ${page.url()}: ${text} (${url})`)
  })
  page.on('pageerror', (error) =>
    problems.errors.push(`uncaught exception on ${page.url()}: ${error.message}`),
  )
  page.on('dialog', (dialog) => {
    problems.errors.push(`unexpected dialog on ${page.url()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return { context, page, problems }
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** Runs axe-core on the page as it is now; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol rather than as a <script> tag, which the app's CSP would block.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(`${axeSource};0`)
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** Signs in on the sign-in page as a demo user (every demo password is the same) and waits to leave it. */
export async function signIn(page: Page, email: string, password = 'demo-password'): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

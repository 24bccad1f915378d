import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startPlaygroundPreview, type PlaygroundServer } from '../../scripts/playground-server'
import { startStack, type RunningStack } from '../../scripts/start-stack'

/** Launch flags that work on the CI machine (a container, often as root); playwright adds `--headless` and a fresh profile. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Finds Chromium: `CHROMIUM_PATH`, then `/usr/bin/chromium`, then the binary inside `@sparticuz/chromium`. */
export async function resolveChromiumPath(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist. Point it at a Chromium binary or unset it.`)
    return fromEnv
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  const { default: packaged } = await import('@sparticuz/chromium')
  // NOTE: only its executablePath(); its default args include --single-process, which crashes when a context closes.
  return packaged.executablePath()
}

/** Launches a headless Chromium with a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await resolveChromiumPath(), headless: true, args: CHROMIUM_FLAGS })
}

/** The server, its PostgreSQL, a built playground and a browser, for one e2e file. */
export interface PlaygroundFixture {
  stack: RunningStack
  playground: PlaygroundServer
  browser: Browser
  /** Uncaught errors of every page opened so far (a test can assert there were none). */
  pageErrors: string[]
  /** Opens the playground in a new browser context (a separate user) and waits until it is connected. */
  openPage(): Promise<{ context: BrowserContext; page: Page }>
  /** A connection to the fixture's PostgreSQL (one per fixture, closed by `stop()`); fails without a database. */
  database(): Promise<pg.Client>
  stop(): Promise<void>
}

/**
 * The hooks every e2e file of the playground needs, around one {@link startPlaygroundFixture}:
 * started before all tests, no uncaught page error after each, stopped after all. Returns the
 * fixture, for tests and later hooks (registered after this call, they run after its start).
 */
export function usePlaygroundFixture(options: { withoutDatabase?: boolean } = {}): () => PlaygroundFixture {
  let fixture: PlaygroundFixture | undefined
  beforeAll(async () => {
    fixture = await startPlaygroundFixture(options)
  })
  afterEach(() => {
    expect(fixture?.pageErrors).toEqual([])
  })
  afterAll(async () => {
    await fixture?.stop()
  })
  return () => {
    if (!fixture) throw new Error('The playground fixture did not start (see the beforeAll error).')
    return fixture
  }
}

/** Starts everything an e2e file needs, on free ports. Call `stop()` in `afterAll`. */
export async function startPlaygroundFixture(options: { withoutDatabase?: boolean } = {}): Promise<PlaygroundFixture> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'playground-build-'))
  const cleanups: Array<() => Promise<void>> = [() => rm(outDir, { recursive: true, force: true })]
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup()
      } catch (error) {
        console.error('e2e cleanup failed:', error)
      }
    }
  }
  try {
    const stack = await startStack({ realtimePort: 0, databasePort: 0, withoutDatabase: options.withoutDatabase ?? false })
    cleanups.push(() => stack.stop())
    const defaults = { url: stack.url, anonKey: stack.anonKey }
    const playground = await startPlaygroundPreview({ defaults: () => defaults, port: 0, outDir, logLevel: 'error' })
    cleanups.push(() => playground.close())
    const browser = await launchChromium()
    cleanups.push(() => browser.close())
    const contexts: BrowserContext[] = []
    const pageErrors: string[] = []
    let database: Promise<pg.Client> | null = null
    return {
      stack,
      playground,
      browser,
      pageErrors,
      async openPage() {
        const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
        contexts.push(context)
        const page = await context.newPage()
        page.on('pageerror', (error) => pageErrors.push(error.message))
        await page.goto(playground.url)
        await waitForText(page.getByText(/^Connection:/), /Connection: connected/, 30_000)
        return { context, page }
      },
      database() {
        database ??= (async () => {
          if (!stack.databaseUrl) throw new Error('The fixture started without PostgreSQL')
          const client = new pg.Client({ connectionString: stack.databaseUrl })
          await client.connect()
          cleanups.push(() => client.end())
          return client
        })()
        return database
      },
      async stop() {
        for (const context of contexts) await context.close().catch(() => undefined)
        await stopAll()
      },
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** Polls until `check` returns true, or fails with `message` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Waits until the locator's text matches. */
export async function waitForText(locator: Locator, expected: RegExp | string, timeoutMs = 20_000): Promise<string> {
  let last = ''
  await waitUntil(
    async () => {
      last = (await locator.first().textContent({ timeout: 1000 }).catch(() => null)) ?? ''
      return typeof expected === 'string' ? last.includes(expected) : expected.test(last)
    },
    `expected text ${String(expected)}, last seen ${JSON.stringify(last)}`,
    timeoutMs,
  )
  return last
}

/** Saves a full-page screenshot to `test-results/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve('test-results')
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Types a name and clicks Support, then waits until the chat channel is subscribed. */
export async function joinChat(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name)
  await page.getByRole('button', { name: 'Support' }).click()
  await waitForText(page.getByText(/^Chat channel:/), 'SUBSCRIBED')
}

/** The text of the chat message list. */
export async function chatLog(page: Page): Promise<string> {
  return (await page.getByRole('log', { name: 'Chat messages' }).textContent()) ?? ''
}

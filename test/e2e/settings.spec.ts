import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type RunningStack } from '../../scripts/start-stack'
import { waitForText, waitUntil, usePlaygroundFixture } from '../helpers/browser'

const fx = usePlaygroundFixture({ withoutDatabase: true })
let other: RunningStack

beforeAll(async () => {
  other = await startStack({ realtimePort: 0, withoutDatabase: true })
})

afterAll(async () => {
  await other?.stop()
})

async function pointAt(page: Page, url: string, key: string): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('textbox', { name: 'Project URL' }).fill(url)
  await page.getByRole('textbox', { name: 'Public (anon) key' }).fill(key)
  await page.getByRole('button', { name: 'Apply settings' }).click()
}

describe('settings panel', () => {
  it('explains a missing key and a bad URL without reconnecting', async () => {
    const { page, context } = await fx().openPage()
    await pointAt(page, fx().stack.url, '')
    await waitForText(page.getByRole('alert').filter({ hasText: 'Public key' }), 'Public key is required')
    await pointAt(page, 'not a url', 'abc')
    await waitForText(page.getByRole('alert').filter({ hasText: 'Project URL' }), 'Project URL is not a valid address')
    expect(await page.getByText(/^Connection:/).textContent()).toContain('connected')
    await context.close()
  })

  it('points the plugin at another project, remembers it, and chats there', async () => {
    const a = await fx().openPage()
    const b = await fx().openPage()
    for (const { page } of [a, b]) {
      await pointAt(page, other.url, other.anonKey)
      await waitForText(page.getByRole('status').filter({ hasText: 'Settings applied' }), 'reconnected')
    }
    await a.page.reload()
    await waitForText(a.page.getByText(/^Connection:/), /Connection: connected/, 30_000)
    await a.page.getByRole('tab', { name: 'Settings' }).click()
    expect(await a.page.getByRole('textbox', { name: 'Project URL' }).inputValue()).toBe(other.url)

    for (const [{ page }, name] of [[a, 'Ann'], [b, 'Ben']] as const) {
      await page.getByRole('textbox', { name: 'Your name' }).fill(name)
      await page.getByRole('button', { name: 'Support' }).click()
      await waitForText(page.getByText(/^Chat channel:/), 'SUBSCRIBED')
    }
    await a.page.getByRole('textbox', { name: 'Message' }).fill('Hello from the other project')
    await a.page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => ((await b.page.getByRole('log', { name: 'Chat messages' }).textContent()) ?? '').includes('Hello from the other project'), 'B receives the message')

    await b.page.getByRole('button', { name: 'Use local server' }).click()
    await waitForText(b.page.getByRole('status').filter({ hasText: 'local server' }), 'Using the local server')
    expect(await b.page.getByRole('textbox', { name: 'Project URL' }).inputValue()).toBe(fx().stack.url)
    await a.context.close()
    await b.context.close()
  })
})

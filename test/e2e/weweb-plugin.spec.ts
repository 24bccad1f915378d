import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLE, ROOT, buildWewebBundle } from '../../scripts/weweb-build-config'
import { SIZE_BUDGETS } from '../../scripts/weweb-size-budgets'
import { startStack, type RunningStack } from '../../scripts/start-stack'
import { signJwt } from '../../server/jwt'
import { DEFAULT_JWT_SECRET } from '../../server/options'
import { launchChromium, waitForText, waitUntil } from '../helpers/browser'
import { startWwPage, type WwPageServer } from '../helpers/ww-page-server'

// The plugin as WeWeb runs it: `weweb build` makes dist/manager.js, and a page with the project's
// own wwLib loads it through window.addWwComponent (see test/helpers/ww-page.ts).

let stack: RunningStack
let server: WwPageServer
let browser: Browser
let outDir: string
const contexts: BrowserContext[] = []
const pageErrors: string[] = []

beforeAll(async () => {
  await buildWewebBundle()
  outDir = await mkdtemp(path.join(tmpdir(), 'ww-page-'))
  stack = await startStack({ realtimePort: 0, withoutDatabase: true })
  server = await startWwPage(outDir)
  browser = await launchChromium()
}, 180_000)

afterEach(async () => {
  // NOTE: pages of one test must not stay on the channel of the next.
  for (const context of contexts.splice(0)) await context.close().catch(() => undefined)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await stack?.stop()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

async function openPage(on: Pick<RunningStack, 'url' | 'anonKey'> = stack): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1600 } })
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(`${server.url}?url=${encodeURIComponent(on.url)}&key=${encodeURIComponent(on.anonKey)}`)
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
  return page
}

async function joinSupport(page: Page, name: string): Promise<void> {
  const chat = page.getByRole('region', { name: 'Support chat' })
  await chat.getByLabel('Your name', { exact: true }).fill(name)
  await chat.getByRole('button', { name: 'Join support' }).click()
  await waitForText(chat.getByText(/^Channel:/), 'Channel: SUBSCRIBED')
  await waitForText(chat.getByText(/^Workflow:/), 'Workflow: ok')
}

async function send(page: Page, text: string): Promise<void> {
  const chat = page.getByRole('region', { name: 'Support chat' })
  await chat.getByLabel('Message', { exact: true }).fill(text)
  await chat.getByRole('button', { name: 'Send' }).click()
}

const chatLog = (page: Page) => page.getByRole('log', { name: 'Chat messages' })

describe('the built WeWeb bundle in a WeWeb-like page', () => {
  it('stays within the size budget of what WeWeb downloads (45 KB gzipped; `npm run size` says where the bytes go)', async () => {
    const gzipped = gzipSync(await readFile(path.join(ROOT, BUNDLE)), { level: 9 }).length
    expect(gzipped).toBeGreaterThan(10 * 1024)
    expect(gzipped).toBeLessThanOrEqual(SIZE_BUDGETS.manager)
  })

  it('registers a plugin whose ww-config has the settings panel, seven action forms, five triggers and eight variables', async () => {
    const page = await openPage()
    const shape = await page.evaluate(() => {
      const { registration } = window.wwPage
      const { config } = registration
      return {
        name: registration.name,
        type: registration.type,
        actions: config.actions.map((a) => [a.code, typeof a.edit, typeof a.getIsValid, a.copilot?.returns]),
        triggers: config.triggers.map((t) => t.value),
        variables: config.variables.map((v) => v.name),
        settings: config.editor.settings.map((s) => [typeof s.edit, typeof s.summary, s.onSave]),
        methods: config.actions.map((a) => typeof (registration.content as unknown as Record<string, unknown>)[a.code]),
      }
    })
    expect(shape).toEqual({
      name: 'supabase-realtime',
      type: 'plugin',
      actions: [
        ['subscribe', 'function', 'function', 'object'],
        ['broadcast', 'function', 'function', 'object'],
        ['presence', 'function', 'function', 'object'],
        ['unsubscribe', 'function', 'function', 'object'],
        ['shareCursor', 'function', 'function', 'object'],
        ['stopCursor', 'function', 'function', 'object'],
        ['setLiveState', 'function', 'function', 'object'],
      ],
      triggers: ['broadcast', 'presence', 'postgres-changes', 'channel-status', 'connection-status'],
      variables: ['connection', 'channels', 'messages', 'presence', 'changes', 'collections', 'cursors', 'liveState'],
      settings: [['function', 'function', 'onSave']],
      methods: ['function', 'function', 'function', 'function', 'function', 'function', 'function'],
    })
    // NOTE: each form fills in the manifest's defaults; only the required fields are left to the user.
    const unsubscribe = page.getByRole('region', { name: 'Action: Realtime | Unsubscribe' })
    await waitForText(unsubscribe.getByLabel('Arguments', { exact: true }), '"all":false')
    await expect.poll(() => unsubscribe.getByLabel('Validity', { exact: true }).textContent()).toBe('Invalid')
  })

  it('renders the settings panel and every action form; they take input by role and label and show the validator advice', async () => {
    const page = await openPage()
    const settings = page.getByRole('region', { name: 'Settings' })
    await settings.getByLabel('Project URL', { exact: true }).fill('xyz.supabase.co')
    await waitForText(settings, 'Project URL must start with https://')
    await expect.poll(() => settings.getByLabel('Settings validity', { exact: true }).textContent()).toBe('Settings invalid')
    await settings.getByLabel('Project URL', { exact: true }).fill(stack.url)
    await expect.poll(() => settings.getByLabel('Settings validity', { exact: true }).textContent()).toBe('Settings valid')
    await waitForText(settings.getByLabel('Settings summary', { exact: true }), stack.url.replace('http://', ''))

    const subscribe = page.getByRole('region', { name: 'Action: Realtime | Subscribe to channel' })
    await waitForText(subscribe, 'Channel name is required')
    await subscribe.getByLabel('Channel', { exact: true }).fill('support')
    await subscribe.getByRole('switch', { name: 'Private channel', exact: true }).check()
    await subscribe.getByRole('button', { name: 'Add Database changes' }).click()
    const binding = subscribe.getByRole('group', { name: 'Database changes 1' })
    await binding.getByLabel('Table', { exact: true }).fill('messages')
    await binding.getByLabel('Filter', { exact: true }).fill('room_id')
    await waitForText(subscribe, 'room_id')
    await expect.poll(() => subscribe.getByLabel('Validity', { exact: true }).textContent()).toBe('Invalid')
    expect(await subscribe.locator('.ww-realtime-advice').count()).toBeGreaterThan(0)
    await binding.getByLabel('Filter', { exact: true }).fill('room_id=eq.1')
    await expect.poll(() => subscribe.getByLabel('Validity', { exact: true }).textContent()).toBe('Valid')
    await binding.getByLabel('Event', { exact: true }).selectOption({ label: 'Insert' })
    await waitForText(subscribe.getByLabel('Arguments', { exact: true }), '"event":"INSERT"')
    expect(JSON.parse((await subscribe.getByLabel('Arguments', { exact: true }).textContent()) ?? '{}')).toMatchObject({
      channel: 'support',
      private: true,
      postgresChanges: [{ event: 'INSERT', schema: 'public', table: 'messages', filter: 'room_id=eq.1', primaryKey: 'id' }],
    })

    const broadcast = page.getByRole('region', { name: 'Action: Realtime | Broadcast a message' })
    await broadcast.getByLabel('Channel', { exact: true }).fill('support')
    await waitForText(broadcast, 'Event name is required')
    await broadcast.getByLabel('Event', { exact: true }).fill('message')
    await broadcast.getByLabel('Payload', { exact: true }).fill('{ "text": "hi" }')
    await expect.poll(() => broadcast.getByLabel('Validity', { exact: true }).textContent()).toBe('Valid')
    await waitForText(broadcast.getByLabel('Arguments', { exact: true }), '"payload":{"text":"hi"}')

    const presence = page.getByRole('region', { name: 'Action: Realtime | Presence state' })
    await presence.getByLabel('Channel', { exact: true }).fill('support')
    await expect(presence.getByLabel('State', { exact: true }).count()).resolves.toBe(1)
    await presence.getByLabel('Action', { exact: true }).selectOption({ label: 'Untrack (go offline)' })
    await waitUntil(async () => (await presence.getByLabel('State', { exact: true }).count()) === 0, 'the State field hides for Untrack')
    await expect.poll(() => presence.getByLabel('Validity', { exact: true }).textContent()).toBe('Valid')

    const unsubscribe = page.getByRole('region', { name: 'Action: Realtime | Unsubscribe' })
    await unsubscribe.getByRole('switch', { name: 'All channels', exact: true }).check()
    await waitUntil(async () => (await unsubscribe.getByLabel('Channel', { exact: true }).count()) === 0, 'the Channel field hides for All channels')
    await expect.poll(() => unsubscribe.getByLabel('Validity', { exact: true }).textContent()).toBe('Valid')
    expect(pageErrors).toEqual([])
  })

  it('runs the support chat on two pages through the built bundle: presence 2 → 1, messages both ways, the variable holds each message when its trigger fires', async () => {
    const ada = await openPage()
    const bob = await openPage()
    await joinSupport(ada, 'Ada')
    await joinSupport(bob, 'Bob')
    await waitForText(ada.getByText(/^Online:/), 'Online: 2')
    await waitForText(bob.getByText(/^Online:/), 'Online: 2')

    await send(bob, 'Hello from Bob')
    await waitForText(chatLog(ada), 'Bob: Hello from Bob')
    await waitForText(chatLog(bob), 'Bob: Hello from Bob')
    await send(ada, 'Hi Bob, Ada here')
    await waitForText(chatLog(bob), 'Ada: Hi Bob, Ada here')
    await waitForText(ada.getByRole('list', { name: 'Trigger runs' }), 'Hello from Bob (in variable: yes)')
    await waitForText(bob.getByRole('list', { name: 'Trigger runs' }), 'Hi Bob, Ada here (in variable: yes)')
    expect(await ada.evaluate(() => window.wwPage.triggerRuns.map((r) => r.inVariable))).toEqual([true])
    expect(await ada.getByText(/^Typing workflow runs:/).textContent()).toBe('Typing workflow runs: 0')

    await bob.context().close()
    await waitForText(ada.getByText(/^Online:/), 'Online: 1')
    expect(pageErrors).toEqual([])
  })

  it('follows the Supabase Auth plugin (loaded later, then a sign-in) and reconnects on save, keeping the channel', async () => {
    const ada = await openPage()
    const bob = await openPage()
    await joinSupport(ada, 'Ada')
    await joinSupport(bob, 'Bob')
    const exp = Math.floor(Date.now() / 1000) + 3600
    const first = signJwt({ sub: 'user-ada', role: 'authenticated', exp }, DEFAULT_JWT_SECRET)
    const second = signJwt({ sub: 'user-ada', role: 'authenticated', exp: exp + 60 }, DEFAULT_JWT_SECRET)
    const token = () => ada.evaluate(() => window.wwPage.plugin.instance?.client?.realtime.accessTokenValue ?? null)
    expect(await token()).toBe(stack.anonKey)

    await ada.evaluate((t) => void window.wwPage.installAuth(t), first)
    await waitUntil(async () => (await token()) === first, 'the plugin takes the token of the auth plugin that loaded later')
    await ada.evaluate((t) => window.wwPage.auth?.signIn(t), second)
    await waitUntil(async () => (await token()) === second, 'the plugin takes the token of a new sign-in')
    await send(bob, 'After sign-in')
    await waitForText(chatLog(ada), 'Bob: After sign-in')
    await waitForText(ada.getByText(/^Channel:/), 'Channel: SUBSCRIBED')

    const before = await ada.evaluate(() => window.wwPage.plugin.instance)
    expect(before).not.toBeNull()
    await ada.getByRole('region', { name: 'Settings' }).getByRole('button', { name: 'Save settings' }).click()
    await waitForText(ada.getByRole('region', { name: 'Settings' }), 'Saved (valid)')
    await waitForText(ada.getByText(/^Channel:/), 'Channel: SUBSCRIBED')
    await send(bob, 'After save')
    await waitForText(chatLog(ada), 'Bob: After save')
    expect(await token()).toBe(second)
    expect(pageErrors).toEqual([])
  })

  it('joins again as another user who signs in: the default presence key and the tracked state follow', async () => {
    const page = await openPage()
    const exp = Math.floor(Date.now() / 1000) + 3600
    const ada = signJwt({ sub: 'user-ada', role: 'authenticated', exp }, DEFAULT_JWT_SECRET)
    const bob = signJwt({ sub: 'user-bob', role: 'authenticated', exp }, DEFAULT_JWT_SECRET)
    const self = () =>
      page.evaluate(() => {
        const presence = window.wwPage.plugin.instance?.variables.presence['switch-room']
        return { key: presence?.self.key ?? null, tracked: presence?.self.tracked ?? false, name: presence?.self.state?.['name'] ?? null }
      })
    const status = () => page.evaluate(() => window.wwPage.plugin.instance?.variables.channels['switch-room']?.status ?? null)
    await page.evaluate((t) => void window.wwPage.installAuth(t), ada)
    await waitUntil(async () => (await page.evaluate(() => window.wwPage.plugin.instance?.client?.realtime.accessTokenValue)) === ada, 'the plugin takes Ada’s token')
    await page.evaluate(async () => {
      await window.wwPage.plugin.subscribe({ channel: 'switch-room' })
      await window.wwPage.plugin.presence({ channel: 'switch-room', action: 'track', state: { name: 'Shared desk' } })
    })
    expect(await self()).toEqual({ key: 'user-ada', tracked: true, name: 'Shared desk' })

    await page.evaluate((t) => window.wwPage.auth?.signIn(t), bob)
    await waitUntil(async () => (await self()).key === 'user-bob' && (await status()) === 'SUBSCRIBED', 'the channel joins again with Bob’s id as its presence key')
    await waitUntil(async () => (await self()).tracked, 'the tracked state is tracked again')
    expect(await self()).toEqual({ key: 'user-bob', tracked: true, name: 'Shared desk' })
    expect(await page.evaluate(() => window.wwPage.plugin.instance?.client?.realtime.accessTokenValue)).toBe(bob)
    expect(pageErrors).toEqual([])
  })

  it('reconnects to the project saved in the settings and joins the same channel there', async () => {
    const other = await startStack({ realtimePort: 0, withoutDatabase: true })
    try {
      const ada = await openPage()
      const cleo = await openPage(other)
      await joinSupport(ada, 'Ada')
      await joinSupport(cleo, 'Cleo')
      await waitForText(ada.getByText(/^Online:/), 'Online: 1')
      const settings = ada.getByRole('region', { name: 'Settings' })
      await settings.getByLabel('Project URL', { exact: true }).fill(other.url)
      await settings.getByLabel('Public (anon) key', { exact: true }).fill(other.anonKey)
      await settings.getByRole('button', { name: 'Save settings' }).click()
      await waitForText(settings, 'Saved (valid)')
      await waitForText(ada.getByText(/^Channel:/), 'Channel: SUBSCRIBED')
      await send(cleo, 'Hello from the other project')
      await waitForText(chatLog(ada), 'Cleo: Hello from the other project')
      expect(await ada.evaluate(() => window.wwPage.plugin.instance?.client?.realtime.endPoint ?? '')).toContain(new URL(other.url).host)
    } finally {
      await other.stop()
    }
  })

  it('without settings of its own, uses the project of the Supabase Auth plugin once that plugin loads', async () => {
    const page = await openPage({ url: '', anonKey: '' })
    const chat = page.getByRole('region', { name: 'Support chat' })
    await chat.getByLabel('Your name', { exact: true }).fill('Ada')
    await chat.getByRole('button', { name: 'Join support' }).click()
    await waitForText(chat.getByText(/^Workflow:/), 'The plugin is not configured')
    await page.evaluate((project) => void window.wwPage.installAuth(null, project), { url: stack.url, key: stack.anonKey })
    await waitUntil(() => page.evaluate(() => Boolean(window.wwPage.plugin.instance?.client)), 'the plugin connects with the auth plugin’s project')
    await joinSupport(page, 'Ada')
    await waitForText(page.getByText(/^Online:/), 'Online: 1')
  })
})

describe('the built WeWeb bundle with a database', () => {
  let dbStack: RunningStack
  let sql: pg.Client

  beforeAll(async () => {
    dbStack = await startStack({ realtimePort: 0, databasePort: 0 })
    sql = new pg.Client({ connectionString: dbStack.databaseUrl ?? '' })
    await sql.connect()
    await sql.query(`
      create policy "vip members read" on realtime.messages for select to authenticated
        using (realtime.topic() = 'vip-room' and extension in ('broadcast', 'presence'));
      create policy "vip members write" on realtime.messages for insert to authenticated
        with check (realtime.topic() = 'vip-room');
    `)
  }, 180_000)

  afterAll(async () => {
    await sql?.end()
    await dbStack?.stop()
  })

  const variable = (page: Page, name: string) => page.evaluate((id) => JSON.stringify(window.wwPage.wwLib.wwVariable.values[id] ?? null), `realtime-plugin-id-${name}`)

  it('loads a collection (rows that existed, then live changes) through the built bundle', async () => {
    await sql.query("insert into public.todos (task) values ('Written before the subscription')")
    const page = await openPage(dbStack)
    const result = await page.evaluate(() =>
      window.wwPage.plugin.subscribe({ channel: 'todo-list', postgresChanges: [{ event: '*', schema: 'public', table: 'todos', load: true }] }),
    )
    expect(result).toEqual({ channel: 'todo-list', status: 'SUBSCRIBED' })
    await waitUntil(async () => (await variable(page, 'collections')).includes('Written before the subscription'), 'the loaded rows are in the collections variable')
    await sql.query("insert into public.todos (task) values ('Added while subscribed')")
    await waitUntil(async () => (await variable(page, 'collections')).includes('Added while subscribed'), 'a live insert is in the collections variable')
    const collections = JSON.parse(await variable(page, 'collections')) as Record<string, Record<string, Array<{ task: string }>>>
    expect(collections['todo-list']?.['todos']?.map((row) => row.task)).toEqual(expect.arrayContaining(['Written before the subscription', 'Added while subscribed']))
    expect(pageErrors).toEqual([])
  })

  it("joins a private channel with the Supabase Auth plugin's token, and refuses it without", async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600
    const ada = await openPage(dbStack)
    const bob = await openPage(dbStack)
    const anon = await openPage(dbStack)
    await ada.evaluate((t) => void window.wwPage.installAuth(t), signJwt({ sub: randomUUID(), role: 'authenticated', exp }, DEFAULT_JWT_SECRET))
    await bob.evaluate((t) => void window.wwPage.installAuth(t), signJwt({ sub: randomUUID(), role: 'authenticated', exp }, DEFAULT_JWT_SECRET))
    const join = (page: Page) => page.evaluate(() => window.wwPage.plugin.subscribe({ channel: 'vip-room', private: true }).then(() => 'joined', (error: { code?: string }) => error.code ?? 'error'))
    await waitUntil(async () => (await join(ada)) === 'joined', 'Ada joins with the token of the auth plugin')
    await waitUntil(async () => (await join(bob)) === 'joined', 'Bob joins with the token of the auth plugin')
    expect(await join(anon)).toBe('PRIVATE_CHANNEL_DENIED')

    await bob.evaluate(() => window.wwPage.plugin.broadcast({ channel: 'vip-room', event: 'note', payload: { text: 'For members only' } }))
    await waitUntil(async () => (await variable(ada, 'messages')).includes('For members only'), 'Ada receives the private broadcast')
    expect(pageErrors).toEqual([])
  })
})

/**
 * A token that expires under a live chat: with access tokens lasting 3 s, a user signed in through
 * the local `/auth/v1` stays on a private channel across several refreshes made by supabase-js's own
 * auto-refresh, through the plugin sharing the client. Then sign-out and sign-in as someone else.
 */
import { randomUUID } from 'node:crypto'
import { createClient, type AuthChangeEvent, type SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { createRealtimePlugin, type RealtimePlugin } from '../../src/index'
import { createMemoryHost, type MemoryHost } from '../../src/host/memory-host'
import { nodeTransport, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'
import { startDatabaseStand, type DatabaseStand } from './db-helpers'

const EXPIRY_SECONDS = 3
let stand: DatabaseStand
let server: RealtimeServer
const disposers: Array<() => Promise<unknown>> = []

/** A supabase-js client whose auth refreshes by itself, as an app's (or WeWeb's Supabase Auth plugin's) does. */
function appClient(): SupabaseClient {
  const client = createClient(server.url, server.anonKey, {
    auth: { persistSession: false, autoRefreshToken: true, detectSessionInUrl: false },
    realtime: { transport: nodeTransport, heartbeatIntervalMs: 1000 },
  })
  disposers.push(async () => {
    await client.auth.stopAutoRefresh()
    await client.removeAllChannels()
  })
  return client
}

function pluginOn(client: SupabaseClient): { plugin: RealtimePlugin; host: MemoryHost } {
  const host = createMemoryHost({ record: 5000 })
  const plugin = createRealtimePlugin({ client, host })
  disposers.push(() => plugin.dispose())
  return { plugin, host }
}

async function newUser(name: string): Promise<{ email: string; password: string; id: string }> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`
  const password = `${name}-password`
  const admin = createClient(server.url, server.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: nodeTransport } })
  const { data, error } = await admin.auth.admin.createUser({ email, password, email_confirm: true, user_metadata: { name } })
  if (error || !data.user) throw error ?? new Error('no user')
  return { email, password, id: data.user.id }
}

const subOf = (token: string | null): unknown => JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8') || '{}').sub

beforeAll(async () => {
  stand = await startDatabaseStand({ server: { jwtExpiry: EXPIRY_SECONDS, tokenCheckIntervalMs: 100, limits: UNTHROTTLED_LIMITS } })
  server = stand.server
  await stand.sql.query(`
    create policy "signed-in users read support" on realtime.messages for select to authenticated using (realtime.topic() = 'support');
    create policy "signed-in users write support" on realtime.messages for insert to authenticated with check (realtime.topic() = 'support');
  `)
})

afterAll(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose().catch(() => undefined)
  await stand?.stop()
})

describe('token expiry under a live private channel', () => {
  it('stays subscribed across supabase-js auto-refreshes: no message lost, no channel error, presence unchanged', async () => {
    const ada = await newUser('ada')
    const client = appClient()
    const refreshed: Array<{ access: string; refresh: string }> = []
    client.auth.onAuthStateChange((event: AuthChangeEvent, session) => {
      if (event === 'TOKEN_REFRESHED' && session) refreshed.push({ access: session.access_token, refresh: session.refresh_token })
    })
    expect((await client.auth.signInWithPassword({ email: ada.email, password: ada.password })).error).toBeNull()
    const { plugin, host } = pluginOn(client)
    const watcherClient = appClient()
    const watcher = pluginOn(watcherClient)
    const bob = await newUser('bob')
    expect((await watcherClient.auth.signInWithPassword({ email: bob.email, password: bob.password })).error).toBeNull()

    await plugin.execute('subscribe', { channel: 'support', private: true, presence: { key: 'ada' } })
    await plugin.execute('presence', { channel: 'support', action: 'track', state: { name: 'Ada' } })
    await watcher.plugin.execute('subscribe', { channel: 'support', private: true, presence: { key: 'bob' } })
    await waitFor(() => watcher.plugin.variables.presence['support']?.members.some((m) => m.key === 'ada'), 10_000, 'ada online')
    const startedAt = Date.now()

    // Messages both ways until the first token has long expired and at least three refreshes happened.
    let sent = 0
    while (refreshed.length < 3 || Date.now() - startedAt < EXPIRY_SECONDS * 3000) {
      await watcher.plugin.execute('broadcast', { channel: 'support', event: 'to-ada', payload: { n: sent } })
      await plugin.execute('broadcast', { channel: 'support', event: 'to-bob', payload: { n: sent } })
      sent++
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const received = (h: MemoryHost, event: string) => h.eventsOf('broadcast').filter((e) => e.event.event === event).map((e) => (e.event.payload as { n: number }).n)
    await waitFor(() => received(host, 'to-ada').length === sent && received(watcher.host, 'to-bob').length === sent, 10_000, 'every message')
    expect(received(host, 'to-ada')).toEqual([...Array(sent).keys()])
    expect(received(watcher.host, 'to-bob')).toEqual([...Array(sent).keys()])

    expect(refreshed.length).toBeGreaterThanOrEqual(3)
    // Each refresh rotated the refresh token; every access token is Ada's.
    expect(new Set(refreshed.map((r) => r.refresh)).size).toBe(refreshed.length)
    expect(refreshed.every((r) => subOf(r.access) === ada.id)).toBe(true)
    const statuses = host.eventsOf('channel-status').map((e) => e.event.status)
    expect(statuses).toEqual(['JOINING', 'SUBSCRIBED'])
    expect(plugin.variables.channels['support']).toMatchObject({ status: 'SUBSCRIBED', error: null, reopens: 0 })
    const adaPresence = watcher.host.eventsOf('presence').filter((e) => e.event.key === 'ada')
    expect(adaPresence.map((e) => e.event.event)).toEqual(['join'])
    expect(watcher.plugin.variables.presence['support']?.members.find((m) => m.key === 'ada')?.state).toEqual({ name: 'Ada' })
  })

  it('signing out leaves the private channel with a clear status; signing in as another user rejoins as that user', async () => {
    const carol = await newUser('carol')
    const dave = await newUser('dave')
    const client = appClient()
    expect((await client.auth.signInWithPassword({ email: carol.email, password: carol.password })).error).toBeNull()
    const { plugin, host } = pluginOn(client)
    await plugin.execute('subscribe', { channel: 'support', private: true })
    await plugin.execute('presence', { channel: 'support', action: 'track', state: { name: 'Carol' } })

    await client.auth.signOut()
    await waitFor(() => plugin.variables.channels['support']?.status === 'CLOSED', 15_000, 'channel closed at sign-out')
    expect(plugin.variables.channels['support']?.error).toMatchObject({ code: 'PRIVATE_CHANNEL_DENIED', message: expect.stringContaining('You no longer have permission to read from this Channel topic: support') })
    // Reopened while signed out, the join is refused with the same clear reason.
    await waitFor(() => plugin.variables.channels['support']?.status === 'CHANNEL_ERROR', 15_000, 'join refused while signed out')
    expect(plugin.variables.channels['support']?.error).toMatchObject({ code: 'PRIVATE_CHANNEL_DENIED' })

    expect((await client.auth.signInWithPassword({ email: dave.email, password: dave.password })).error).toBeNull()
    await waitFor(() => plugin.variables.channels['support']?.status === 'SUBSCRIBED', 20_000, 'rejoined as dave')
    expect(subOf(client.realtime.accessTokenValue)).toBe(dave.id)
    expect(plugin.variables.channels['support']).toMatchObject({ error: null, resumed: true })
    await expect(plugin.execute('broadcast', { channel: 'support', event: 'hello', payload: { from: 'dave' } })).resolves.toEqual({ status: 'ok' })
    const statuses = host.eventsOf('channel-status').map((e) => e.event.status)
    expect(statuses.slice(0, 3)).toEqual(['JOINING', 'SUBSCRIBED', 'CLOSED'])
    expect(statuses.at(-1)).toBe('SUBSCRIBED')
    expect(statuses.slice(2, -1).every((status) => status === 'CLOSED' || status === 'JOINING' || status === 'CHANNEL_ERROR')).toBe(true)
  })
})


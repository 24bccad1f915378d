/**
 * A Supabase client the app shares with the plugin: the plugin checks the link on its own,
 * without changing the app's heartbeat callback, and N plugin instances cause one token refresh
 * per heartbeat. Real sockets through a TCP fault stand.proxy.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRealtimePlugin, type RealtimePlugin } from '../../src/index'
import { startFaultStand, type FaultStand } from '../helpers/fault-stand'
import { createTestClient, waitFor } from '../helpers/server-fixture'
import { userJwt } from './db-helpers'

let stand: FaultStand
const plugins: RealtimePlugin[] = []
const clients: SupabaseClient[] = []

beforeEach(async () => {
  stand = await startFaultStand()
})

afterEach(async () => {
  await Promise.all(plugins.splice(0).map((p) => p.dispose()))
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()))
  await stand.stop()
})

/** The app's client, with a slow heartbeat of its own and counters for heartbeats and token fetches. */
function appClient(url: string) {
  const counts = { sent: 0, tokens: 0, callbacks: 0 }
  const token = userJwt(stand.server.jwtSecret, 'user-1')
  const client = createTestClient(
    { url, anonKey: stand.server.anonKey },
    {
      accessToken: token,
      realtime: {
        heartbeatIntervalMs: 60_000,
        heartbeatCallback: (status) => {
          counts.callbacks++
          if (status === 'sent') counts.sent++
        },
      },
    },
  )
  const fetchToken = client.realtime.accessToken
  client.realtime.accessToken = () => {
    counts.tokens++
    return fetchToken ? fetchToken() : Promise.resolve(token)
  }
  clients.push(client)
  return { client, counts }
}

describe('shared client', () => {
  it('N plugin instances cause exactly one token refresh per heartbeat, and the app callback is kept', async () => {
    const { client, counts } = appClient(stand.server.url)
    const appCallback = client.realtime.heartbeatCallback
    for (let i = 0; i < 3; i++) {
      const plugin = createRealtimePlugin({ client, heartbeatIntervalMs: 200, wakeEvents: null })
      plugins.push(plugin)
      await plugin.execute('subscribe', { channel: `shared-${i}` })
    }
    await new Promise((r) => setTimeout(r, 300))
    counts.sent = 0
    counts.tokens = 0
    await new Promise((r) => setTimeout(r, 2000))
    // One liveness check per client: about one heartbeat per 200 ms, not three.
    expect(counts.sent).toBeGreaterThanOrEqual(3)
    expect(counts.sent).toBeLessThanOrEqual(12)
    expect(counts.tokens).toBe(counts.sent)
    expect(client.realtime.heartbeatCallback).toBe(appCallback)
    await Promise.all(plugins.splice(0).map((p) => p.dispose()))
    expect(client.realtime.heartbeatCallback).toBe(appCallback)
  })

  it('finds a half-open link within two plugin intervals although the app heartbeat is slow', async () => {
    const { client } = appClient(stand.proxy.url)
    const plugin = createRealtimePlugin({ client, heartbeatIntervalMs: 300, wakeEvents: null })
    plugins.push(plugin)
    const channel = 'shared-half-open'
    await plugin.execute('subscribe', { channel })
    await waitFor(() => plugin.variables.connection.status === 'connected', 5000, 'connected')
    await new Promise((r) => setTimeout(r, 500))

    stand.proxy.blackhole()
    const lostAt = Date.now()
    await waitFor(() => plugin.variables.connection.status === 'reconnecting', 5000, 'reconnecting')
    expect(Date.now() - lostAt).toBeLessThanOrEqual(2 * 300 + 1000)
    await waitFor(() => plugin.variables.channels[channel]?.status !== 'SUBSCRIBED', 2000, 'channel not SUBSCRIBED')
    stand.proxy.restore()
    await waitFor(() => plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 12_000, 'back')
    expect(plugin.variables.channels[channel]?.resumed).toBe(true)
  })
})

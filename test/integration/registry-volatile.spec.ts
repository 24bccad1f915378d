/**
 * The registry's unacknowledged ("volatile") broadcast on the real stack: supabase-js against the
 * local server. It reaches the other subscribers, needs no reply, and leaves nothing behind on the
 * sender's channel (no push waiting for a reply).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { toChannelConfig } from '../../actions/subscribe-to-channel'
import { ChannelRegistry, type ReceivedBroadcast, type RegistryListener } from '../../src/core/channel-registry'
import { createTestClient, startTestServer, waitFor } from '../helpers/server-fixture'

let server: RealtimeServer
const clients: SupabaseClient[] = []
const registries: ChannelRegistry[] = []

beforeAll(async () => {
  server = await startTestServer()
})

afterAll(async () => {
  for (const registry of registries) await registry.dispose()
  for (const client of clients) await client.realtime.disconnect()
  await server.stop()
})

function registryWith(received: ReceivedBroadcast[], reservedPrefix?: string): ChannelRegistry {
  const client = createTestClient(server)
  clients.push(client)
  const listener: RegistryListener = {
    onChannelState: () => {},
    onBroadcast: (_name, message) => void received.push(message),
    onReservedBroadcast: (_name, message) => void received.push({ ...message, event: `reserved ${message.event}` }),
    onPresence: () => {},
    onPostgresChange: () => {},
    onLog: () => {},
  }
  const registry = new ChannelRegistry({ client, listener, fallbackPresenceKey: 'test', ...(reservedPrefix ? { reservedPrefix } : {}) })
  registries.push(registry)
  return registry
}

describe('volatile broadcast', () => {
  it('reaches another subscriber without an acknowledgement, routed by its reserved prefix', async () => {
    const got: ReceivedBroadcast[] = []
    const sender = registryWith([])
    const receiver = registryWith(got, 'live:')
    const config = toChannelConfig({ channel: 'volatile-room', broadcast: { ack: true } })
    await receiver.subscribe(config)
    await sender.subscribe(config)
    expect(sender.sendVolatile('volatile-room', 'live:cursor', { x: 1, y: 2 })).toBe(true)
    expect(sender.sendVolatile('not-subscribed', 'live:cursor', { x: 1 })).toBe(false)
    await waitFor(() => got.length >= 1, 5000, 'the volatile message')
    expect(got).toEqual([{ event: 'reserved live:cursor', payload: { x: 1, y: 2 }, id: null, replayed: false, self: false }])
    // NOTE: phoenix-js internals (docs/realtime-protocol.md §1.4): a Push keeps a `chan_reply_<ref>` binding until answered.
    const sdkChannel = clients[0]?.getChannels().find((c) => c.topic === 'realtime:volatile-room') as unknown as { channelAdapter: { channel: { pushBuffer: unknown[]; bindings: { event: string }[] } } } | undefined
    const inner = sdkChannel?.channelAdapter.channel
    expect(inner?.bindings.length).toBeGreaterThan(0)
    expect(inner?.pushBuffer).toEqual([])
    expect(inner?.bindings.filter((binding) => binding.event.startsWith('chan_reply_'))).toEqual([])
  })
})

/**
 * The server's message counters on the real stack: supabase-js clients broadcast over the socket
 * and over REST; `server.stats()` and `GET /_local/v1/stats` count what was received and delivered.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { createTestClient, startTestServer, waitFor } from '../helpers/server-fixture'

function subscribed(channel: RealtimeChannel): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve(channel)
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(error ?? new Error(status))
    })
  })
}

describe('server message counters', () => {
  let server: RealtimeServer
  let clients: SupabaseClient[] = []

  const member = async (room: string, onPing: () => void = () => undefined): Promise<RealtimeChannel> => {
    const client = createTestClient(server)
    clients.push(client)
    const channel = client.channel(room, { config: { broadcast: { ack: true } } }).on('broadcast', { event: 'ping' }, onPing)
    return subscribed(channel)
  }

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.removeAllChannels()))
    clients = []
    await server.stop()
  })

  describe('with room under the budget', () => {
    beforeEach(async () => {
      server = await startTestServer()
    })

    it('counts socket and REST broadcasts received and every copy delivered', async () => {
      let arrived = 0
      const sender = await member('counted', () => arrived++)
      await member('counted', () => arrived++)
      await member('counted', () => arrived++)
      const before = server.stats()
      for (let i = 0; i < 5; i++) expect(await sender.send({ type: 'broadcast', event: 'ping', payload: { i } })).toBe('ok')
      expect(await sender.httpSend('ping', { rest: true })).toMatchObject({ success: true })
      await waitFor(() => arrived === 5 * 2 + 3, 5000, 'every copy')
      const after = server.stats()
      expect(after.receivedBySource.socket - before.receivedBySource.socket).toBe(5)
      expect(after.receivedBySource.rest - before.receivedBySource.rest).toBe(1)
      expect(after.received - before.received).toBe(6)
      expect(after.delivered - before.delivered).toBe(13)
      // NOTE: the limiter counts one event per message in and one per channel of the topic.
      expect(after.limiterEvents - before.limiterEvents).toBe(6 * 4)
      expect(after.rateLimited).toBe(0)
      expect(after.eventsPerSecond).toBeGreaterThan(0)
      expect(after.maxEventsPerSecond).toBe(100)
    })

    it('answers GET /_local/v1/stats with the same counters for the service role key only', async () => {
      let arrived = 0
      const sender = await member('http-counted')
      await member('http-counted', () => arrived++)
      expect(await sender.send({ type: 'broadcast', event: 'ping', payload: {} })).toBe('ok')
      await waitFor(() => arrived === 1, 5000, 'the copy')
      const url = `${server.url}/_local/v1/stats`
      const ok = await fetch(url, { headers: { authorization: `Bearer ${server.serviceRoleKey}` } })
      expect(ok.status).toBe(200)
      const body = (await ok.json()) as Record<string, unknown>
      expect(body).toMatchObject({ tenant: 'realtime-dev', received: 1, delivered: 1, receivedBySource: { socket: 1, rest: 0, database: 0 } })
      expect((await fetch(url, { headers: { apikey: server.serviceRoleKey } })).status).toBe(200)
      expect((await fetch(url)).status).toBe(401)
      expect((await fetch(url, { headers: { authorization: 'Bearer not-a-jwt' } })).status).toBe(401)
      expect((await fetch(url, { headers: { apikey: server.anonKey } })).status).toBe(403)
      expect((await fetch(url, { method: 'POST', headers: { apikey: server.serviceRoleKey } })).status).toBe(405)
    })
  })

  describe('with a budget the room exceeds', () => {
    beforeEach(async () => {
      server = await startTestServer({ limits: { maxEventsPerSecond: 5, rateWindowMs: 1000 } })
    })

    it('counts the refused broadcast and the channels it shut', async () => {
      const sender = await member('over-budget')
      await member('over-budget')
      const system: string[] = []
      sender.on('system', {}, (payload: { message?: string }) => system.push(payload.message ?? ''))
      // NOTE: 3 events per message (in, plus both channels of the topic): the second exceeds 5 in 1 s.
      expect(await sender.send({ type: 'broadcast', event: 'ping', payload: { i: 1 } })).toBe('ok')
      // NOTE: a refused message gets no ack; the count is what this test waits for.
      void sender.send({ type: 'broadcast', event: 'ping', payload: { i: 2 } })
      await waitFor(() => server.stats().rateLimited > 0, 5000, 'the limiter to refuse a message')
      expect(server.stats()).toMatchObject({ received: 2, delivered: 1, limiterEvents: 6, rateLimited: 1, channelsShut: 2, peakEventsPerSecond: 6 })
      await waitFor(() => system.includes('Too many messages per second'), 5000, 'the system message')
    })
  })
})

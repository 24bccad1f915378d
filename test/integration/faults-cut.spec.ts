/**
 * Abrupt cuts (TCP reset) and a sender's short blip: the plugin rejoins, and broadcasts sent while
 * the link was down are delivered once and resolved once. Real sockets through a TCP fault proxy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFaultStand, type FaultStand } from '../helpers/fault-stand'
import type { TestPlugin } from '../helpers/plugin-fixture'
import { waitFor } from '../helpers/server-fixture'

let stand: FaultStand

beforeEach(async () => {
  stand = await startFaultStand({ plugin: { heartbeatIntervalMs: 300 } })
})

afterEach(() => stand.stop())

const texts = (t: TestPlugin, channel: string) => (t.plugin.variables.messages[channel] ?? []).map((m) => (m.payload as { n: number }).n)

describe('cut with a TCP reset', () => {
  it('reports the loss at once and rejoins with a resume signal', async () => {
    const a = stand.throughProxy()
    const channel = 'cut'
    await a.plugin.execute('subscribe', { channel })
    stand.proxy.cut()
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'CHANNEL_ERROR', 2000, 'channel error')
    expect(a.plugin.variables.connection.status).toBe('reconnecting')
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 5000, 'rejoined')
    expect(a.plugin.variables.channels[channel]).toMatchObject({ resumed: true, error: null })
    await waitFor(() => a.plugin.variables.connection.status === 'connected', 2000, 'connected')
    expect(a.plugin.variables.connection.reconnects).toBe(1)
  })
})

describe('broadcast during an outage', () => {
  it('delivers once and resolves once the broadcasts run while the sender link was held for 1.5 s', async () => {
    const sender = stand.throughProxy()
    const receiver = stand.direct()
    const channel = 'sender-blip'
    await sender.plugin.execute('subscribe', { channel })
    await receiver.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('broadcast', { channel, event: 'message', payload: { n: 0 } })

    stand.proxy.blackhole()
    const pending = [1, 2, 3].map((n) => sender.plugin.execute('broadcast', { channel, event: 'message', payload: { n }, timeoutMs: 10_000 }))
    let settled = 0
    for (const p of pending) void p.then(() => settled++, () => settled++)
    await new Promise((r) => setTimeout(r, 1500))
    expect(settled).toBe(0)
    stand.proxy.restore()

    const results = await Promise.all(pending)
    expect(results).toEqual([{ status: 'ok' }, { status: 'ok' }, { status: 'ok' }])
    await waitFor(() => texts(receiver, channel).length >= 4, 5000, 'four messages')
    await new Promise((r) => setTimeout(r, 500))
    expect(texts(receiver, channel).sort()).toEqual([0, 1, 2, 3])
    // The sender shows each of its own messages once too.
    expect(texts(sender, channel).sort()).toEqual([0, 1, 2, 3])
    expect(sender.plugin.variables.messages[channel]?.every((m) => m.self)).toBe(true)
  })

  it('fails after timeoutMs with a fix that says the connection is down, never resolving before an ack', async () => {
    const sender = stand.throughProxy()
    const channel = 'sender-down'
    await sender.plugin.execute('subscribe', { channel })
    stand.proxy.refuse()
    await waitFor(() => sender.plugin.variables.channels[channel]?.status !== 'SUBSCRIBED', 2000, 'lost')
    const began = Date.now()
    const error = await sender.plugin.execute('broadcast', { channel, event: 'message', payload: { n: 1 }, timeoutMs: 800 }).catch((e: unknown) => e)
    expect(Date.now() - began).toBeGreaterThanOrEqual(790)
    expect(error).toMatchObject({ code: 'SEND_TIMED_OUT', field: 'timeoutMs' })
    expect((error as { fix: string }).fix).toMatch(/connection is down/i)
    expect(sender.plugin.variables.messages[channel] ?? []).toEqual([])
  })
})

describe('own messages by id', () => {
  it('marks self by message id: the same payload from two users is self only for its sender', async () => {
    const ada = stand.direct()
    const bob = stand.direct()
    const channel = 'same-payload'
    await ada.plugin.execute('subscribe', { channel })
    await bob.plugin.execute('subscribe', { channel })
    await Promise.all([
      ada.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'hi' } }),
      bob.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'hi' } }),
    ])
    await waitFor(() => ada.plugin.variables.messages[channel]?.length === 2 && bob.plugin.variables.messages[channel]?.length === 2, 5000, 'both messages on both sides')
    for (const side of [ada, bob]) {
      const list = side.plugin.variables.messages[channel] ?? []
      expect(list.map((m) => m.self).sort()).toEqual([false, true])
      expect(list.map((m) => m.payload)).toEqual([{ text: 'hi' }, { text: 'hi' }])
    }
    const adaOwn = ada.plugin.variables.messages[channel]?.find((m) => m.self)?.id
    const bobOwn = bob.plugin.variables.messages[channel]?.find((m) => m.self)?.id
    expect(adaOwn).not.toBe(bobOwn)
    // Each side's own message is the other side's foreign one, by id.
    expect(bob.plugin.variables.messages[channel]?.find((m) => m.id === adaOwn)?.self).toBe(false)
    expect(ada.plugin.variables.messages[channel]?.find((m) => m.id === bobOwn)?.self).toBe(false)
  })
})

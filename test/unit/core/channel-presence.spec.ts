import type { RealtimeChannel } from '@supabase/supabase-js'
import { describe, expect, it } from 'vitest'
import { ChannelPresenceTracker } from '../../../src/core/channel-presence'
import type { PresenceChange } from '../../../src/core/presence-fold'
import type { ChannelPresence } from '../../../src/core/types'

/** A stand-in for the presence side of a supabase-js channel: records handlers, answers track/untrack. */
function fakeChannel() {
  const handlers = new Map<string, (payload: Record<string, unknown>) => void>()
  const tracked: unknown[] = []
  const channel = {
    on(_type: string, filter: { event: string }, cb: (payload: Record<string, unknown>) => void) {
      handlers.set(filter.event, cb)
      return channel
    },
    track(state: unknown) {
      tracked.push(state)
      return Promise.resolve('ok')
    },
    untrack() {
      tracked.push(null)
      return Promise.resolve('ok')
    },
  }
  const emit = (event: string, payload: Record<string, unknown> = {}) => handlers.get(event)?.(payload)
  return { channel: channel as unknown as RealtimeChannel, emit, tracked }
}

function tracker(status: 'SUBSCRIBED' | 'CHANNEL_ERROR' = 'SUBSCRIBED') {
  const fake = fakeChannel()
  const published: { view: ChannelPresence; changes: readonly PresenceChange[]; synced: boolean }[] = []
  const t = new ChannelPresenceTracker(
    'chat',
    'ada',
    { status: () => status, whenJoined: () => (status === 'SUBSCRIBED' ? Promise.resolve(fake.channel) : Promise.reject(new Error('down'))), untilClosed: (w) => w, log: () => {} },
    (view, changes, synced) => published.push({ view, changes, synced }),
  )
  t.bind(fake.channel, () => true)
  return { t, fake, published }
}

describe('channel presence tracker', () => {
  it('folds join/leave events into members on sync and reports what changed', () => {
    const { fake, published } = tracker()
    fake.emit('join', { key: 'ada', newPresences: [{ presence_ref: 'r1', name: 'Ada' }] })
    fake.emit('join', { key: 'bob', newPresences: [{ presence_ref: 'r2', name: 'Bob' }] })
    fake.emit('sync')
    const last = published.at(-1)
    expect(last?.synced).toBe(true)
    expect(last?.changes.map((c) => [c.event, c.key])).toEqual([
      ['join', 'ada'],
      ['join', 'bob'],
    ])
    expect(JSON.parse(JSON.stringify(last?.view))).toEqual({
      count: 2,
      self: { key: 'ada', tracked: false, state: null },
      members: [
        { key: 'ada', state: { name: 'Ada' }, metas: [{ name: 'Ada' }], connections: 1 },
        { key: 'bob', state: { name: 'Bob' }, metas: [{ name: 'Bob' }], connections: 1 },
      ],
    })
  })

  it('tracks, waits for its own echo, and sends the state again after a rejoin', async () => {
    const { t, fake, published } = tracker()
    const done = t.update({ name: 'Ada' }, 1000, true)
    await Promise.resolve()
    fake.emit('join', { key: 'ada', newPresences: [{ presence_ref: 'r1', name: 'Ada' }] })
    fake.emit('sync')
    await done
    expect(t.current().self).toEqual({ key: 'ada', tracked: true, state: { name: 'Ada' } })
    expect(published.some((p) => !p.synced && p.view.self.tracked)).toBe(true)
    await t.rejoined(fake.channel)
    expect(fake.tracked).toEqual([{ name: 'Ada' }, { name: 'Ada' }])
  })

  it('keeps the wanted state while the channel is down and explains the failure', async () => {
    const { t } = tracker('CHANNEL_ERROR')
    await expect(t.update({ v: 1 }, 50, true)).rejects.toMatchObject({ code: 'PRESENCE_FAILED', field: 'channel' })
    expect(t.current().self).toEqual({ key: 'ada', tracked: true, state: { v: 1 } })
  })
})

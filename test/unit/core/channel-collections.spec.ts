/**
 * The collections of one channel (src/core/channel-collections.ts) following a real channel
 * registry over a fake supabase-js channel (test/helpers/fake-realtime.ts): the first load, the
 * changes held while it runs, `stale` and the reload after a gap (error or close by the server,
 * then rejoin), and new bindings. The real stack is covered by test/integration/collection-load.spec.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { toChannelConfig, type SubscribeInput } from '../../../actions/subscribe-to-channel'
import { ChannelCollections, type ChannelGap, type CollectionsSink } from '../../../src/core/channel-collections'
import { ChannelRegistry } from '../../../src/core/channel-registry'
import type { Row } from '../../../src/core/types'
import { createRealtimeState } from '../../../src/store/realtime-state'
import { createFakeRealtime, type FakeRealtime } from '../../helpers/fake-realtime'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

let registry: ChannelRegistry | null = null

function setup(name = 'items-room') {
  const fake: FakeRealtime = createFakeRealtime()
  registry = new ChannelRegistry({
    client: fake.client,
    fallbackPresenceKey: 'me',
    reopenAfterMs: () => 5,
    listener: {
      onChannelState: () => {},
      onBroadcast: () => {},
      onPresence: () => {},
      // What the runtime does with a row change: hand it to the channel's collections.
      onPostgresChange: (_name, payload, binding, companion) =>
        collections.change(payload, binding, companion, { event: payload.eventType, new: payload.new as Row, old: payload.old as Row }),
      onLog: () => {},
    },
  })
  const r = registry
  const state = createRealtimeState(200)
  const gaps: ChannelGap[] = []
  let statusChanges = 0
  const sink: CollectionsSink = {
    replace: (table, rows, rule) => state.replaceCollection(name, table, rows, rule),
    apply: (table, change, rule) => state.applyRowChange(name, table, change, rule),
    maintain: (table, change) => state.maintainCollection(name, table, change),
    drop: () => state.dropCollections(name),
    rowsChanged: () => {},
    statusChanged: () => void statusChanges++,
    gap: (gap) => void gaps.push(gap),
    log: () => {},
  }
  const collections = new ChannelCollections(name, fake.client, { view: () => r.get(name), watch: (listener) => r.watch(name, listener) }, sink)
  const rows = () => state.collections.value[name]?.['items'] ?? []

  /** Subscribes through the registry, lets the server confirm the database changes, then starts the loads. */
  async function subscribe(input: Omit<SubscribeInput, 'channel'>): Promise<void> {
    const config = toChannelConfig({ channel: name, ...input })
    collections.configure(config, r.get(name)?.config)
    const subscribing = r.subscribe(config)
    await tick()
    fake.channel(name).join(true)
    await subscribing
    void collections.subscribed(config)
    await tick()
  }
  return { fake, collections, state, gaps, rows, subscribe, statusChanges: () => statusChanges }
}

const LOADED = { postgresChanges: [{ event: '*' as const, table: 'items', load: true }] }

afterEach(async () => {
  await registry?.dispose()
  registry = null
})

describe('channel collections', () => {
  it('loads the rows once the database changes are confirmed, applying changes held during the load on top', async () => {
    const t = setup()
    await t.subscribe(LOADED)
    expect(t.fake.loads.map((l) => l.table)).toEqual(['items'])
    expect(t.collections.overlay()).toMatchObject({ stale: false, collections: { items: { loading: true } } })
    t.fake.channel('items-room').change('items', 'UPDATE', { id: 2, title: 'two, edited' })
    t.fake.channel('items-room').change('items', 'DELETE', {}, { id: 1 })
    t.fake.loads[0]?.answer([{ id: 1, title: 'one' }, { id: 2, title: 'two' }])
    await tick()
    expect(t.rows()).toEqual([{ id: 2, title: 'two, edited' }])
    expect(t.collections.overlay()).toMatchObject({ stale: false, collections: { items: { loading: false, error: null } } })
    expect(t.collections.overlay().collections?.['items']?.loadedAt).toEqual(expect.any(Number))
  })

  it('marks the collections stale after a lost link, and reloads once the rejoined channel confirms its database changes', async () => {
    const t = setup()
    await t.subscribe(LOADED)
    t.fake.loads[0]?.answer([{ id: 1 }])
    await tick()
    const channel = t.fake.channel('items-room')
    channel.error('socket closed')
    channel.join()
    expect(t.collections.overlay().stale).toBe(true)
    await tick()
    expect(t.gaps).toEqual([{ channel: 'items-room', downtimeMs: expect.any(Number), lastMessageAt: null, tables: ['items'] }])
    expect(t.fake.loads).toHaveLength(1)
    channel.system({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL' })
    await tick()
    expect(t.fake.loads).toHaveLength(2)
    t.fake.loads[1]?.answer([{ id: 1 }, { id: 3 }])
    await tick()
    expect(t.rows()).toEqual([{ id: 1 }, { id: 3 }])
    expect(t.collections.overlay().stale).toBe(false)
  })

  it('reloads after the server closed the channel and it was reopened', async () => {
    const t = setup()
    await t.subscribe(LOADED)
    t.fake.loads[0]?.answer([{ id: 1 }])
    await tick()
    t.fake.channel('items-room').closeByServer()
    await new Promise((resolve) => setTimeout(resolve, 30))
    t.fake.channel('items-room').join(true)
    expect(t.collections.overlay().stale).toBe(true)
    await tick()
    expect(t.gaps).toHaveLength(1)
    expect(t.fake.loads).toHaveLength(2)
    t.fake.loads[1]?.answer([{ id: 9 }])
    await tick()
    expect(t.rows()).toEqual([{ id: 9 }])
    expect(t.collections.overlay().stale).toBe(false)
  })

  it('keeps a channel without loads stale after a gap until told the rows are fresh', async () => {
    const t = setup()
    await t.subscribe({ postgresChanges: [{ event: '*', table: 'items' }] })
    expect(t.fake.loads).toEqual([])
    t.fake.channel('items-room').error('socket closed')
    t.fake.channel('items-room').join(true)
    await tick()
    expect(t.gaps).toHaveLength(1)
    expect(t.collections.overlay()).toEqual({ stale: true })
    const before = t.statusChanges()
    t.collections.markFresh()
    expect(t.collections.overlay()).toEqual({ stale: false })
    expect(t.statusChanges()).toBe(before + 1)
  })

  it('drops the rows kept for other bindings when the channel is subscribed with new ones', async () => {
    const t = setup()
    await t.subscribe(LOADED)
    t.fake.loads[0]?.answer([{ id: 1 }])
    await tick()
    t.collections.configure(toChannelConfig({ channel: 'items-room', postgresChanges: [{ event: '*', table: 'items', filter: 'id=eq.1', load: true }] }), registry?.get('items-room')?.config)
    expect(t.state.collections.value['items-room']).toBeUndefined()
  })
})

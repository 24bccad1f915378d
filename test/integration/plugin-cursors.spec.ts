/**
 * Shared cursors end to end on the local server with the real supabase-js client: plugin instances
 * created with createRealtimePlugin, each with a window stand-in whose `pointermove` events drive
 * `shareCursor`. The server's message counters (`server.stats()`) say what the room cost.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { isRealtimePluginError, type RealtimePluginError } from '../../src/index'
import { createTestPluginPool, type TestPlugin, type TestPluginOptions } from '../helpers/plugin-fixture'
import { PointerWindowStandIn } from '../helpers/pointer-window-stand-in'
import { startTestServer, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'

const ROOM = 'board'
const plugins = createTestPluginPool()
let server: RealtimeServer | null = null

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

afterEach(async () => {
  await plugins.disposeAll()
  await server?.stop()
  server = null
})

async function start(limits: Parameters<typeof startTestServer>[0] = {}): Promise<RealtimeServer> {
  server = await startTestServer(limits)
  return server
}

/** A member of the room: a plugin with its own window stand-in, subscribed and tracked under `key`. */
interface Member {
  key: string
  t: TestPlugin
  window: PointerWindowStandIn
}

async function join(on: RealtimeServer, key: string, options: TestPluginOptions & { width?: number; height?: number } = {}): Promise<Member> {
  const { width = 1000, height = 800, ...pluginOptions } = options
  const window = new PointerWindowStandIn(width, height)
  const t = plugins.create(on, { window, ...pluginOptions })
  await t.plugin.execute('subscribe', { channel: ROOM, presence: { key } })
  await t.plugin.execute('presence', { channel: ROOM, action: 'track', state: { name: key } })
  return { key, t, window }
}

async function room(on: RealtimeServer, size: number, options: TestPluginOptions = {}): Promise<Member[]> {
  const members: Member[] = []
  for (let i = 0; i < size; i++) members.push(await join(on, `member-${i}`, options))
  await waitFor(() => members.every((m) => m.t.plugin.variables.presence[ROOM]?.count === size), 10_000, `${size} members in presence`)
  return members
}

/** Moves every member's pointer along its own circle at `hz`, until the returned function is called. */
function moveContinuously(members: Member[], hz = 60): () => void {
  let step = 0
  const timer = setInterval(() => {
    step++
    for (const [i, m] of members.entries()) {
      const angle = step / 20 + i
      m.window.move(m.window.innerWidth * (0.5 + 0.3 * Math.cos(angle)), m.window.innerHeight * (0.5 + 0.3 * Math.sin(angle)))
    }
  }, 1000 / hz)
  return () => clearInterval(timer)
}

const cursorsOf = (m: Member) => m.t.plugin.variables.cursors[ROOM] ?? []
const intervalOf = (m: Member) => m.t.plugin.variables.channels[ROOM]?.liveIntervalMs ?? null
const chatFrom = (m: Member) => (m.t.plugin.variables.messages[ROOM] ?? []).filter((msg) => msg.event === 'chat' && !msg.self)

describe('shared cursors', () => {
  it('keeps five members moving for 10 s under the default budget, with every channel open and every chat message delivered', async () => {
    const on = await start()
    const members = await room(on, 5)
    for (const m of members) await expect(m.t.plugin.execute('shareCursor', { channel: ROOM, label: m.key })).resolves.toMatchObject({ status: 'sharing' })
    const before = on.stats()
    const stop = moveContinuously(members)
    const chats: Array<Promise<unknown>> = []
    try {
      for (let second = 1; second <= 10; second++) {
        await sleep(1000)
        // NOTE: two chat messages per member, sent while the cursors flow.
        if (second === 3 || second === 7) {
          for (const m of members) chats.push(m.t.plugin.execute('broadcast', { channel: ROOM, event: 'chat', payload: { from: m.key, second } }))
        }
      }
      await expect(Promise.all(chats)).resolves.toEqual(Array.from({ length: 10 }, () => ({ status: 'ok' })))
      for (const m of members) expect(cursorsOf(m).map((c) => c.key).sort()).toEqual(members.filter((o) => o !== m).map((o) => o.key))
    } finally {
      stop()
    }
    const after = on.stats()
    const seconds = (after.at - before.at) / 1000
    const eventsPerSecond = (after.limiterEvents - before.limiterEvents) / seconds
    expect(eventsPerSecond).toBeLessThanOrEqual(after.maxEventsPerSecond)
    expect((after.received - before.received + after.delivered - before.delivered) / seconds).toBeLessThanOrEqual(after.maxEventsPerSecond)
    // NOTE: the cursors did flow: every member sent more than one message per second.
    expect((after.receivedBySource.socket - before.receivedBySource.socket) / seconds / members.length).toBeGreaterThan(1)
    expect(after.channelsShut).toBe(0)
    expect(after.rateLimited).toBe(0)
    for (const m of members) {
      expect(m.t.plugin.variables.channels[ROOM]).toMatchObject({ status: 'SUBSCRIBED', reopens: 0 })
      await waitFor(() => chatFrom(m).length === 8, 5000, `${m.key} to get every chat message`)
      expect(new Set(chatFrom(m).map((msg) => (msg.payload as { from: string }).from))).toEqual(new Set(members.filter((o) => o !== m).map((o) => o.key)))
    }
  }, 60_000)

  it('recovers by itself when the server budget is below what the room needs: channels, presence and chat come back on a wider interval', async () => {
    const on = await start({ limits: { maxEventsPerSecond: 30, rateWindowMs: 1000 } })
    const members = await room(on, 3)
    for (const m of members) await m.t.plugin.execute('shareCursor', { channel: ROOM, label: m.key })
    const first = intervalOf(members[0]!)
    expect(first).toEqual(expect.any(Number))
    const stop = moveContinuously(members)
    try {
      await waitFor(() => on.stats().channelsShut > 0, 20_000, 'the server to shut the room over budget')
      await waitFor(
        () => members.some((m) => m.t.host.eventsOf('channel-status').some((e) => e.event.error?.code === 'RATE_LIMITED' && e.event.error.fix !== '')),
        10_000,
        'a RATE_LIMITED error with its fix on the channel',
      )
      // NOTE: recovered = a stretch of 3 s with every channel joined, everyone present and no new shut.
      const deadline = Date.now() + 60_000
      for (;;) {
        await waitFor(
          () => members.every((m) => m.t.plugin.variables.channels[ROOM]?.status === 'SUBSCRIBED' && m.t.plugin.variables.presence[ROOM]?.count === 3),
          Math.max(0, deadline - Date.now()),
          'every channel joined with everyone present',
        )
        const shut = on.stats().channelsShut
        await sleep(3000)
        if (on.stats().channelsShut === shut) break
        if (Date.now() > deadline) throw new Error('the room was still shut over budget after 60 s')
      }
      for (const m of members) expect(intervalOf(m)).toBeGreaterThan(first ?? 0)
      await waitFor(() => cursorsOf(members[0]!).length === 2, 10_000, 'the cursors of the others again')
      await expect(members[1]!.t.plugin.execute('broadcast', { channel: ROOM, event: 'chat', payload: { from: members[1]!.key } })).resolves.toEqual({ status: 'ok' })
      await waitFor(() => chatFrom(members[0]!).length === 1 && chatFrom(members[2]!).length === 1, 5000, 'the chat message after recovery')
    } finally {
      stop()
    }
  }, 120_000)

  describe('bad input', () => {
    it.each([
      ['an unknown area selector', { area: '#no-such-board' }, 'area'],
      ['an interval below 16 ms', { intervalMs: 5 }, 'intervalMs'],
      ['an interval above 1000 ms', { intervalMs: 5000 }, 'intervalMs'],
      ['a label that is not text', { label: 42 }, 'label'],
    ])('refuses %s with INVALID_INPUT naming the field and its fix, and shares nothing', async (_what, input, field) => {
      const on = await start({ limits: UNTHROTTLED_LIMITS })
      const [member, other] = await room(on, 2)
      const error = await member!.t.plugin.execute('shareCursor', { channel: ROOM, ...input } as never).then(
        () => null,
        (e: unknown) => e,
      )
      expect(isRealtimePluginError(error)).toBe(true)
      const typed = error as RealtimePluginError
      expect(typed.code).toBe('INVALID_INPUT')
      expect(typed.field).toBe(field)
      expect(typed.fix).toMatch(/\S/)
      expect(member!.window.listenerCount('pointermove')).toBe(0)
      expect(intervalOf(member!)).toBeNull()
      const before = on.stats().received
      for (let i = 0; i < 20; i++) member!.window.move(100 + i, 100)
      await sleep(300)
      expect(on.stats().received).toBe(before)
      expect(cursorsOf(other!)).toEqual([])
    })

    it('keeps the sharing in place when a change to it is refused', async () => {
      const on = await start({ limits: UNTHROTTLED_LIMITS })
      const [member, other] = await room(on, 2)
      await member!.t.plugin.execute('shareCursor', { channel: ROOM, label: 'Ada', intervalMs: 40 })
      const interval = intervalOf(member!)
      await expect(member!.t.plugin.execute('shareCursor', { channel: ROOM, area: '#no-such-board', label: 'Bob' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'area' })
      expect(member!.window.listenerCount('pointermove')).toBe(1)
      expect(intervalOf(member!)).toBe(interval)
      member!.window.move(500, 400)
      await waitFor(() => cursorsOf(other!).find((c) => c.label === 'Ada' && Math.abs(c.x - 0.5) < 0.02), 5000, 'the cursor, still labelled Ada')
    })

    it('refuses a channel that is not subscribed with CHANNEL_NOT_SUBSCRIBED', async () => {
      const on = await start({ limits: UNTHROTTLED_LIMITS })
      const window = new PointerWindowStandIn()
      const t = plugins.create(on, { window })
      await expect(t.plugin.execute('shareCursor', { channel: 'elsewhere' })).rejects.toMatchObject({ code: 'CHANNEL_NOT_SUBSCRIBED' })
      expect(window.listenerCount('pointermove')).toBe(0)
    })
  })

  describe('positions', () => {
    it('shows a cursor at the same relative position on a screen of another size, and removes it when its member leaves', async () => {
      const on = await start({ limits: UNTHROTTLED_LIMITS })
      const wide = await join(on, 'wide', { width: 1600, height: 900 })
      const small = await join(on, 'small', { width: 400, height: 300 })
      await waitFor(() => small.t.plugin.variables.presence[ROOM]?.count === 2, 10_000, 'both members present')
      await wide.t.plugin.execute('shareCursor', { channel: ROOM, label: 'Wide', color: '#ff0066' })
      wide.window.move(400, 675)
      const cursor = await waitFor(() => cursorsOf(small).find((c) => c.key === 'wide' && Math.abs(c.x - 0.25) < 0.02 && Math.abs(c.y - 0.75) < 0.02), 5000, 'the wide cursor at 25% / 75%')
      expect(cursor).toMatchObject({ label: 'Wide', color: '#ff0066', idle: false })
      expect(cursorsOf(wide)).toEqual([])
      await wide.t.plugin.execute('unsubscribe', { channel: ROOM })
      await waitFor(() => cursorsOf(small).length === 0, 2000, 'the cursor to go when its member leaves')
    })

    it('marks a still pointer idle, and active again when it moves', async () => {
      const on = await start({ limits: UNTHROTTLED_LIMITS })
      const [mover, viewer] = await room(on, 2)
      await mover!.t.plugin.execute('shareCursor', { channel: ROOM, label: 'Mover' })
      mover!.window.move(100, 100)
      await waitFor(() => cursorsOf(viewer!).find((c) => c.key === mover!.key && !c.idle), 5000, 'the cursor, active')
      await waitFor(() => cursorsOf(viewer!).find((c) => c.key === mover!.key && c.idle), 8000, 'the cursor, idle')
      mover!.window.move(200, 100)
      await waitFor(() => cursorsOf(viewer!).find((c) => c.key === mover!.key && !c.idle && Math.abs(c.x - 0.2) < 0.02), 5000, 'the cursor, active again')
    })

    it('measures positions inside the area given by a selector', async () => {
      const on = await start({ limits: UNTHROTTLED_LIMITS })
      const sharer = await join(on, 'sharer')
      const viewer = await join(on, 'viewer')
      sharer.window.addArea('#board', { left: 100, top: 200, width: 400, height: 200 })
      await waitFor(() => viewer.t.plugin.variables.presence[ROOM]?.count === 2, 10_000, 'both members present')
      await sharer.t.plugin.execute('shareCursor', { channel: ROOM, area: '#board', label: 'Sharer' })
      sharer.window.move(300, 250)
      await waitFor(() => cursorsOf(viewer).find((c) => Math.abs(c.x - 0.5) < 0.02 && Math.abs(c.y - 0.25) < 0.02), 5000, 'the cursor at 50% / 25% of the board')
    })
  })
})

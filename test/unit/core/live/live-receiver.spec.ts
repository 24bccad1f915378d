import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FrameClock } from '../../../../src/core/live/frame-clock'
import { IDLE_AFTER_MS, LiveReceiver } from '../../../../src/core/live/live-receiver'
import type { LiveMemberState, RemoteCursor } from '../../../../src/core/live/live-types'
import type { LiveMessage } from '../../../../src/core/live/live-wire'

function receiver() {
  let pending: Array<() => void> = []
  const clock: FrameClock = (callback) => {
    pending.push(callback)
    return () => {
      pending = pending.filter((c) => c !== callback)
    }
  }
  const published: { cursors: RemoteCursor[][]; states: LiveMemberState[][] } = { cursors: [], states: [] }
  const r = new LiveReceiver(() => 'me', clock, {
    cursors: (list) => published.cursors.push(list),
    states: (list) => published.states.push(list),
  })
  /** Advances the time by `ms`, then runs the frame that was asked for. */
  const frame = (ms = 16) => {
    vi.advanceTimersByTime(ms)
    const run = pending
    pending = []
    for (const callback of run) callback()
  }
  const last = () => published.cursors[published.cursors.length - 1] ?? []
  return { r, frame, published, last }
}

const move = (samples: Array<[number, number, number]>, extra: Partial<LiveMessage> = {}): LiveMessage => ({
  id: 'bob-tab',
  key: 'user-bob',
  intervalMs: 50,
  cursor: { label: 'Bob', color: 'blue', samples: samples.map(([x, y, age]) => ({ x, y, age })) },
  ...extra,
})

describe('LiveReceiver', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('replays the samples of a batch with their offsets, one interval (and a small margin) later', () => {
    const { r, frame, last } = receiver()
    r.receive(move([[0.1, 0.5, 32], [0.2, 0.5, 16], [0.3, 0.5, 0]]))
    frame(26)
    expect(last()).toEqual([])
    frame(4) // 30 ms: the first sample (shown at 50 + 10 - 32 = +28) is due
    expect(last().map((c) => c.x)).toEqual([0.1])
    frame(16) // 46 ms
    expect(last().map((c) => c.x)).toEqual([0.2])
    frame(16) // 62 ms
    expect(last()).toEqual([{ key: 'user-bob', x: 0.3, y: 0.5, label: 'Bob', color: 'blue', updatedAt: Date.now(), idle: false }])
  })

  it('stretches the playback instead of leaving a gap when the sender widens its interval', () => {
    const { r, frame, published } = receiver()
    const shownAt: number[] = []
    let x = 0
    const batch = (intervalMs: number, count: number) => {
      // `count` samples 16 ms apart, the last one taken now
      const samples = Array.from({ length: count }, (_, i) => ({ x: (x += 0.001), y: 0, age: (count - 1 - i) * 16 }))
      r.receive({ id: 'bob-tab', key: 'user-bob', intervalMs, cursor: { label: 'Bob', color: 'blue', samples } })
    }
    for (let n = 0; n < 40; n++) {
      if (n % 4 === 0) batch(n < 20 ? 64 : 256, 4)
      frame(16)
      if (published.cursors.length > shownAt.length) shownAt.push(Date.now())
    }
    for (let n = 0; n < 30; n++) {
      frame(16)
      if (published.cursors.length > shownAt.length) shownAt.push(Date.now())
    }
    const gaps = shownAt.slice(1).map((t, i) => t - shownAt[i]!)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(32)
  })

  it('publishes at most once per frame, however many samples are due', () => {
    const { r, frame, published } = receiver()
    r.receive(move([[0.1, 0, 40], [0.2, 0, 30], [0.3, 0, 20], [0.4, 0, 10]]))
    frame(200)
    expect(published.cursors).toHaveLength(1)
    expect(published.cursors[0]!.map((c) => c.x)).toEqual([0.4])
  })

  it('ignores its own messages', () => {
    const { r, frame, published } = receiver()
    r.receive(move([[0.1, 0.1, 0]], { id: 'me' }))
    frame(200)
    expect(published.cursors).toEqual([])
  })

  it('marks a pointer idle after a few seconds without movement, and active again when it moves', () => {
    const { r, frame, last } = receiver()
    r.receive(move([[0.1, 0.1, 0]]))
    frame(60)
    expect(last()[0]?.idle).toBe(false)
    vi.advanceTimersByTime(IDLE_AFTER_MS)
    expect(last()[0]?.idle).toBe(true)
    r.receive(move([[0.2, 0.2, 0]]))
    frame(60)
    expect(last()[0]).toMatchObject({ x: 0.2, idle: false })
  })

  it('removes a member who leaves presence', () => {
    const { r, frame, last } = receiver()
    r.presence(new Set(['user-bob']))
    r.receive(move([[0.1, 0.1, 0]]))
    frame(60)
    expect(last()).toHaveLength(1)
    r.presence(new Set())
    frame()
    expect(last()).toEqual([])
  })

  it('keeps a sender whose presence has not arrived yet', () => {
    const { r, frame, last } = receiver()
    r.receive(move([[0.1, 0.1, 0]]))
    r.presence(new Set(['someone-else']))
    frame(60)
    expect(last()).toHaveLength(1)
  })

  it('removes a cursor when its member stops sharing, and keeps their live state', () => {
    const { r, frame, last, published } = receiver()
    r.receive(move([[0.1, 0.1, 0]], { state: { slider: 4 } }))
    frame(60)
    r.receive({ id: 'bob-tab', key: 'user-bob', intervalMs: 50, cursor: null })
    frame()
    expect(last()).toEqual([])
    expect(published.states[published.states.length - 1]).toEqual([{ key: 'user-bob', state: { slider: 4 }, updatedAt: expect.any(Number) }])
  })

  it('keeps the latest live state per member and drops it when cleared', () => {
    const { r, frame, published } = receiver()
    r.receive({ id: 'bob-tab', key: 'user-bob', intervalMs: 50, state: { slider: 1 } })
    r.receive({ id: 'bob-tab', key: 'user-bob', intervalMs: 50, state: { slider: 2 } })
    frame()
    expect(published.states).toEqual([[{ key: 'user-bob', state: { slider: 2 }, updatedAt: expect.any(Number) }]])
    r.receive({ id: 'bob-tab', key: 'user-bob', intervalMs: 50, state: null })
    frame()
    expect(published.states[1]).toEqual([])
  })

  it('gives a member without a colour the stable colour of their key', () => {
    const { r, frame, last } = receiver()
    r.receive(move([[0.1, 0.1, 0]], { cursor: { label: '', color: '', samples: [{ x: 0.1, y: 0.1, age: 0 }] } }))
    frame(60)
    expect(last()[0]?.color).toMatch(/^hsl\(/)
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PointerArea, PointerWindow } from '../../../src/core/live/live-types'
import { decodeLiveMessage } from '../../../src/core/live/live-wire'
import type { ChannelPresence, ChannelState, ChannelStatus, PresenceMember } from '../../../src/core/types'
import { LiveRuntime } from '../../../src/runtime/live-runtime'
import { createRealtimeState } from '../../../src/store/realtime-state'

/** An EventTarget standing in for an element: counts its pointermove listeners. */
class AreaStandIn extends EventTarget implements PointerArea {
  listeners = 0
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    this.listeners++
    super.addEventListener(type, listener)
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    this.listeners--
    super.removeEventListener(type, listener)
  }
  getBoundingClientRect() {
    return { left: 100, top: 50, width: 200, height: 100 }
  }
}

class WindowStandIn extends AreaStandIn implements PointerWindow {
  innerWidth = 1000
  innerHeight = 500
  scrollX = 0
  scrollY = 250
  readonly board = new AreaStandIn()
  document = {
    querySelector: (selector: string): PointerArea | null => {
      if (selector === '#') throw new SyntaxError('not a selector')
      return selector === '#board' ? this.board : null
    },
  }
}

const pointer = (clientX: number, clientY: number) => Object.assign(new Event('pointermove'), { clientX, clientY })

function channelState(name: string, status: ChannelStatus, error: ChannelState['error'] = null): ChannelState {
  return { name, status, error, private: false, joinedAt: 1, dbReady: false, bindings: 0, reopens: 0, resumed: false, downtimeMs: null, lastMessageAt: null, stale: false }
}

function members(count: number): ChannelPresence {
  const list: PresenceMember[] = Array.from({ length: count }, (_, i) => ({ key: `user-${i}`, state: {}, metas: [{}], connections: 1 }))
  return { members: list, count, self: { key: 'user-0', tracked: true, state: {} } }
}

function setup(win: PointerWindow | null = new WindowStandIn()) {
  const state = createRealtimeState(10)
  const sent: Array<Record<string, unknown>> = []
  const logs: Array<{ level: string; message: string; meta?: Record<string, unknown> }> = []
  const subscribed = new Set(['board'])
  const watchers = new Map<string, Set<(state: ChannelState | null) => void>>()
  /** The registry's side: a channel's new state, told to its watchers first. */
  const tell = (name: string, next: ChannelState | null) => {
    for (const watcher of [...(watchers.get(name) ?? [])]) watcher(next)
    state.setChannel(name, next && { ...next, ...live.overlay(name, next) })
  }
  const live = new LiveRuntime({
    state,
    instanceId: 'me',
    maxMessagesPerSecond: 100,
    window: win,
    link: {
      channel: (name) => (subscribed.has(name) ? { status: 'SUBSCRIBED', presenceKey: 'user-0' } : null),
      sendVolatile: (_channel, _event, payload) => {
        sent.push(payload)
        return true
      },
      watch: (name, watcher) => {
        const set = watchers.get(name) ?? new Set()
        watchers.set(name, set)
        set.add(watcher)
        return () => set.delete(watcher)
      },
      changed: () => {},
      log: (level, message, meta) => logs.push({ level, message, ...(meta ? { meta } : {}) }),
    },
  })
  state.setChannel('board', channelState('board', 'SUBSCRIBED'))
  return { live, state, sent, logs, tell, watchers, win: win as WindowStandIn }
}

describe('LiveRuntime', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('Share cursor', () => {
    it('sends page positions relative to the window, scroll included, with a default colour of the key', () => {
      const { live, sent, win } = setup()
      expect(live.shareCursor('board', { label: 'Ada' })).toEqual({ status: 'sharing', intervalMs: 50 })
      win.dispatchEvent(pointer(500, 250))
      vi.advanceTimersByTime(60)
      const message = decodeLiveMessage(sent[0])
      expect(message?.cursor).toEqual({ label: 'Ada', color: expect.stringMatching(/^hsl\(/), samples: [{ x: 0.5, y: 1, age: expect.any(Number) }] })
    })

    it('sends positions relative to the area element', () => {
      const { live, sent, win } = setup()
      live.shareCursor('board', { area: '#board', color: 'red' })
      win.board.dispatchEvent(pointer(150, 100))
      vi.advanceTimersByTime(60)
      expect(decodeLiveMessage(sent[0])?.cursor?.samples[0]).toMatchObject({ x: 0.25, y: 0.5 })
    })

    it('fails with CHANNEL_NOT_SUBSCRIBED on a channel not subscribed', () => {
      const { live } = setup()
      expect(() => live.shareCursor('other', {})).toThrow(expect.objectContaining({ code: 'CHANNEL_NOT_SUBSCRIBED', field: 'channel' }))
    })

    it('fails with POINTER_UNAVAILABLE without a window', () => {
      const { live } = setup(null)
      expect(() => live.shareCursor('board', {})).toThrow(expect.objectContaining({ code: 'POINTER_UNAVAILABLE' }))
    })

    it.each(['#nowhere', '#'])('fails with INVALID_INPUT naming the area for "%s", and starts nothing', (area) => {
      const { live, win, state } = setup()
      expect(() => live.shareCursor('board', { area })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'area' }))
      expect(win.listeners + win.board.listeners).toBe(0)
      expect(state.channels.value['board']?.liveIntervalMs ?? null).toBeNull()
    })

    it('keeps sharing as before when a second call fails', () => {
      const { live, win, sent } = setup()
      live.shareCursor('board', { label: 'Ada' })
      expect(() => live.shareCursor('board', { area: '#nowhere' })).toThrow()
      win.dispatchEvent(pointer(10, 10))
      vi.advanceTimersByTime(60)
      expect(sent).toHaveLength(1)
      expect(win.listeners).toBe(1)
    })

    it('moves the listener to the new area when called again', () => {
      const { live, win } = setup()
      live.shareCursor('board', {})
      live.shareCursor('board', { area: '#board' })
      expect([win.listeners, win.board.listeners]).toEqual([0, 1])
    })

    it('removes its listener and tells the others on Stop cursor', () => {
      const { live, win, sent, state } = setup()
      live.shareCursor('board', {})
      win.dispatchEvent(pointer(10, 10))
      vi.advanceTimersByTime(60)
      expect(live.stopCursor('board')).toEqual({ status: 'stopped' })
      vi.advanceTimersByTime(60)
      expect(win.listeners).toBe(0)
      expect(decodeLiveMessage(sent[sent.length - 1])?.cursor).toBeNull()
      expect(state.channels.value['board']?.liveIntervalMs).toBeNull()
      expect(live.stopCursor('never-shared')).toEqual({ status: 'stopped' })
    })
  })

  describe('budget', () => {
    it('widens the interval as members join, shows it on the channel, and narrows it when they leave', () => {
      const { live, state } = setup()
      live.shareCursor('board', {})
      live.presenceChanged('board', members(5))
      expect(state.channels.value['board']?.liveIntervalMs).toBe(375)
      live.presenceChanged('board', members(2))
      expect(state.channels.value['board']?.liveIntervalMs).toBe(75)
    })

    it('doubles the interval after "Too many messages per second", logs the advice, and decays back', () => {
      const { live, state, logs, tell } = setup()
      live.shareCursor('board', {})
      live.presenceChanged('board', members(2))
      const closed = channelState('board', 'CLOSED', {
        name: 'RealtimePluginError',
        code: 'RATE_LIMITED',
        field: null,
        message: 'Too many messages per second',
        fix: '',
        details: {},
      })
      tell('board', closed)
      expect(state.channels.value['board']?.liveIntervalMs).toBe(150)
      expect(state.channels.value['board']?.error).toMatchObject({ code: 'RATE_LIMITED', field: 'maxMessagesPerSecond', message: expect.stringContaining('every 150 ms') })
      expect(logs[0]).toMatchObject({ level: 'warn', meta: { code: 'RATE_LIMITED', fix: expect.stringContaining('Messages per second') } })
      vi.advanceTimersByTime(120_000)
      expect(state.channels.value['board']?.liveIntervalMs).toBe(75)
    })
  })

  describe('Set live state', () => {
    it('sends the latest state and shows the interval', () => {
      const { live, sent, state } = setup()
      for (let i = 0; i < 10; i++) live.setLiveState('board', { v: i }, undefined)
      vi.advanceTimersByTime(60)
      expect(sent.map((p) => decodeLiveMessage(p)?.state)).toEqual([{ v: 9 }])
      expect(state.channels.value['board']?.liveIntervalMs).toBe(50)
    })

    it('fails with CHANNEL_NOT_SUBSCRIBED on a channel not subscribed', () => {
      const { live } = setup()
      expect(() => live.setLiveState('other', {}, undefined)).toThrow(expect.objectContaining({ code: 'CHANNEL_NOT_SUBSCRIBED' }))
    })
  })

  it('stops listening and forgets the channel when it is left', () => {
    const { live, win, state, tell, watchers } = setup()
    live.shareCursor('board', {})
    live.receive('board', 'plugin:live', { v: 1, id: 'bob', k: 'user-bob', i: 50, s: { x: 1 } })
    vi.advanceTimersByTime(20)
    expect(state.liveState.value['board']).toHaveLength(1)
    tell('board', null)
    expect(win.listeners).toBe(0)
    expect(watchers.get('board')?.size).toBe(0)
    expect(state.liveState.value['board']).toBeUndefined()
    expect(live.intervalOf('board')).toBeNull()
  })
})

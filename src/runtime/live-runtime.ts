import { errorFor, invalidInput, RealtimePluginError } from '../core/errors'
import { cursorColor } from '../core/live/cursor-color'
import { createFrameClock, type FrameClock } from '../core/live/frame-clock'
import { DEFAULT_LIVE_INTERVAL_MS, DEFAULT_MAX_MESSAGES_PER_SECOND, liveIntervalMs } from '../core/live/live-budget'
import { LiveReceiver } from '../core/live/live-receiver'
import { LiveSender } from '../core/live/live-sender'
import type { PointerWindow } from '../core/live/live-types'
import { decodeLiveMessage, encodeLiveMessage, LIVE_EVENT } from '../core/live/live-wire'
import { areaIssue, listenPointer, resolvePointerArea } from '../core/live/pointer-source'
import type { ChannelPresence, ChannelState, ChannelStatus } from '../core/types'
import type { RealtimeState } from '../store/realtime-state'
import type { LiveLink, LiveOptions } from './live-link'

export { RESERVED_EVENT_PREFIX } from '../core/live/live-wire'
export { liveLink, type LiveLink, type LiveOptions } from './live-link'

/** Widening after each "Too many messages per second", and its ceiling. */
const BACKOFF_FACTOR = 2
const MAX_BACKOFF = 32
/** Every this long without a new rate-limit close, the widening shrinks by {@link BACKOFF_DECAY}. */
const BACKOFF_DECAY_EVERY_MS = 15_000
const BACKOFF_DECAY = 1.25

/** Options of {@link LiveRuntime}. */
export interface LiveRuntimeOptions extends LiveOptions {
  link: LiveLink
  state: RealtimeState
  instanceId: string
}

/** Settings of Share cursor, validated. */
export interface ShareCursorSettings {
  area?: string | undefined
  label?: string | undefined
  color?: string | undefined
  intervalMs?: number | undefined
}

interface LiveChannel {
  readonly name: string
  readonly sender: LiveSender
  readonly receiver: LiveReceiver
  stopPointer: (() => void) | null
  cursorMs: number | null
  stateMs: number | null
  /** Connections in presence (this instance included when it tracks). */
  presenceConnections: number
  selfTracked: boolean
  backoff: number
  decayTimer: ReturnType<typeof setInterval> | null
  intervalMs: number | null
  /** The channel's last status, and the remover of its state watcher. */
  status: ChannelStatus | null
  unwatch: () => void
}

/**
 * Live cursors and live state of every channel: pointer listening, latest-wins sending inside
 * the room's message budget, replaying the others' motion, and the `cursors`, `liveState` and
 * `channels.<name>.liveIntervalMs` variables.
 */
export class LiveRuntime {
  readonly #channels = new Map<string, LiveChannel>()
  readonly #clock: FrameClock
  readonly #maxMessagesPerSecond: number
  readonly #window: PointerWindow | null

  readonly #options: LiveRuntimeOptions
  constructor(options: LiveRuntimeOptions) {
    this.#options = options
    this.#maxMessagesPerSecond = options.maxMessagesPerSecond ?? DEFAULT_MAX_MESSAGES_PER_SECOND
    this.#window = options.window ?? null
    this.#clock = createFrameClock(this.#window)
  }

  /** Starts (or updates) sharing the pointer on a subscribed channel; resolves the interval in use. */
  shareCursor(name: string, settings: ShareCursorSettings): { status: 'sharing'; intervalMs: number } {
    const info = this.#options.link.channel(name)
    if (!info) throw errorFor('CHANNEL_NOT_SUBSCRIBED', 'live', { channel: name, action: 'Share cursor' }, { field: 'channel' })
    const win = this.#window
    if (!win) throw new RealtimePluginError('POINTER_UNAVAILABLE', { field: 'window' })
    const area = resolvePointerArea(win, settings.area)
    if (!area.ok) throw invalidInput([areaIssue(settings.area?.trim() ?? '', area.reason)])
    // NOTE: every check passed; only now does anything change, so sharing never starts half-way.
    const live = this.#ensure(name)
    live.stopPointer?.()
    live.cursorMs = settings.intervalMs ?? DEFAULT_LIVE_INTERVAL_MS
    const label = settings.label ?? ''
    const color = settings.color?.trim() || cursorColor(info.presenceKey)
    live.sender.shareCursor(label, color)
    live.stopPointer = listenPointer(win, area.area, (x, y) => live.sender.move(x, y))
    return { status: 'sharing', intervalMs: this.#updateInterval(live) }
  }

  /** Stops sharing the pointer (nothing happens when it was not shared). */
  stopCursor(name: string): { status: 'stopped' } {
    const live = this.#channels.get(name)
    if (!live) return { status: 'stopped' }
    live.stopPointer?.()
    live.stopPointer = null
    live.cursorMs = null
    live.sender.stopCursor()
    this.#updateInterval(live)
    return { status: 'stopped' }
  }

  /** Shares (or with `null` clears) this instance's live state on a subscribed channel. */
  setLiveState(name: string, state: Record<string, unknown> | null, intervalMs: number | undefined): { status: 'ok' } {
    if (!this.#options.link.channel(name)) throw errorFor('CHANNEL_NOT_SUBSCRIBED', 'live', { channel: name, action: 'Set live state' }, { field: 'channel' })
    const live = this.#ensure(name)
    live.stateMs = state === null ? null : (intervalMs ?? DEFAULT_LIVE_INTERVAL_MS)
    this.#updateInterval(live)
    live.sender.setState(state)
    return { status: 'ok' }
  }

  /** A broadcast with the live event arrived. */
  receive(name: string, event: string, payload: unknown): void {
    if (event !== LIVE_EVENT) return
    const message = decodeLiveMessage(payload)
    if (!message) return
    const live = this.#ensure(name)
    const before = live.receiver.senders
    live.receiver.receive(message)
    if (live.receiver.senders !== before) this.#updateInterval(live)
  }

  /** Presence of a channel changed. */
  presenceChanged(name: string, view: ChannelPresence): void {
    const live = this.#channels.get(name)
    if (!live) return
    const previous = live.presenceConnections
    live.presenceConnections = view.members.reduce((n, m) => n + m.connections, 0)
    live.selfTracked = view.self.tracked
    live.receiver.presence(new Set(view.members.map((m) => m.key)))
    // NOTE: someone joined: they have not seen our cursor or state yet.
    if (live.presenceConnections > previous) live.sender.resendAll()
    this.#updateInterval(live)
  }

  /** A channel's state changed (before the variables show it): back off after a rate-limit close, resend after a rejoin. */
  #stateChanged(live: LiveChannel, state: ChannelState | null): void {
    const name = live.name
    if (!state) return this.forget(name)
    const previous = live.status
    live.status = state.status
    if (state.status === 'CLOSED' && state.error?.code === 'RATE_LIMITED' && previous !== 'CLOSED') {
      live.backoff = Math.min(MAX_BACKOFF, live.backoff * BACKOFF_FACTOR)
      this.#startDecay(live)
      const intervalMs = this.#updateInterval(live)
      if (live.sender.active) {
        const error = this.#rateLimited(name, intervalMs)
        this.#options.link.log('warn', error.message, { code: error.code, fix: error.fix, ...error.details })
      }
    }
    if (state.status === 'SUBSCRIBED' && previous !== null && previous !== 'SUBSCRIBED') live.sender.resendAll()
  }

  /** The send interval shown on `channels.<name>.liveIntervalMs`. */
  intervalOf(name: string): number | null {
    return this.#channels.get(name)?.intervalMs ?? null
  }

  /**
   * What live sharing adds to a channel's published state: `liveIntervalMs`, and while this
   * instance shares, a rate-limit error worded for live cursors (with the interval now in use).
   */
  overlay(name: string, state: ChannelState): Pick<ChannelState, 'liveIntervalMs' | 'error'> {
    const live = this.#channels.get(name)
    const intervalMs = live?.intervalMs ?? null
    if (!live || intervalMs === null || state.error?.code !== 'RATE_LIMITED') return { liveIntervalMs: intervalMs, error: state.error }
    const error = this.#rateLimited(name, intervalMs).toJSON()
    return { liveIntervalMs: intervalMs, error: { ...error, details: { ...state.error.details, ...error.details } } }
  }

  /** Forgets a channel that was left. */
  forget(name: string): void {
    const live = this.#channels.get(name)
    if (!live) return
    this.#channels.delete(name)
    this.#teardown(live)
    this.#options.state.setLive(name, null, null)
    this.#options.link.changed('cursors')
    this.#options.link.changed('liveState')
  }

  /** Stops every listener and timer. */
  dispose(): void {
    for (const live of this.#channels.values()) this.#teardown(live)
    this.#channels.clear()
  }

  #rateLimited(channel: string, intervalMs: number): RealtimePluginError {
    return errorFor('RATE_LIMITED', 'liveTraffic', { channel, intervalMs, maxMessagesPerSecond: this.#maxMessagesPerSecond }, { field: 'maxMessagesPerSecond' })
  }

  #teardown(live: LiveChannel): void {
    live.unwatch()
    live.stopPointer?.()
    live.stopPointer = null
    live.sender.dispose()
    live.receiver.clear()
    if (live.decayTimer) clearInterval(live.decayTimer)
    live.decayTimer = null
  }

  #ensure(name: string): LiveChannel {
    const existing = this.#channels.get(name)
    if (existing) return existing
    const { link, state, instanceId } = this.#options
    const sender = new LiveSender(
      {
        identity: () => ({ id: instanceId, key: link.channel(name)?.presenceKey ?? instanceId }),
        send: (message) => link.sendVolatile(name, LIVE_EVENT, encodeLiveMessage(message)),
      },
      DEFAULT_LIVE_INTERVAL_MS,
    )
    const receiver = new LiveReceiver(() => instanceId, this.#clock, {
      cursors: (list) => {
        state.setLive(name, list, undefined)
        link.changed('cursors')
      },
      states: (list) => {
        state.setLive(name, undefined, list)
        link.changed('liveState')
      },
    })
    const live: LiveChannel = {
      name,
      sender,
      receiver,
      stopPointer: null,
      cursorMs: null,
      stateMs: null,
      presenceConnections: 0,
      selfTracked: false,
      backoff: 1,
      decayTimer: null,
      intervalMs: null,
      status: link.channel(name)?.status ?? null,
      unwatch: () => {},
    }
    live.unwatch = link.watch(name, (next) => this.#stateChanged(live, next))
    this.#channels.set(name, live)
    const presence = state.presence.value[name]
    if (presence) this.presenceChanged(name, presence)
    return live
  }

  /** Members that may send and receive: presence connections (plus us when untracked), or at least the senders seen. */
  #members(live: LiveChannel): number {
    const fromPresence = live.presenceConnections + (live.selfTracked ? 0 : 1)
    return Math.max(fromPresence, live.receiver.senders + 1)
  }

  /** Recomputes the send interval; publishes it on the channel's variable when it changed. */
  #updateInterval(live: LiveChannel): number {
    const requests = [live.cursorMs, live.stateMs].filter((ms): ms is number => ms !== null)
    const requestedMs = requests.length > 0 ? Math.min(...requests) : DEFAULT_LIVE_INTERVAL_MS
    const intervalMs = liveIntervalMs({ requestedMs, members: this.#members(live), maxMessagesPerSecond: this.#maxMessagesPerSecond, backoff: live.backoff })
    live.sender.setInterval(intervalMs)
    const shown = requests.length > 0 ? intervalMs : null
    if (shown !== live.intervalMs) {
      live.intervalMs = shown
      const current = this.#options.state.channels.value[live.name]
      if (current) {
        this.#options.state.setChannel(live.name, { ...current, liveIntervalMs: shown })
        this.#options.link.changed('channels')
      }
    }
    return intervalMs
  }

  #startDecay(live: LiveChannel): void {
    if (live.decayTimer) clearInterval(live.decayTimer)
    live.decayTimer = setInterval(() => {
      live.backoff = Math.max(1, live.backoff / BACKOFF_DECAY)
      if (live.backoff === 1 && live.decayTimer) {
        clearInterval(live.decayTimer)
        live.decayTimer = null
      }
      this.#updateInterval(live)
    }, BACKOFF_DECAY_EVERY_MS)
  }
}

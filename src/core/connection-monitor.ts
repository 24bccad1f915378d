import type { RealtimeClient } from '@supabase/supabase-js'
import { errorFor, type ErrorCase } from './errors'
import { relayOf } from './heartbeat-relay'
import { probeOf, unref } from './liveness-probe'
import type { ConnectionState } from './types'

/** Heartbeat interval the plugin uses when it creates the client, in milliseconds. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000

/** A connection attempt without an answer for this long (or one heartbeat interval, if longer) is started again. */
const CONNECT_ATTEMPT_MIN_MS = 2000

/** After a wake event, a connection attempt already under way gets this long before it is started again. */
const WAKE_CONNECT_GRACE_MS = 750

/** Longest wait for the answer to a heartbeat sent to check the link now (or one interval, if shorter). */
const PROBE_VERDICT_MAX_MS = 1500

/**
 * Browser events that mean "the network or the page just came back": `online`, `offline`,
 * `visibilitychange`, `pageshow`. In a browser this is `window`; tests pass an `EventTarget`.
 */
export interface WakeEventSource {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

/** The initial `connection` variable. */
export function initialConnectionState(): ConnectionState {
  return { status: 'idle', latencyMs: null, lastError: null, reconnects: 0, connectedAt: null }
}

/** Options of {@link watchConnection}. */
export interface WatchConnectionOptions {
  /** Called with the new state on every change. */
  onChange: (state: ConnectionState) => void
  initial?: ConnectionState
  /** How often the socket must answer; a socket silent for two intervals is treated as lost. */
  heartbeatIntervalMs?: number
  /** `online`/`offline`/`visibilitychange`/`pageshow` source. @default `window` in a browser */
  wakeEvents?: WakeEventSource | null
  /** How often the socket state is read, in milliseconds. @default 250 */
  pollMs?: number
}

/** What {@link watchConnection} returns. */
export interface ConnectionWatch {
  stop(): void
  /** The app asked for a channel: the socket is expected to connect. */
  connecting(): void
  /** Reads the socket state now (e.g. after a channel status changed). */
  check(): void
  /** Checks the link at once and reconnects without waiting for the backoff (network back, page awake). */
  wake(): void
}

function defaultWakeEvents(): WakeEventSource | null {
  const w = (globalThis as { window?: WakeEventSource }).window
  return w && typeof w.addEventListener === 'function' ? w : null
}

/**
 * Follows the socket of a supabase-js Realtime client through its public API only: connection
 * state, heartbeat events (of a client the plugin created) or the plugin's own liveness probe (of
 * a shared client), and browser wake events.
 */
export function watchConnection(realtime: RealtimeClient, options: WatchConnectionOptions): ConnectionWatch {
  const intervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
  let state = options.initial ?? initialConnectionState()
  let opened = state.connectedAt !== null
  let expected = state.status !== 'idle'
  let stopped = false
  let lastAnswerAt = 0
  /** A heartbeat timed out and the socket has not closed yet: it is not trusted. */
  let suspect = false
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const set = (patch: Partial<ConnectionState>) => {
    if (stopped) return
    const next = { ...state, ...patch }
    if ((Object.keys(next) as (keyof ConnectionState)[]).every((key) => next[key] === state[key])) return
    state = next
    options.onChange(state)
  }
  const lost = (kase: ErrorCase<'CONNECTION_LOST'>) => errorFor('CONNECTION_LOST', kase, undefined, { details: {} }).toJSON()

  const check = () => {
    if (stopped) return
    const socket = realtime.connectionState()
    if (socket !== 'open') suspect = false
    if (socket === 'open' && !suspect) {
      if (state.status !== 'connected' && (expected || opened)) {
        const wasDown = state.status === 'reconnecting'
        set({ status: 'connected', connectedAt: Date.now(), reconnects: opened && wasDown ? state.reconnects + 1 : state.reconnects })
        opened = true
        lastAnswerAt = Date.now()
      }
      return
    }
    if (!expected) return
    if (realtime.getChannels().length === 0) {
      // NOTE: supabase-js closes the socket by itself some time after the last channel left.
      if (opened && (state.status === 'connected' || state.status === 'reconnecting')) set({ status: 'disconnected' })
      return
    }
    if (state.status === 'connected') {
      set({ status: 'reconnecting', lastError: lost('closed') })
      return
    }
    if (state.status === 'idle' || state.status === 'disconnected') set({ status: opened ? 'reconnecting' : 'connecting' })
    if (!opened && socket === 'closed' && state.lastError === null) set({ lastError: lost('unreachable') })
  }

  const onAnswer = (latency?: number) => {
    lastAnswerAt = Date.now()
    suspect = false
    if (typeof latency === 'number') set({ latencyMs: Math.round(latency * 100) / 100 })
    check()
  }
  const onTimeout = () => {
    if (!expected) return
    suspect = true
    set({ status: opened ? 'reconnecting' : 'connecting', lastError: lost('heartbeat') })
  }

  const relay = relayOf(realtime)
  const releaseHeartbeat = relay
    ? relay.listen((status, latency) => {
        if (status === 'ok' || status === 'error') onAnswer(status === 'ok' ? latency : undefined)
        else if (status === 'timeout') onTimeout()
      })
    : probeOf(realtime, intervalMs).use(intervalMs, (event) => (event === 'answered' ? onAnswer() : onTimeout()))

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!stopped) fn()
    }, ms)
    timers.add(timer)
  }
  /**
   * Sends a heartbeat now (unless one is on its way) and treats the link as lost if it is not
   * answered within {@link PROBE_VERDICT_MAX_MS} (or one interval, if shorter).
   */
  const probeNow = () => {
    if (realtime.pendingHeartbeatRef === null) void realtime.sendHeartbeat()
    const ref = realtime.pendingHeartbeatRef
    if (ref === null) return
    later(Math.min(intervalMs, PROBE_VERDICT_MAX_MS), () => {
      // NOTE: a heartbeat sent while one is pending makes supabase-js declare the timeout: it
      // closes the socket, errors the channels and reconnects.
      if (realtime.isConnected() && realtime.pendingHeartbeatRef === ref) void realtime.sendHeartbeat()
    })
  }

  /**
   * Skips the reconnect backoff: drops the failed (or half-made) socket and connects now;
   * supabase-js only connects when it holds no socket, and rejoins errored channels on open.
   */
  const reconnectNow = () => {
    void realtime.disconnect().then(() => {
      if (!stopped && !realtime.isConnected() && !realtime.isConnecting()) realtime.connect()
    })
  }
  let connectingSince: number | null = null
  const poll = setInterval(() => {
    const now = Date.now()
    // NOTE: a socket that answered nothing for two intervals is not trusted, whatever its state.
    if (state.status === 'connected' && lastAnswerAt > 0 && now - lastAnswerAt > 2 * intervalMs + 500) {
      lastAnswerAt = now
      probeNow()
    }
    // NOTE: supabase-js gives a connection attempt no time limit; one whose handshake was lost on
    // a dead network would wait forever, so it is started again.
    if (realtime.connectionState() === 'connecting') {
      connectingSince ??= now
      if (expected && now - connectingSince > Math.max(CONNECT_ATTEMPT_MIN_MS, intervalMs)) {
        connectingSince = null
        reconnectNow()
      }
    } else {
      connectingSince = null
    }
    check()
  }, options.pollMs ?? 250)
  unref(poll)

  const wake = () => {
    if (stopped || !expected) return
    const socket = realtime.connectionState()
    if (socket === 'open') {
      // NOTE: the socket may be dead without knowing it: ask for a heartbeat now and judge it soon.
      probeNow()
      return
    }
    if (realtime.getChannels().length === 0) return
    if (socket === 'connecting' && (connectingSince === null || Date.now() - connectingSince < WAKE_CONNECT_GRACE_MS)) {
      // NOTE: an attempt that just started (supabase-js reconnects by itself on pageshow) gets a
      // moment; an older one may sit on a handshake the dead network lost, and is started again.
      later(WAKE_CONNECT_GRACE_MS, () => {
        if (realtime.connectionState() === 'connecting') reconnectNow()
      })
      return
    }
    reconnectNow()
  }
  const wakeEvents = options.wakeEvents === undefined ? defaultWakeEvents() : options.wakeEvents
  const onOffline = () => {
    if (stopped || state.status !== 'connected') return
    // NOTE: not trusted until a heartbeat is answered; an unanswered one closes the socket.
    suspect = true
    set({ status: 'reconnecting', lastError: lost('offline') })
    probeNow()
  }
  const onVisible = () => {
    const doc = (globalThis as { document?: { visibilityState?: string } }).document
    if (!doc || doc.visibilityState !== 'hidden') wake()
  }
  const wakeListeners = [
    ['online', wake],
    ['pageshow', wake],
    ['visibilitychange', onVisible],
    ['offline', onOffline],
  ] as const
  for (const [type, listener] of wakeListeners) wakeEvents?.addEventListener(type, listener)

  return {
    stop() {
      if (stopped) return
      stopped = true
      clearInterval(poll)
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      releaseHeartbeat()
      for (const [type, listener] of wakeListeners) wakeEvents?.removeEventListener(type, listener)
    },
    connecting() {
      expected = true
      if (state.status === 'idle' || state.status === 'disconnected') {
        if (realtime.isConnected()) {
          opened = true
          lastAnswerAt = Date.now()
          set({ status: 'connected', connectedAt: Date.now() })
        } else {
          set({ status: 'connecting' })
        }
      }
    },
    check,
    wake,
  }
}

import type { RealtimeClient } from '@supabase/supabase-js'
import { RealtimePluginError } from './errors'
import type { ConnectionState } from './types'

type Callback = (...args: unknown[]) => void

/** The initial `connection` variable. */
export function initialConnectionState(): ConnectionState {
  return { status: 'idle', latencyMs: null, lastError: null, reconnects: 0, connectedAt: null }
}

/**
 * Follows the socket of a supabase-js Realtime client: open, close, error and heartbeat
 * round-trips. Reports a new {@link ConnectionState} on every change; returns the remover.
 */
export function watchConnection(
  realtime: RealtimeClient,
  onChange: (state: ConnectionState) => void,
  initial: ConnectionState = initialConnectionState(),
): { stop: () => void; connecting: () => void } {
  let state = initial
  let opened = false
  let stopped = false
  const set = (patch: Partial<ConnectionState>) => {
    if (stopped) return
    state = { ...state, ...patch }
    onChange(state)
  }
  const refs: string[] = []
  const callbacks = realtime.stateChangeCallbacks
  let counter = 0
  const register = (kind: 'open' | 'close' | 'error', fn: Callback) => {
    const ref = `realtime-plugin-${kind}-${++counter}-${Math.random().toString(36).slice(2)}`
    callbacks[kind].push([ref, fn])
    refs.push(ref)
  }

  register('open', () => {
    const wasDown = state.status === 'reconnecting'
    set({ status: 'connected', connectedAt: Date.now(), reconnects: opened && wasDown ? state.reconnects + 1 : state.reconnects })
    opened = true
  })
  register('close', (event: unknown) => {
    const code = typeof event === 'object' && event !== null && 'code' in event ? String((event as { code: unknown }).code) : ''
    // NOTE: supabase-js closes the socket by itself when the last channel is removed.
    const idle = realtime.getChannels().length === 0
    if (idle) {
      set({ status: 'disconnected' })
      return
    }
    set({
      status: opened ? 'reconnecting' : 'connecting',
      lastError: new RealtimePluginError('CONNECTION_LOST', {
        message: `The connection to the Realtime server closed${code ? ` (code ${code})` : ''}; reconnecting.`,
        details: { code },
      }).toJSON(),
    })
  })
  register('error', () => {
    if (state.status === 'connected') return
    set({
      status: opened ? 'reconnecting' : 'connecting',
      lastError: new RealtimePluginError('CONNECTION_LOST', {
        message: 'The Realtime server could not be reached; retrying.',
      }).toJSON(),
    })
  })

  // NOTE: onHeartbeat replaces the callback; keep calling the one that was there (a shared client may have one).
  const previousHeartbeat = realtime.heartbeatCallback
  realtime.onHeartbeat((status, latency) => {
    previousHeartbeat(status, latency)
    if (status === 'ok' && typeof latency === 'number') set({ latencyMs: Math.round(latency * 100) / 100 })
    else if (status === 'timeout') {
      set({ lastError: new RealtimePluginError('CONNECTION_LOST', { message: 'The Realtime server did not answer a heartbeat in time; reconnecting.' }).toJSON() })
    }
  })

  return {
    stop() {
      stopped = true
      for (const kind of ['open', 'close', 'error'] as const) {
        const list = callbacks[kind]
        for (let i = list.length - 1; i >= 0; i--) {
          const item = list[i]
          if (item && refs.includes(item[0])) list.splice(i, 1)
        }
      }
      realtime.onHeartbeat(previousHeartbeat)
    },
    connecting() {
      if (state.status === 'idle' || state.status === 'disconnected') set({ status: realtime.isConnected() ? 'connected' : 'connecting' })
    },
  }
}

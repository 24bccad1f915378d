import type { RealtimeClient } from '@supabase/supabase-js'
import { emit } from './emit'

/** A heartbeat event as supabase-js reports it. */
export type HeartbeatStatus = 'sent' | 'ok' | 'error' | 'timeout' | 'disconnected' | (string & {})
export type HeartbeatListener = (status: HeartbeatStatus, latency?: number) => void

/** Relays the heartbeat events of one client the plugin created to every monitor of that client. */
export interface HeartbeatRelay {
  /** Give this to supabase-js as the `heartbeatCallback` option. */
  readonly callback: HeartbeatListener
  listen(listener: HeartbeatListener): () => void
}

const relays = new WeakMap<RealtimeClient, HeartbeatRelay>()

/**
 * A heartbeat relay to pass as supabase-js's `heartbeatCallback` option when the plugin creates
 * the client (supabase-js adds its token refresh around it once); `appCallback` is the app's own.
 */
export function createHeartbeatRelay(appCallback?: HeartbeatListener): HeartbeatRelay {
  const listeners = new Set<HeartbeatListener>()
  return {
    callback(status, latency) {
      appCallback?.(status, latency)
      emit(listeners, status, latency)
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Records that `realtime` reports its heartbeats to `relay` (the plugin made the client). */
export function attachHeartbeatRelay(realtime: RealtimeClient, relay: HeartbeatRelay): void {
  relays.set(realtime, relay)
}

/** The relay of a client the plugin created, or `undefined` for a client it shares with the app. */
export function relayOf(realtime: RealtimeClient): HeartbeatRelay | undefined {
  return relays.get(realtime)
}

import type { RealtimeClient } from '@supabase/supabase-js'
import { emit } from './emit'

const probes = new WeakMap<RealtimeClient, LivenessProbe>()

/**
 * The plugin's own liveness check of a client it shares with the app, one per client whatever the
 * number of plugin instances: every interval it asks supabase-js to send a heartbeat (public
 * `sendHeartbeat`) and, when the previous one is still unanswered, has supabase-js declare the
 * heartbeat timed out, which closes the dead socket and reconnects. The app's heartbeat callback
 * and token refresh are left as they are: one refresh per heartbeat.
 */
export class LivenessProbe {
  #users = 0
  #timer: ReturnType<typeof setInterval> | undefined
  #pending: { ref: string; since: number } | null = null
  #lastSentAt = 0
  readonly #listeners = new Set<(event: 'answered' | 'timeout') => void>()

  readonly #realtime: RealtimeClient
  #intervalMs: number

  constructor(realtime: RealtimeClient, intervalMs: number) {
    this.#realtime = realtime
    this.#intervalMs = intervalMs
  }

  use(intervalMs: number, listener: (event: 'answered' | 'timeout') => void): () => void {
    this.#users++
    this.#listeners.add(listener)
    if (intervalMs < this.#intervalMs) {
      this.#intervalMs = intervalMs
      this.#stopTimer()
    }
    if (!this.#timer) this.#timer = unref(setInterval(() => this.#tick(), this.#tickMs()))
    return () => {
      this.#listeners.delete(listener)
      if (--this.#users > 0) return
      this.#stopTimer()
      probes.delete(this.#realtime)
    }
  }

  #tickMs(): number {
    return Math.max(25, Math.floor(this.#intervalMs / 4))
  }

  #tick(): void {
    const realtime = this.#realtime
    if (!realtime.isConnected()) {
      this.#pending = null
      return
    }
    const ref = realtime.pendingHeartbeatRef
    const now = Date.now()
    if (ref === null) {
      if (this.#pending) {
        this.#pending = null
        emit(this.#listeners, 'answered')
      }
      if (now - this.#lastSentAt < this.#intervalMs - this.#tickMs() / 2) return
      void realtime.sendHeartbeat()
      this.#lastSentAt = now
      const sent = realtime.pendingHeartbeatRef
      this.#pending = sent === null ? null : { ref: sent, since: now }
      return
    }
    if (!this.#pending || this.#pending.ref !== ref) {
      // NOTE: a heartbeat supabase-js sent by itself; judge it from now on.
      this.#pending = { ref, since: now }
      return
    }
    if (now - this.#pending.since >= this.#intervalMs) {
      this.#pending = null
      emit(this.#listeners, 'timeout')
      // NOTE: supabase-js treats a heartbeat sent while one is pending as a timeout: it closes
      // the socket, errors the channels and reconnects.
      void realtime.sendHeartbeat()
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}

/** The probe of a shared client (one per client, whatever the number of plugin instances). */
export function probeOf(realtime: RealtimeClient, intervalMs: number): LivenessProbe {
  let probe = probes.get(realtime)
  if (!probe) {
    probe = new LivenessProbe(realtime, intervalMs)
    probes.set(realtime, probe)
  }
  return probe
}

/** Lets Node exit while only a monitoring timer is left (no effect in browsers). */
export function unref<T>(timer: T): T {
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

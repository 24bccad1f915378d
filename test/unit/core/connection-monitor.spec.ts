import type { RealtimeClient } from '@supabase/supabase-js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchConnection } from '../../../src/core/connection-monitor'
import type { ConnectionState } from '../../../src/core/types'

/**
 * A stand-in for the public surface of a supabase-js Realtime client that the monitor reads:
 * socket state, channels, the pending heartbeat and `sendHeartbeat` with supabase-js's rule (a
 * heartbeat sent while one is pending is a timeout that closes the socket).
 */
function fakeRealtime() {
  const calls: string[] = []
  let ref = 0
  const fake = {
    socket: 'open' as 'open' | 'closed' | 'connecting',
    answers: true,
    pendingHeartbeatRef: null as string | null,
    channels: [{}],
    connectionState: () => fake.socket,
    isConnected: () => fake.socket === 'open',
    isConnecting: () => fake.socket === 'connecting',
    getChannels: () => fake.channels,
    sendHeartbeat: () => {
      calls.push('heartbeat')
      if (fake.pendingHeartbeatRef !== null) {
        calls.push('timeout')
        fake.pendingHeartbeatRef = null
        fake.socket = 'closed'
        return Promise.resolve()
      }
      fake.pendingHeartbeatRef = String(++ref)
      if (fake.answers) queueMicrotask(() => (fake.pendingHeartbeatRef = null))
      return Promise.resolve()
    },
    disconnect: () => {
      calls.push('disconnect')
      fake.socket = 'closed'
      return Promise.resolve('ok')
    },
    connect: () => {
      calls.push('connect')
      fake.socket = 'open'
    },
  }
  return { fake, calls, realtime: fake as unknown as RealtimeClient }
}

describe('connection monitor on a shared client', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('probes once per interval and declares a silent link lost within two intervals', async () => {
    const { fake, calls, realtime } = fakeRealtime()
    const states: ConnectionState[] = []
    const watch = watchConnection(realtime, { onChange: (s) => states.push(s), heartbeatIntervalMs: 1000, wakeEvents: null })
    watch.connecting()
    await vi.advanceTimersByTimeAsync(3000)
    const heartbeats = calls.filter((c) => c === 'heartbeat').length
    expect(heartbeats).toBeGreaterThanOrEqual(2)
    expect(heartbeats).toBeLessThanOrEqual(4)
    expect(states.at(-1)?.status).toBe('connected')

    fake.answers = false
    const lostAt = Date.now()
    await vi.advanceTimersByTimeAsync(2500)
    expect(calls).toContain('timeout')
    const lost = states.find((s) => s.status === 'reconnecting')
    expect(lost?.lastError?.code).toBe('CONNECTION_LOST')
    expect(Date.now() - lostAt).toBeLessThanOrEqual(2500)
    watch.stop()
  })

  it('reconnects at once on the online event, dropping the failed socket first', async () => {
    const { fake, calls, realtime } = fakeRealtime()
    const wake = new EventTarget()
    const states: ConnectionState[] = []
    const watch = watchConnection(realtime, { onChange: (s) => states.push(s), heartbeatIntervalMs: 1000, wakeEvents: wake })
    watch.connecting()
    await vi.advanceTimersByTimeAsync(300)
    fake.socket = 'closed'
    await vi.advanceTimersByTimeAsync(300)
    expect(states.at(-1)?.status).toBe('reconnecting')
    wake.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(300)
    expect(calls.slice(-2)).toEqual(['disconnect', 'connect'])
    expect(states.at(-1)).toMatchObject({ status: 'connected', reconnects: 1 })
    watch.stop()
  })

  it('does not trust the link after the offline event until a heartbeat is answered', async () => {
    const { fake, realtime } = fakeRealtime()
    const wake = new EventTarget()
    const states: ConnectionState[] = []
    const watch = watchConnection(realtime, { onChange: (s) => states.push(s), heartbeatIntervalMs: 5000, wakeEvents: wake })
    watch.connecting()
    await vi.advanceTimersByTimeAsync(300)
    fake.answers = false
    wake.dispatchEvent(new Event('offline'))
    await vi.advanceTimersByTimeAsync(500)
    expect(states.at(-1)?.status).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(1500)
    expect(fake.socket).toBe('closed')
    watch.stop()
  })
})

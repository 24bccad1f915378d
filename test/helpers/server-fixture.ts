import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js'
import { WebSocket } from 'ws'
import { startRealtimeServer, type RealtimeServer, type RealtimeServerOptions } from '../../server/index'

type RealtimeClientOptions = NonNullable<SupabaseClientOptions<'public'>['realtime']>
type Transport = NonNullable<RealtimeClientOptions['transport']>

/** `ws` as the supabase-js transport (Node 20 has no global WebSocket that supabase-js accepts). */
export const nodeTransport = WebSocket as unknown as Transport

/** Server rate limits that a test's own traffic never reaches (the defaults, 100 per second, are easily reached by a test). */
export const UNTHROTTLED_LIMITS = { maxEventsPerSecond: 100_000, maxJoinsPerSecond: 10_000 } as const

/**
 * Start the local Realtime server for a test: free port, short error backoffs (50 ms), quiet log,
 * no database unless `database` is given. Stop it in `afterAll` with `await server.stop()`.
 */
export function startTestServer(options: RealtimeServerOptions = {}): Promise<RealtimeServer> {
  return startRealtimeServer({
    port: 0,
    connectErrorBackoffMs: 50,
    channelErrorBackoffMs: 50,
    logLevel: 'silent',
    database: false,
    ...options,
  })
}

/** Options of {@link createTestClient}. */
export interface TestClientOptions {
  /** Protocol version. @default '2.0.0' (the supabase-js default) */
  vsn?: '1.0.0' | '2.0.0'
  /** API key given to createClient. @default handle.anonKey */
  key?: string
  /** Access token returned by the `accessToken` callback (a user JWT), instead of the key. */
  accessToken?: string
  /** Extra realtime options (timeout, heartbeatIntervalMs, logger...). */
  realtime?: Omit<RealtimeClientOptions, 'transport' | 'vsn'>
}

/** A real supabase-js client connected to `handle` over `ws`. Call `client.removeAllChannels()` when done. */
export function createTestClient(handle: Pick<RealtimeServer, 'url' | 'anonKey'>, options: TestClientOptions = {}): SupabaseClient {
  const key = options.key ?? handle.anonKey
  const token = options.accessToken
  return createClient(handle.url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(token ? { accessToken: () => Promise.resolve(token) } : {}),
    realtime: { ...options.realtime, transport: nodeTransport, vsn: options.vsn ?? '2.0.0' },
  })
}

/** Poll `predicate` every 10 ms until it returns truthy; rejects with `message` after `timeoutMs`. */
export async function waitFor<T>(predicate: () => T | Promise<T>, timeoutMs = 10_000, message = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await predicate()
      if (value) return value as NonNullable<T>
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`waitFor timed out after ${timeoutMs} ms waiting for ${message}${last ? `: ${String(last)}` : ''}`)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

import { RealtimeClient, type RealtimeClientOptions } from '@supabase/realtime-js'
import type { RealtimeRestClient, RestSchema } from './realtime-rest-client'
import { restReadQuery } from './rest-read-query'

/** Options of {@link createRealtimeRestClient}. */
export interface RealtimeRestClientOptions {
  /** Passed to the Realtime client (e.g. `transport` on Node, `heartbeatIntervalMs`). */
  realtime?: RealtimeClientOptions
  /** Returns the signed-in user's access token, or `null` (then the public key is sent). */
  accessToken?: () => Promise<string | null>
}

/**
 * The plugin's own Supabase client: `@supabase/realtime-js` plus the REST reads that load
 * collections, wired as `createClient` of `@supabase/supabase-js` wires them (same URLs, same
 * `apikey` and `Authorization` headers, the same access token for both), without the auth,
 * storage and functions clients the plugin never uses.
 */
export function createRealtimeRestClient(url: string, key: string, options: RealtimeRestClientOptions = {}): RealtimeRestClient {
  const base = new URL(url.trim().endsWith('/') ? url.trim() : `${url.trim()}/`)
  const realtimeUrl = new URL('realtime/v1', base)
  realtimeUrl.protocol = realtimeUrl.protocol.replace('http', 'ws')
  const restUrl = new URL('rest/v1/', base).href
  const accessToken = options.accessToken
  const sessionToken = async (): Promise<string | null> => (accessToken ? await accessToken() : null)

  const fetchWithAuth: typeof fetch = async (input, init) => {
    const token = await sessionToken()
    const headers = new Headers(init?.headers)
    if (!headers.has('apikey')) headers.set('apikey', key)
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${token ?? key}`)
    return fetch(input, { ...init, headers })
  }

  const realtimeOptions = options.realtime ?? {}
  const realtime = new RealtimeClient(realtimeUrl.href, {
    accessToken: async () => (await sessionToken()) ?? key,
    fetch: fetchWithAuth,
    ...realtimeOptions,
    params: { apikey: key, ...realtimeOptions.params },
  })
  if (accessToken) {
    accessToken()
      .then((token) => realtime.setAuth(token))
      .catch((error: unknown) => console.warn('Failed to set initial Realtime auth token:', error))
  }

  const schema = (name: string): RestSchema => ({
    from: (relation) => ({ select: (columns) => restReadQuery({ baseUrl: restUrl, schema: name, relation, fetch: fetchWithAuth }, columns) }),
  })
  const publicSchema = schema('public')

  return {
    realtime,
    channel: (name, channelOptions = { config: {} }) => realtime.channel(name, channelOptions),
    getChannels: () => realtime.getChannels(),
    removeChannel: (channel) => realtime.removeChannel(channel),
    removeAllChannels: () => realtime.removeAllChannels(),
    from: publicSchema.from,
    schema,
  }
}

import type { RealtimeClient } from '@supabase/supabase-js'
import { RealtimePluginError } from './errors'

/** Options of {@link restBroadcast}. */
export interface RestBroadcastArgs {
  channel: string
  event: string
  payload: Record<string, unknown>
  private: boolean
  timeoutMs: number
}

/**
 * Sends one broadcast over the Realtime REST endpoint (`POST …/api/broadcast`), on purpose,
 * for channels this instance has not joined. Throws a typed error when the server refuses.
 */
export async function restBroadcast(realtime: RealtimeClient, args: RestBroadcastArgs): Promise<void> {
  const token = realtime.accessTokenValue ?? realtime.apiKey ?? ''
  const headers: Record<string, string> = { 'Content-Type': 'application/json', apikey: realtime.apiKey ?? '' }
  if (token) headers['Authorization'] = `Bearer ${token}`
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), args.timeoutMs)
  let response: Response
  try {
    response = await realtime.fetch(realtime.httpEndpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ messages: [{ topic: args.channel, event: args.event, payload: args.payload, private: args.private }] }),
      signal: controller.signal,
    })
  } catch (error) {
    const aborted = error instanceof Error && error.name === 'AbortError'
    throw new RealtimePluginError(aborted ? 'SEND_TIMED_OUT' : 'SEND_FAILED', {
      message: aborted
        ? `The Realtime server did not accept the message for "${args.channel}" within ${args.timeoutMs} ms.`
        : `The message for "${args.channel}" could not reach the Realtime server: ${error instanceof Error ? error.message : String(error)}`,
      ...(aborted ? {} : { fix: 'Check the project URL in the plugin settings and the network, then send again.' }),
      details: { channel: args.channel, via: 'rest' },
      cause: error,
    })
  } finally {
    clearTimeout(timer)
  }
  if (response.ok) {
    await response.body?.cancel()
    return
  }
  const text = await response.text().catch(() => '')
  const reason = text.slice(0, 300)
  const details = { channel: args.channel, via: 'rest', status: response.status, reason }
  if (response.status === 429) throw new RealtimePluginError('RATE_LIMITED', { message: `The server refused the message for "${args.channel}": rate limit (${reason}).`, details })
  if (response.status === 413 || /size/i.test(reason)) throw new RealtimePluginError('PAYLOAD_TOO_LARGE', { field: 'payload', message: `The message for "${args.channel}" is too large: ${reason}`, details })
  if (response.status === 401 || response.status === 403) {
    throw new RealtimePluginError('SEND_NOT_ALLOWED', { field: args.private ? 'channel' : null, message: `The server refused the message for "${args.channel}" (HTTP ${response.status}): ${reason}`, details })
  }
  throw new RealtimePluginError('SEND_FAILED', { message: `The server refused the message for "${args.channel}" (HTTP ${response.status}): ${reason}`, details })
}

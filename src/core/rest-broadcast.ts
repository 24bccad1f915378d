import type { RealtimeClient } from '@supabase/supabase-js'
import { errorFor } from './errors'

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
  const { channel, timeoutMs } = args
  const token = realtime.accessTokenValue ?? realtime.apiKey ?? ''
  const headers: Record<string, string> = { 'Content-Type': 'application/json', apikey: realtime.apiKey ?? '' }
  if (token) headers['Authorization'] = `Bearer ${token}`
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  let response: Response
  try {
    response = await realtime.fetch(realtime.httpEndpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ messages: [{ topic: channel, event: args.event, payload: args.payload, private: args.private }] }),
      signal: controller.signal,
    })
  } catch (error) {
    const aborted = error instanceof Error && error.name === 'AbortError'
    const options = { details: { channel, via: 'rest' }, cause: error }
    throw aborted
      ? errorFor('SEND_TIMED_OUT', 'httpTimedOut', { channel, timeoutMs }, options)
      : errorFor('SEND_FAILED', 'httpUnreachable', { channel, reason: error instanceof Error ? error.message : String(error) }, options)
  } finally {
    clearTimeout(timer)
  }
  if (response.ok) {
    await response.body?.cancel()
    return
  }
  const text = await response.text().catch(() => '')
  const reason = text.slice(0, 300)
  const details = { channel, via: 'rest', status: response.status, reason }
  const facts = { channel, status: response.status, reason }
  if (response.status === 429) throw errorFor('RATE_LIMITED', 'httpRefused', facts, { details })
  if (response.status === 413 || /size/i.test(reason)) throw errorFor('PAYLOAD_TOO_LARGE', 'httpRefused', facts, { field: 'payload', details })
  if (response.status === 401 || response.status === 403) throw errorFor('SEND_NOT_ALLOWED', 'httpRefused', facts, { field: args.private ? 'channel' : null, details })
  throw errorFor('SEND_FAILED', 'httpRefused', facts, { details })
}

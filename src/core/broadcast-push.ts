import type { RealtimeChannel } from '@supabase/supabase-js'
import { errorFor, RealtimePluginError } from './errors'

/** What an acknowledged broadcast needs from the channel it is sent on, by name (channel-pushes.ts provides it). */
export interface BroadcastLink {
  /** The joined SDK channel, waiting up to `timeoutMs` for a rejoin; rejects with `SUBSCRIBE_TIMED_OUT`. */
  joinedChannel(name: string, timeoutMs: number): Promise<RealtimeChannel>
  /** Settles like `work`, or with `'left'` as soon as the channel leaves SUBSCRIBED. */
  untilLeft<T>(name: string, work: Promise<T>): Promise<T | 'left'>
  /** The channel's status now (`REMOVED` once it is gone). */
  status(name: string): string
}

/** One broadcast to push: `payload` already carries its message id; `userPayload` is what the user gave (for sizes). */
export interface BroadcastPush {
  channel: string
  event: string
  payload: Record<string, unknown>
  userPayload: Record<string, unknown>
  private: boolean
  timeoutMs: number
}

/**
 * Pushes a broadcast and resolves once the server acknowledged it. While the channel is
 * reconnecting it waits for the rejoin; a message not acknowledged when the link dropped is sent
 * again (same id: receivers keep one copy). Fails after `timeoutMs`.
 */
export async function pushBroadcast(link: BroadcastLink, push: BroadcastPush): Promise<void> {
  const { channel, event, timeoutMs } = push
  const deadline = Date.now() + timeoutMs
  const message = { type: 'broadcast' as const, event, payload: push.payload }
  for (let attempt = 1; ; attempt++) {
    const sdkChannel = await joinedBefore(link, push, deadline)
    const result = await link.untilLeft(channel, sdkChannel.send(message, { timeout: Math.max(1, deadline - Date.now()) }))
    if (result === 'ok') return
    const joined = link.status(channel) === 'SUBSCRIBED'
    if (result === 'left' || (result === 'timed out' && !joined && Date.now() < deadline)) continue
    if (result === 'timed out') {
      throw errorFor('SEND_TIMED_OUT', 'notAcknowledged', { channel, event, timeoutMs, private: push.private }, { details: { channel, event, response: result, attempts: attempt } })
    }
    // NOTE: the only error reply the server gives an acknowledged broadcast is
    // `payload_size_exceeded` (docs/realtime-protocol.md §3.2, §7.5); supabase-js reports it as 'error'.
    const size = new TextEncoder().encode(JSON.stringify(push.userPayload)).length
    throw errorFor('PAYLOAD_TOO_LARGE', 'refused', { channel, event, bytes: size }, { field: 'payload', details: { channel, event, bytes: size, response: result } })
  }
}

/** The joined SDK channel, waiting for a rejoin until `deadline`; fails with a "connection is down" error. */
async function joinedBefore(link: BroadcastLink, push: BroadcastPush, deadline: number): Promise<RealtimeChannel> {
  const { channel, event, timeoutMs } = push
  try {
    return await link.joinedChannel(channel, deadline - Date.now())
  } catch (error) {
    if (error instanceof RealtimePluginError && error.code === 'SUBSCRIBE_TIMED_OUT') {
      const status = link.status(channel)
      throw errorFor('SEND_TIMED_OUT', 'connectionDown', { channel, event, timeoutMs, status }, { field: 'timeoutMs', details: { channel, event, status }, cause: error })
    }
    throw error
  }
}

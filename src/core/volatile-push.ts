import type { RealtimeChannel, RealtimeClient } from '@supabase/supabase-js'

/**
 * Pushes a broadcast on a joined channel straight through the socket, without waiting for (or
 * keeping a binding for) a reply, and without ever queueing it: returns `false` and sends nothing
 * unless the socket is connected and the channel joined.
 *
 * NOTE: supabase-js's `send()` keeps a reply binding alive for its 10 s timeout even with
 * `ack: false`, and falls back to REST (or buffers) while the channel is not joined; at cursor
 * rates that collapses throughput and replays stale positions. The frame is the one `send()` builds
 * (docs/realtime-protocol.md §1.3: with vsn 2.0.0 the client's serializer turns it into a binary
 * kind-3 USER_BROADCAST_PUSH), carrying the channel's current join_ref.
 */
export function pushVolatile(socket: RealtimeClient, channel: RealtimeChannel, event: string, payload: Record<string, unknown>): boolean {
  if (!socket.isConnected() || channel.state !== 'joined') return false
  const joinRef = channel.joinPush.ref
  try {
    socket.push({
      topic: channel.topic,
      event: 'broadcast',
      payload: { type: 'broadcast', event, payload },
      ref: '',
      ...(typeof joinRef === 'string' ? { join_ref: joinRef } : {}),
    })
    return true
  } catch {
    // NOTE: the serializer throws for an event name over 255 bytes; the message is dropped.
    return false
  }
}

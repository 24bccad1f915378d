import type { RealtimeChannel } from '@supabase/supabase-js'
import type { RealtimeRestClient } from './realtime-rest-client'
import { pushBroadcast, type BroadcastLink } from './broadcast-push'
import { ChannelInbox } from './channel-inbox'
import { errorFor, type RealtimePluginError } from './errors'
import type { RegistryEntry } from './registry-entry'
import { restBroadcast } from './rest-broadcast'
import type { ChannelPresence } from './types'

/** A broadcast the server acknowledged. */
export interface SentBroadcast {
  /** Its message id. */
  id: string
  /** Whether its echo comes back to this instance (`self` on a subscribed channel). */
  echo: boolean
  /** Over the channel's socket, or over HTTP to a channel that is not subscribed. */
  via: 'socket' | 'http'
}

/**
 * Every push the registry makes on its channels: acknowledged broadcasts (over HTTP to a channel
 * that is not subscribed), unacknowledged ("volatile") broadcasts, and presence. The registry
 * holds one and passes its lookups; nothing else pushes on a channel.
 */
export class ChannelPushes implements BroadcastLink {
  readonly #client: RealtimeRestClient
  readonly #entryOf: (name: string) => RegistryEntry | undefined

  constructor(client: RealtimeRestClient, entryOf: (name: string) => RegistryEntry | undefined) {
    this.#client = client
    this.#entryOf = entryOf
  }

  /** See {@link ChannelRegistry.send}. */
  async send(name: string, event: string, payload: Record<string, unknown>, timeoutMs: number): Promise<SentBroadcast> {
    const entry = this.#entryOf(name)
    if (!entry) {
      const stamped = new ChannelInbox().stamp(payload, false)
      await restBroadcast(this.#client.realtime, { channel: name, event, payload: stamped.payload, private: false, timeoutMs })
      return { id: stamped.id, echo: false, via: 'http' }
    }
    const echo = entry.config.broadcast.self
    const stamped = entry.inbox.stamp(payload, echo)
    try {
      await pushBroadcast(this, { channel: name, event, payload: stamped.payload, userPayload: payload, private: entry.config.private, timeoutMs })
    } catch (error) {
      if (echo) entry.inbox.unstamp(stamped.id)
      throw error
    }
    return { id: stamped.id, echo, via: 'socket' }
  }

  /** See {@link ChannelRegistry.sendVolatile}. */
  sendVolatile(name: string, event: string, payload: Record<string, unknown>): boolean {
    const entry = this.#entryOf(name)
    const channel = entry?.channel
    if (!entry || !channel || entry.closing || entry.state.status !== 'SUBSCRIBED' || !this.#client.realtime.isConnected()) return false
    // NOTE: a socket push, not channel.send(): no Push object, so no reply binding, no timer, no buffer.
    this.#client.realtime.push({ topic: channel.topic, event: 'broadcast', payload: { type: 'broadcast', event, payload }, ref: '' })
    return true
  }

  /** See {@link ChannelRegistry.track}. */
  async track(name: string, state: Record<string, unknown> | null, timeoutMs: number): Promise<ChannelPresence> {
    const entry = this.#entryOf(name)
    if (!entry) throw notSubscribed(name)
    await entry.presence.update(state, timeoutMs, entry.config.presence.enabled)
    return entry.presence.current()
  }

  /** The joined SDK channel (at once if it is joined), waiting up to `timeoutMs` for the next join. */
  async joinedChannel(name: string, timeoutMs: number): Promise<RealtimeChannel> {
    const entry = this.#entryOf(name)
    if (!entry) throw notSubscribed(name)
    if (entry.state.status === 'SUBSCRIBED' && entry.channel) return entry.channel
    await entry.guards.nextJoin(timeoutMs, () => errorFor('SUBSCRIBE_TIMED_OUT', 'notConnected', { channel: name, status: entry.state.status }, { field: 'channel' }))
    if (!entry.channel) throw notSubscribed(name)
    return entry.channel
  }

  /** Settles like `work`, unless the server closes the channel first. */
  untilClosed<T>(name: string, work: Promise<T>): Promise<T> {
    return this.#entryOf(name)?.guards.untilClosed(work) ?? work
  }

  /** The channel's status now (`REMOVED` once it is gone). */
  status(name: string): string {
    return this.#entryOf(name)?.state.status ?? 'REMOVED'
  }

  /** Settles like `work`, or with `'left'` as soon as the channel leaves SUBSCRIBED. */
  async untilLeft<T>(name: string, work: Promise<T>): Promise<T | 'left'> {
    const entry = this.#entryOf(name)
    if (!entry) return work
    if (entry.state.status !== 'SUBSCRIBED') return 'left'
    return entry.guards.untilLeft(work)
  }
}

function notSubscribed(name: string): RealtimePluginError {
  return errorFor('CHANNEL_NOT_SUBSCRIBED', 'notSubscribed', { channel: name }, { field: 'channel' })
}

import type { RealtimeRestClient } from './realtime-rest-client'
import { channelConfigKey, type ChannelConfig } from './channel-config'
import type { RawBroadcast } from './channel-inbox'
import { ChannelPushes, type SentBroadcast } from './channel-pushes'
import { ChannelPresenceTracker } from './channel-presence'
import { joinConfig, replaySince } from './channel-replay'
import { applyStatus, applySystem, type StatusLink } from './channel-status'
import { defaultPresenceKey } from './default-presence-key'
import { errorFor, RealtimePluginError } from './errors'
import { isReady, newRegistryEntry, type RegistryEntry } from './registry-entry'
import { bindSdkChannel, createSdkChannel } from './sdk-channel'
import { StateWatchers, type StateWatcher } from './state-watchers'
import type { ChannelRegistryOptions, ChannelView, RegistryListener } from './registry-types'
import type { ChannelPresence, ChannelState } from './types'

export type { ReceivedBroadcast } from './channel-inbox'
export type { ChannelRegistryOptions, ChannelView, RegistryListener } from './registry-types'
export { MAX_REPLAY_MESSAGES } from './channel-replay'

/**
 * The map of subscribed channels and their status machine, and every push made on them. One
 * supabase-js channel per name: subscribing again with the same config returns the current state,
 * a different config replaces the channel. Reopening (reopen-policy.ts), waiting for Subscribe
 * (subscribe-waiters.ts), guarding pushes (push-guards.ts), replay (channel-replay.ts), message
 * ids (channel-inbox.ts) and presence (channel-presence.ts) each live in their own module.
 */
export class ChannelRegistry implements StatusLink {
  readonly #entries = new Map<string, RegistryEntry>()
  readonly #watchers = new StateWatchers()
  readonly #client: RealtimeRestClient
  readonly #listener: RegistryListener
  readonly #options: ChannelRegistryOptions
  readonly #pushes: ChannelPushes
  #disposed = false

  constructor(options: ChannelRegistryOptions) {
    this.#pushes = new ChannelPushes(options.client, (name) => this.#entries.get(name))
    this.#client = options.client
    this.#listener = options.listener
    this.#options = options
  }

  /** Subscribes (or returns the live subscription with the same config). */
  async subscribe(config: ChannelConfig): Promise<ChannelState> {
    this.#assertAlive()
    const key = channelConfigKey(config)
    const existing = this.#entries.get(config.name)
    // NOTE: an entry in the map is never `closing` (leaving removes it from the map at once).
    if (existing?.key === key) return this.#rejoinExisting(existing, config)
    if (existing) await this.#removeEntry(existing, 'replaced')
    // NOTE: the first join would otherwise race supabase-js's own token fetch and go out with the
    // API key; private channels and RLS-filtered database changes need the user's token from the start.
    await this.#refreshAuth()
    const presenceKey = config.presence.key || (await defaultPresenceKey(this.#client, this.#options.fallbackPresenceKey))
    // NOTE: a concurrent subscribe may have created the channel while we awaited; no await from
    // here until the new entry is in the map.
    const raced = this.#entries.get(config.name)
    if (raced) {
      if (raced.key === key) return this.#rejoinExisting(raced, config)
      await this.#removeEntry(raced, 'replaced')
    }
    const entry = this.#createEntry(config, key, presenceKey)
    this.#entries.set(entry.name, entry)
    this.#report(entry)
    this.#listener.onPresence(entry.name, entry.presence.current(), [], false)
    const ready = this.#waitReady(entry, config.timeoutMs, true)
    await this.#open(entry)
    return ready
  }

  /** A read-only view of a subscribed channel, or `null`. */
  get(name: string): ChannelView | null {
    const entry = this.#entries.get(name)
    if (!entry) return null
    return { config: entry.config, state: { ...entry.state }, presence: entry.presence.current(), joins: entry.joins }
  }

  /** Names of every subscribed channel. */
  names(): string[] {
    return [...this.#entries.keys()]
  }

  /**
   * Calls `listener` with every state of the channel named `name` (`null` once it is removed),
   * before the registry's listener hears of it; survives the channel being replaced. Returns the remover.
   */
  watch(name: string, watcher: StateWatcher): () => void {
    return this.#watchers.add(name, watcher)
  }

  /**
   * Broadcasts and resolves once the server acknowledged it (broadcast-push.ts); a channel that
   * is not subscribed is sent to over HTTP. Returns the message id and whether its echo comes
   * back (`self` on).
   */
  send(name: string, event: string, payload: Record<string, unknown>, timeoutMs: number): Promise<SentBroadcast> {
    this.#assertAlive()
    return this.#pushes.send(name, event, payload, timeoutMs)
  }

  /**
   * Sends a broadcast without acknowledgement, message id or retry: only while the channel is
   * SUBSCRIBED and the socket connected, never buffered, no reply awaited. Returns whether it went out.
   */
  sendVolatile(name: string, event: string, payload: Record<string, unknown>): boolean {
    return this.#pushes.sendVolatile(name, event, payload)
  }

  /** Tracks (or, with `null`, untracks) this instance's presence on a subscribed channel; returns the new presence. */
  track(name: string, state: Record<string, unknown> | null, timeoutMs: number): Promise<ChannelPresence> {
    return this.#pushes.track(name, state, timeoutMs)
  }

  /** Leaves one channel; resolves also when it was not subscribed. */
  async unsubscribe(name: string): Promise<void> {
    const entry = this.#entries.get(name)
    if (!entry) return
    await this.#removeEntry(entry, 'unsubscribed')
    this.#publish(name, null)
  }

  /** Leaves every channel. */
  async unsubscribeAll(): Promise<void> {
    await Promise.all(this.names().map((name) => this.unsubscribe(name)))
  }

  /** Leaves every channel and refuses further work. */
  async dispose(): Promise<void> {
    await this.unsubscribeAll()
    this.#disposed = true
    this.#watchers.clear()
  }

  // ---- the status machine (channel-status.ts) calls these --------------------------------------

  /** @internal */
  isCurrent(entry: RegistryEntry): boolean {
    return this.#entries.get(entry.name) === entry && !entry.closing
  }

  /** @internal Sets part of a channel's state and reports it. */
  setState(entry: RegistryEntry, patch: Partial<ChannelState>): void {
    entry.state = { ...entry.state, ...patch }
    this.#report(entry)
  }

  /** @internal The channel is ready (joined, database changes confirmed): Subscribe waiters resolve. */
  settleWaiters(entry: RegistryEntry): void {
    if (isReady(entry)) entry.waiters.ready(entry.state)
  }

  /** @internal */
  failWaiters(entry: RegistryEntry, error: RealtimePluginError): void {
    entry.waiters.fail(error, (e) => this.#abandon(entry, e))
  }

  /** @internal Before supabase-js rejoins by itself, ask for a replay since the last message received. */
  prepareRejoin(entry: RegistryEntry): void {
    if (!entry.channel || replaySince(entry) === null) return
    entry.channel.updateJoinPayload({ config: { ...joinConfig(entry), postgres_changes: entry.joinFilters } })
  }

  /** @internal The server closed the channel for good: reopen it after the policy's delay. */
  scheduleReopen(entry: RegistryEntry): void {
    if (this.#disposed) return
    entry.reopen.schedule(() => {
      if (!this.isCurrent(entry)) return
      this.setState(entry, { status: 'JOINING', reopens: entry.state.reopens + 1 })
      void this.#reopenNow(entry)
    })
  }

  // ---- internals -------------------------------------------------------------------------------

  #rejoinExisting(entry: RegistryEntry, config: ChannelConfig): ChannelState | Promise<ChannelState> {
    entry.config = config
    return isReady(entry) ? { ...entry.state } : this.#waitReady(entry, config.timeoutMs, false)
  }

  #createEntry(config: ChannelConfig, key: string, presenceKey: string): RegistryEntry {
    const name = config.name
    const presence = new ChannelPresenceTracker(
      name,
      presenceKey,
      {
        status: () => entry.state.status,
        whenJoined: (timeoutMs) => this.#pushes.joinedChannel(name, timeoutMs),
        untilClosed: (work) => this.#pushes.untilClosed(name, work),
        log: (level, message, meta) => this.#listener.onLog(level, message, meta),
      },
      (view, changes, synced) => {
        if (this.#entries.get(name) === entry) this.#listener.onPresence(name, view, changes, synced)
      },
    )
    const entry = newRegistryEntry(config, key, presence, this.#options)
    return entry
  }

  #assertAlive(): void {
    if (this.#disposed) throw new RealtimePluginError('DISPOSED')
  }

  async #refreshAuth(): Promise<void> {
    try {
      await this.#client.realtime.setAuth()
    } catch (error) {
      this.#listener.onLog('warn', 'Could not refresh the Realtime access token', { error: String(error) })
    }
  }

  #report(entry: RegistryEntry): void {
    this.#publish(entry.name, { ...entry.state })
  }

  #publish(name: string, state: ChannelState | null): void {
    this.#watchers.tell(name, state)
    this.#listener.onChannelState(name, state)
  }

  async #open(entry: RegistryEntry): Promise<void> {
    const { config, name } = entry
    const channel = await createSdkChannel(this.#client, name, joinConfig(entry))
    if (!this.isCurrent(entry)) {
      await this.#client.removeChannel(channel)
      return
    }
    entry.channel = channel
    entry.lastSystemError = null
    const current = () => entry.channel === channel && this.isCurrent(entry)
    entry.joinFilters = bindSdkChannel(
      channel,
      config,
      {
        broadcast: (message) => this.#onBroadcast(entry, message),
        postgres: (payload, binding, companion) => {
          if (!companion) entry.state.lastMessageAt = Date.now()
          this.#listener.onPostgresChange(name, payload, binding, companion)
        },
        system: (message) => applySystem(this, entry, message),
      },
      current,
    )
    if (config.presence.enabled) entry.presence.bind(channel, current)
    channel.subscribe((status, error) => {
      if (current()) applyStatus(this, entry, status, error)
    }, config.timeoutMs)
  }

  #onBroadcast(entry: RegistryEntry, raw: RawBroadcast): void {
    const delivery = entry.inbox.receive(raw)
    if (!delivery) return
    entry.state.lastMessageAt = Date.now()
    if (delivery.to === 'reserved' && this.#listener.onReservedBroadcast) this.#listener.onReservedBroadcast(entry.name, delivery.message)
    else this.#listener.onBroadcast(entry.name, delivery.message)
  }

  async #reopenNow(entry: RegistryEntry): Promise<void> {
    await this.#refreshAuth()
    try {
      await this.#open(entry)
    } catch (error) {
      this.#listener.onLog('error', `Channel "${entry.name}" could not be reopened`, { error: String(error) })
      this.scheduleReopen(entry)
    }
  }

  #waitReady(entry: RegistryEntry, timeoutMs: number, initial: boolean): Promise<ChannelState> {
    return entry.waiters.wait(timeoutMs, initial, () => entry.state, (error) => this.#abandon(entry, error))
  }

  /** A first subscribe failed: keep the failure visible in `channels` and leave the server channel. */
  #abandon(entry: RegistryEntry, error: RealtimePluginError): void {
    if (this.#entries.get(entry.name) !== entry) return
    const status = error.code === 'SUBSCRIBE_TIMED_OUT' ? 'TIMED_OUT' : entry.state.status === 'CLOSED' ? 'CLOSED' : 'CHANNEL_ERROR'
    entry.closing = true
    this.#entries.delete(entry.name)
    entry.state = { ...entry.state, status, error: error.toJSON() }
    this.#report(entry)
    void this.#removeEntry(entry, 'failed')
  }

  async #removeEntry(entry: RegistryEntry, why: 'replaced' | 'unsubscribed' | 'failed'): Promise<void> {
    entry.closing = true
    entry.reopen.cancel()
    if (why !== 'failed') {
      entry.waiters.fail(errorFor('CHANNEL_CLOSED', 'left', { channel: entry.name, why }, { details: { channel: entry.name } }))
    }
    entry.guards.clear()
    if (this.#entries.get(entry.name) === entry) this.#entries.delete(entry.name)
    const channel = entry.channel
    entry.channel = null
    if (channel) {
      const result = await this.#client.removeChannel(channel)
      if (result !== 'ok') this.#listener.onLog('warn', `Leaving channel "${entry.name}" ended with "${result}"`)
    }
  }
}

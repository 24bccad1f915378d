import type { RealtimeChannel, RealtimePostgresChangesPayload } from '@supabase/supabase-js'
import { channelConfigKey, companionBindings, type ChannelConfig, type PostgresBindingConfig } from './channel-config'
import { ChannelPresenceTracker } from './channel-presence'
import { errorFromServerReason, isTransientReason, isTransportReason } from './error-from-server'
import { RealtimePluginError } from './errors'
import { SeenIds, splitMessageId } from './message-ids'
import type { PresenceChange } from './presence-fold'
import type { RealtimeRestClient } from './realtime-rest-client'
import type { ChannelPresence, ChannelState, ChannelStatus, Row } from './types'

/** A broadcast received on a channel, once per message id. */
export interface ReceivedBroadcast {
  event: string
  payload: unknown
  /** The message id (the plugin's own, or the database's), or `null` when the sender gave none. */
  id: string | null
  /** `true` when the server replayed it after a rejoin. */
  replayed: boolean
}

/** What the registry reports to the layer above (the runtime). The registry never calls anything else above it. */
export interface RegistryListener {
  /** A channel's state changed; `null` when the channel was removed. */
  onChannelState(name: string, state: ChannelState | null): void
  onBroadcast(name: string, message: ReceivedBroadcast): void
  /** Presence changed: the new view and, after a server sync, what changed per key. */
  onPresence(name: string, view: ChannelPresence, changes: readonly PresenceChange[], synced: boolean): void
  /** A row change; `companion` changes come from the bindings that only maintain collections. */
  onPostgresChange(name: string, payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean): void
  onLog(level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void
}

/** Options of {@link ChannelRegistry}. */
export interface ChannelRegistryOptions {
  client: RealtimeRestClient
  listener: RegistryListener
  /** Presence key used when a channel sets none and no user is signed in. */
  fallbackPresenceKey: string
  /** Delay before reopening a channel the server closed, by attempt (1-based). @default 1 s, 2 s, 5 s, then 10 s */
  reopenAfterMs?: (attempt: number) => number
}

/** A read-only view of one subscribed channel. */
export interface ChannelView {
  readonly config: ChannelConfig
  readonly state: ChannelState
  /** The SDK channel (`null` while it is being reopened). */
  readonly channel: RealtimeChannel | null
  readonly presence: ChannelPresenceTracker
  /** Counts the joins of this channel: a change means it left and joined again. */
  readonly joins: number
}

interface Waiter {
  resolve: (state: ChannelState) => void
  reject: (error: RealtimePluginError) => void
  /** The first subscribe of this entry: a failure removes the channel. */
  initial: boolean
  timer: ReturnType<typeof setTimeout>
}

interface Entry {
  readonly name: string
  /** The latest config subscribed with this key (its `timeoutMs` and `load` may differ from the first). */
  config: ChannelConfig
  readonly key: string
  readonly presence: ChannelPresenceTracker
  channel: RealtimeChannel | null
  state: ChannelState
  closing: boolean
  lastSystemError: string | null
  reopenTimer: ReturnType<typeof setTimeout> | null
  reopenAttempts: number
  waiters: Set<Waiter>
  /** Listeners waiting for the next SUBSCRIBED (actions during a rejoin). */
  joinedListeners: Set<() => void>
  /** Listeners told when the channel leaves SUBSCRIBED (a push in flight may never be answered). */
  leftListeners: Set<() => void>
  /** Listeners told when the server closes the channel (pending pushes will never be answered). */
  closedListeners: Set<(error: RealtimePluginError) => void>
  /** Ids of the messages received lately, to drop copies (re-sent or replayed). */
  seen: SeenIds
  joins: number
  /** When the channel left SUBSCRIBED, or `null` while it is joined. */
  downSince: number | null
  /** The postgres filters given to supabase-js, in order (the join payload lists them). */
  joinFilters: Record<string, unknown>[]
}

/** Most messages the server replays on one join. */
export const MAX_REPLAY_MESSAGES = 25
/** Replay starts this long before the last message received (clock skew); copies are dropped by id. */
const REPLAY_MARGIN_MS = 1000
const REOPEN_STEPS = [1000, 2000, 5000, 10000]

/**
 * One supabase-js channel per name. Subscribing again with the same config returns the current
 * state, a different config replaces the channel, a channel closed by the server is reopened
 * with backoff, tracked presence is sent again after every rejoin, a private channel asks the
 * server to replay what it missed, and a message received twice (same id) is passed on once.
 */
export class ChannelRegistry {
  private readonly entries = new Map<string, Entry>()
  private readonly client: RealtimeRestClient
  private readonly listener: RegistryListener
  private readonly fallbackPresenceKey: string
  private readonly reopenAfterMs: (attempt: number) => number
  private disposed = false

  constructor(options: ChannelRegistryOptions) {
    this.client = options.client
    this.listener = options.listener
    this.fallbackPresenceKey = options.fallbackPresenceKey
    this.reopenAfterMs = options.reopenAfterMs ?? ((attempt) => REOPEN_STEPS[attempt - 1] ?? 10000)
  }

  /** Subscribes (or returns the live subscription with the same config). */
  async subscribe(config: ChannelConfig): Promise<ChannelState> {
    this.assertAlive()
    const key = channelConfigKey(config)
    const existing = this.entries.get(config.name)
    if (existing && existing.key === key && !existing.closing) {
      existing.config = config
      if (isReady(existing)) return { ...existing.state }
      return this.waitReady(existing, config.timeoutMs, false)
    }
    if (existing) await this.removeEntry(existing, 'replaced')
    // NOTE: the first join would otherwise race supabase-js's own token fetch and go out with the
    // API key; private channels and RLS-filtered database changes need the user's token from the start.
    await this.refreshAuth()
    const presenceKey = config.presence.key || (await this.defaultPresenceKey())
    // NOTE: a concurrent subscribe may have created the channel while we awaited.
    const raced = this.entries.get(config.name)
    if (raced) {
      if (raced.key === key) {
        raced.config = config
        return isReady(raced) ? { ...raced.state } : this.waitReady(raced, config.timeoutMs, false)
      }
      await this.removeEntry(raced, 'replaced')
    }
    const name = config.name
    const entry: Entry = {
      name,
      config,
      key,
      presence: new ChannelPresenceTracker(
        name,
        presenceKey,
        {
          status: () => entry.state.status,
          whenJoined: (timeoutMs) => this.whenJoined(name, timeoutMs),
          untilClosed: (work) => this.untilClosed(name, work),
          log: (level, message, meta) => this.listener.onLog(level, message, meta),
        },
        (view, changes, synced) => {
          if (this.entries.get(name) === entry) this.listener.onPresence(name, view, changes, synced)
        },
      ),
      channel: null,
      state: {
        name,
        status: 'JOINING',
        error: null,
        private: config.private,
        joinedAt: null,
        dbReady: false,
        bindings: config.postgresChanges.length,
        reopens: 0,
        resumed: false,
        downtimeMs: null,
        lastMessageAt: null,
        stale: false,
      },
      closing: false,
      lastSystemError: null,
      reopenTimer: null,
      reopenAttempts: 0,
      waiters: new Set(),
      joinedListeners: new Set(),
      leftListeners: new Set(),
      closedListeners: new Set(),
      seen: new SeenIds(),
      joins: 0,
      downSince: null,
      joinFilters: [],
    }
    this.entries.set(name, entry)
    this.listener.onChannelState(name, { ...entry.state })
    this.listener.onPresence(name, entry.presence.current(), [], false)
    const ready = this.waitReady(entry, config.timeoutMs, true)
    await this.open(entry)
    return ready
  }

  /** A read-only view of a subscribed channel, or `null`. */
  get(name: string): ChannelView | null {
    const entry = this.entries.get(name)
    if (!entry) return null
    return { config: entry.config, state: { ...entry.state }, channel: entry.channel, presence: entry.presence, joins: entry.joins }
  }

  /** Names of every subscribed channel. */
  names(): string[] {
    return [...this.entries.keys()]
  }

  /** The collections of a channel were loaded again after a gap: clear its `stale` flag. */
  markFresh(name: string): void {
    const entry = this.entries.get(name)
    if (entry?.state.stale) this.setState(entry, { stale: false })
  }

  /** Resolves once the channel is SUBSCRIBED (at once if it is), or rejects after `timeoutMs`. */
  async whenJoined(name: string, timeoutMs: number): Promise<RealtimeChannel> {
    const entry = this.entries.get(name)
    if (!entry) throw notSubscribed(name)
    if (entry.state.status === 'SUBSCRIBED' && entry.channel) return entry.channel
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        entry.joinedListeners.delete(done)
        resolve()
      }
      const timer = setTimeout(() => {
        entry.joinedListeners.delete(done)
        reject(
          new RealtimePluginError('SUBSCRIBE_TIMED_OUT', {
            field: 'channel',
            message: `Channel "${name}" is not connected right now (status ${entry.state.status}).`,
            details: { channel: name, status: entry.state.status },
          }),
        )
      }, Math.max(0, timeoutMs))
      entry.joinedListeners.add(done)
    })
    if (!entry.channel) throw notSubscribed(name)
    return entry.channel
  }

  /**
   * Settles like `work`, or with `'left'` as soon as the channel leaves SUBSCRIBED (a push in
   * flight on a lost connection is never answered); rejects when the server closes the channel.
   */
  async untilLeft<T>(name: string, work: Promise<T>): Promise<T | 'left'> {
    const entry = this.entries.get(name)
    if (!entry) return work
    if (entry.state.status !== 'SUBSCRIBED') return 'left'
    let onLeft: (() => void) | null = null
    const left = new Promise<'left'>((resolve) => {
      onLeft = () => resolve('left')
      entry.leftListeners.add(onLeft)
    })
    try {
      return await this.untilClosed(name, Promise.race([work, left]))
    } finally {
      if (onLeft) entry.leftListeners.delete(onLeft)
    }
  }

  /**
   * Settles like `work`, unless the server closes the channel first: then rejects with the
   * reason, since a push on a closed channel is never answered.
   */
  async untilClosed<T>(name: string, work: Promise<T>): Promise<T> {
    const entry = this.entries.get(name)
    if (!entry) return work
    let listener: ((error: RealtimePluginError) => void) | null = null
    const closed = new Promise<never>((_, reject) => {
      listener = reject
      entry.closedListeners.add(reject)
    })
    try {
      return await Promise.race([work, closed])
    } finally {
      if (listener) entry.closedListeners.delete(listener)
    }
  }

  /** Leaves one channel; resolves also when it was not subscribed. */
  async unsubscribe(name: string): Promise<void> {
    const entry = this.entries.get(name)
    if (!entry) return
    await this.removeEntry(entry, 'unsubscribed')
    this.listener.onChannelState(name, null)
  }

  /** Leaves every channel. */
  async unsubscribeAll(): Promise<void> {
    await Promise.all(this.names().map((name) => this.unsubscribe(name)))
  }

  /** Leaves every channel and refuses further work. */
  async dispose(): Promise<void> {
    await this.unsubscribeAll()
    this.disposed = true
  }

  private assertAlive(): void {
    if (this.disposed) throw new RealtimePluginError('DISPOSED')
  }

  private async refreshAuth(): Promise<void> {
    try {
      await this.client.realtime.setAuth()
    } catch (error) {
      this.listener.onLog('warn', 'Could not refresh the Realtime access token', { error: String(error) })
    }
  }

  private async defaultPresenceKey(): Promise<string> {
    try {
      // NOTE: a client built with the `accessToken` option throws on `auth` access.
      const id = (await this.client.auth?.getSession())?.data.session?.user.id
      if (id) return id
    } catch {
      // fall through: no auth client
    }
    const sub = subjectOf(this.client.realtime.accessTokenValue)
    return sub ?? this.fallbackPresenceKey
  }

  private setState(entry: Entry, patch: Partial<ChannelState>): void {
    const previous = entry.state
    entry.state = { ...previous, ...patch }
    this.listener.onChannelState(entry.name, { ...entry.state })
  }

  /** The join configuration supabase-js sends, with a replay request on a private channel that joined before. */
  private joinConfig(entry: Entry): { broadcast: Record<string, unknown>; presence: Record<string, unknown>; private: boolean } {
    const { config } = entry
    const broadcast: Record<string, unknown> = { self: config.broadcast.self, ack: config.broadcast.ack }
    const replay = this.replaySince(entry)
    if (replay !== null) broadcast['replay'] = { since: replay, limit: MAX_REPLAY_MESSAGES }
    return { broadcast, presence: { key: entry.presence.key, enabled: config.presence.enabled }, private: config.private }
  }

  private replaySince(entry: Entry): number | null {
    if (!entry.config.private || entry.joins === 0) return null
    const from = entry.state.lastMessageAt ?? entry.downSince ?? entry.state.joinedAt
    return from === null ? null : Math.max(0, from - REPLAY_MARGIN_MS)
  }

  /** Before supabase-js rejoins by itself, ask for a replay since the last message received. */
  private prepareRejoin(entry: Entry): void {
    const channel = entry.channel
    if (!channel || this.replaySince(entry) === null) return
    channel.updateJoinPayload({ config: { ...this.joinConfig(entry), postgres_changes: entry.joinFilters } })
  }

  private async open(entry: Entry): Promise<void> {
    const { config, name } = entry
    const sdkConfig = this.joinConfig(entry)
    let channel = this.client.channel(name, { config: sdkConfig })
    if (channel.joinedOnce || channel.state !== 'closed') {
      // NOTE: supabase-js returns an existing channel object for a known topic; a joined one
      // cannot be joined again, so it is replaced.
      await this.client.removeChannel(channel)
      channel = this.client.channel(name, { config: sdkConfig })
    } else {
      // NOTE: an unjoined channel object the app made on a shared client keeps its listeners, but
      // joins with the plugin's settings (they are read at join time).
      channel.params.config = { ...channel.params.config, ...sdkConfig }
      channel.private = config.private
    }
    if (entry.closing || this.entries.get(name) !== entry) {
      await this.client.removeChannel(channel)
      return
    }
    entry.channel = channel
    entry.lastSystemError = null
    entry.joinFilters = []
    const current = () => entry.channel === channel && !entry.closing && this.entries.get(name) === entry

    channel.on('broadcast', { event: '*' }, (message: { event?: string; payload?: unknown; meta?: { id?: unknown; replayed?: unknown } }) => {
      if (!current()) return
      this.onBroadcast(entry, message)
    })
    if (config.presence.enabled) entry.presence.bind(channel, current)
    for (const binding of config.postgresChanges) {
      const filter: { event: PostgresBindingConfig['event']; schema: string; table: string; filter?: string; select?: string[] } = {
        event: binding.event,
        schema: binding.schema,
        table: binding.table,
      }
      if (binding.filter) filter.filter = binding.filter
      if (binding.select) filter.select = binding.select
      entry.joinFilters.push(filter)
      channel.on('postgres_changes', filter, (payload: RealtimePostgresChangesPayload<Row>) => {
        if (!current()) return
        entry.state.lastMessageAt = Date.now()
        this.listener.onPostgresChange(name, payload, binding, false)
      })
    }
    // NOTE: registered after the user's bindings, so a frame both match reaches the user's first.
    for (const binding of companionBindings(config.postgresChanges)) {
      const filter = { event: binding.event as 'UPDATE', schema: binding.schema, table: binding.table }
      entry.joinFilters.push(filter)
      channel.on('postgres_changes', filter, (payload: RealtimePostgresChangesPayload<Row>) => {
        if (current()) this.listener.onPostgresChange(name, payload, binding, true)
      })
    }
    channel.on('system', {}, (payload: { extension?: string; status?: string; message?: string }) => {
      if (!current()) return
      this.onSystem(entry, payload)
    })
    channel.subscribe((status, error) => {
      if (!current()) return
      this.onStatus(entry, status, error)
    }, config.timeoutMs)
  }

  private onBroadcast(entry: Entry, message: { event?: string; payload?: unknown; meta?: { id?: unknown; replayed?: unknown } }): void {
    const split = splitMessageId(message.payload)
    const metaId = message.meta && typeof message.meta.id === 'string' ? message.meta.id : null
    const id = split.id ?? metaId
    // NOTE: a message re-sent after a rejoin, or replayed by the server, arrives twice: keep one.
    if (id !== null && !entry.seen.add(id)) return
    const now = Date.now()
    entry.state.lastMessageAt = now
    this.listener.onBroadcast(entry.name, {
      event: String(message.event ?? ''),
      payload: split.payload,
      id,
      replayed: message.meta?.replayed === true,
    })
  }

  private onSystem(entry: Entry, payload: { extension?: string; status?: string; message?: string }): void {
    const message = String(payload.message ?? '')
    if (payload.extension === 'postgres_changes') {
      if (payload.status === 'ok') {
        this.setState(entry, { dbReady: true, error: entry.state.error?.code === 'DATABASE_SUBSCRIBE_FAILED' ? null : entry.state.error })
        this.settleWaiters(entry)
      } else {
        const error = errorFromServerReason(message, { channel: entry.name, source: 'database' })
        this.setState(entry, { dbReady: false, error: error.toJSON() })
        this.failWaiters(entry, error)
      }
      return
    }
    if (payload.status === 'error') entry.lastSystemError = message
  }

  /** The channel is no longer joined: remember since when, and tell pushes in flight. */
  private left(entry: Entry): void {
    if (entry.downSince === null && entry.joins > 0) entry.downSince = Date.now()
    for (const listener of [...entry.leftListeners]) listener()
    entry.leftListeners.clear()
  }

  private onStatus(entry: Entry, status: string, error: Error | undefined): void {
    switch (status) {
      case 'SUBSCRIBED': {
        entry.reopenAttempts = 0
        const now = Date.now()
        const resumed = entry.joins > 0
        const downtimeMs = resumed && entry.downSince !== null ? now - entry.downSince : null
        entry.joins++
        entry.downSince = null
        // NOTE: dbReady is reset on every error and set by the server's `system` message.
        this.setState(entry, {
          status: 'SUBSCRIBED',
          joinedAt: now,
          error: null,
          resumed,
          downtimeMs: resumed ? downtimeMs : null,
          stale: entry.state.stale || (resumed && entry.config.postgresChanges.length > 0),
        })
        for (const listener of [...entry.joinedListeners]) listener()
        if (entry.channel) void entry.presence.rejoined(entry.channel)
        this.settleWaiters(entry)
        return
      }
      case 'CHANNEL_ERROR': {
        const reason = error?.message ?? 'channel error'
        const transport = isTransportReason(reason)
        const pluginError = errorFromServerReason(reason, { channel: entry.name, source: transport ? 'transport' : 'join' })
        this.left(entry)
        this.prepareRejoin(entry)
        this.setState(entry, { status: 'CHANNEL_ERROR', error: pluginError.toJSON(), dbReady: false })
        // NOTE: transient failures keep Subscribe waiting (supabase-js retries the join); others end it.
        if (!isTransientReason(reason)) this.failWaiters(entry, pluginError)
        return
      }
      case 'TIMED_OUT': {
        const pluginError = new RealtimePluginError('SUBSCRIBE_TIMED_OUT', {
          message: `The server did not answer the join of channel "${entry.name}" in time; retrying.`,
          details: { channel: entry.name },
        })
        this.left(entry)
        this.prepareRejoin(entry)
        this.setState(entry, { status: 'TIMED_OUT', error: pluginError.toJSON(), dbReady: false })
        return
      }
      case 'CLOSED': {
        if (entry.closing) return
        const reason = entry.lastSystemError ?? 'the channel was closed by the server'
        const pluginError = errorFromServerReason(reason, { channel: entry.name, source: 'close' })
        entry.channel = null
        this.left(entry)
        this.setState(entry, { status: 'CLOSED', error: pluginError.toJSON(), dbReady: false })
        for (const listener of [...entry.closedListeners]) listener(pluginError)
        entry.closedListeners.clear()
        const initialWaiting = [...entry.waiters].some((w) => w.initial)
        if (initialWaiting) {
          this.failWaiters(entry, pluginError)
          return
        }
        this.scheduleReopen(entry)
        return
      }
      default:
        return
    }
  }

  private scheduleReopen(entry: Entry): void {
    if (entry.reopenTimer || this.disposed) return
    entry.reopenAttempts++
    const delay = this.reopenAfterMs(entry.reopenAttempts)
    entry.reopenTimer = setTimeout(() => {
      entry.reopenTimer = null
      if (entry.closing || this.entries.get(entry.name) !== entry) return
      this.setState(entry, { status: 'JOINING', reopens: entry.state.reopens + 1 })
      void this.reopen(entry)
    }, delay)
  }

  private async reopen(entry: Entry): Promise<void> {
    await this.refreshAuth()
    try {
      await this.open(entry)
    } catch (error) {
      this.listener.onLog('error', `Channel "${entry.name}" could not be reopened`, { error: String(error) })
      this.scheduleReopen(entry)
    }
  }

  private waitReady(entry: Entry, timeoutMs: number, initial: boolean): Promise<ChannelState> {
    return new Promise<ChannelState>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        initial,
        timer: setTimeout(() => {
          entry.waiters.delete(waiter)
          const last = entry.state.error
          const error = new RealtimePluginError('SUBSCRIBE_TIMED_OUT', {
            field: 'timeoutMs',
            message:
              entry.state.status === 'SUBSCRIBED' && !entry.state.dbReady
                ? `Channel "${entry.name}" joined, but the database did not confirm the change subscription within ${timeoutMs} ms.`
                : `Channel "${entry.name}" was not subscribed within ${timeoutMs} ms${last ? ` (last problem: ${last.message})` : ''}.`,
            details: { channel: entry.name, status: entry.state.status, lastError: last },
          })
          if (initial) this.abandon(entry, error)
          reject(error)
        }, timeoutMs),
      }
      entry.waiters.add(waiter)
    })
  }

  private settleWaiters(entry: Entry): void {
    if (!isReady(entry)) return
    for (const waiter of entry.waiters) {
      clearTimeout(waiter.timer)
      waiter.resolve({ ...entry.state })
    }
    entry.waiters.clear()
  }

  private failWaiters(entry: Entry, error: RealtimePluginError): void {
    if (entry.waiters.size === 0) return
    const initial = [...entry.waiters].some((w) => w.initial)
    // NOTE: the variables show the failure before the action's promise rejects.
    if (initial) this.abandon(entry, error)
    for (const waiter of entry.waiters) {
      clearTimeout(waiter.timer)
      waiter.reject(error)
    }
    entry.waiters.clear()
  }

  /** A first subscribe failed: keep the failure visible in `channels` and leave the server channel. */
  private abandon(entry: Entry, error: RealtimePluginError): void {
    if (this.entries.get(entry.name) !== entry) return
    const status: ChannelStatus = error.code === 'SUBSCRIBE_TIMED_OUT' ? 'TIMED_OUT' : entry.state.status === 'CLOSED' ? 'CLOSED' : 'CHANNEL_ERROR'
    entry.closing = true
    this.entries.delete(entry.name)
    entry.state = { ...entry.state, status, error: error.toJSON() }
    this.listener.onChannelState(entry.name, { ...entry.state })
    void this.removeEntry(entry, 'failed')
  }

  private async removeEntry(entry: Entry, why: 'replaced' | 'unsubscribed' | 'failed'): Promise<void> {
    entry.closing = true
    if (entry.reopenTimer) clearTimeout(entry.reopenTimer)
    entry.reopenTimer = null
    if (why !== 'failed' && entry.waiters.size > 0) {
      const error = new RealtimePluginError('CHANNEL_CLOSED', {
        message: why === 'replaced' ? `Channel "${entry.name}" was subscribed again with other settings.` : `Channel "${entry.name}" was unsubscribed.`,
        fix: 'Nothing to do if this was intended.',
        details: { channel: entry.name },
      })
      for (const waiter of entry.waiters) {
        clearTimeout(waiter.timer)
        waiter.reject(error)
      }
      entry.waiters.clear()
    }
    entry.joinedListeners.clear()
    for (const listener of [...entry.leftListeners]) listener()
    entry.leftListeners.clear()
    if (this.entries.get(entry.name) === entry) this.entries.delete(entry.name)
    const channel = entry.channel
    entry.channel = null
    if (channel) {
      const result = await this.client.removeChannel(channel)
      if (result !== 'ok') this.listener.onLog('warn', `Leaving channel "${entry.name}" ended with "${result}"`)
    }
  }
}

/** The `sub` claim of a JWT (without verifying it), or `null`. */
function subjectOf(token: string | null): string | null {
  const part = token?.split('.')[1]
  if (!part) return null
  try {
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; role?: unknown }
    return typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null
  } catch {
    return null
  }
}

function isReady(entry: Entry): boolean {
  return entry.state.status === 'SUBSCRIBED' && (entry.config.postgresChanges.length === 0 || entry.state.dbReady)
}

function notSubscribed(name: string): RealtimePluginError {
  return new RealtimePluginError('CHANNEL_NOT_SUBSCRIBED', {
    field: 'channel',
    message: `Channel "${name}" is not subscribed.`,
    fix: `Run "Subscribe to channel" with the channel name "${name}" first.`,
    details: { channel: name },
  })
}

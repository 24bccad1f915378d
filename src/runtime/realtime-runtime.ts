import type { RealtimeChannel, RealtimePostgresChangesPayload } from '@supabase/supabase-js'
import { bindingsKey, channelConfigKey, type ChannelConfig, type PostgresBindingConfig } from '../core/channel-config'
import { ChannelRegistry, type ReceivedBroadcast, type RegistryListener } from '../core/channel-registry'
import { CollectionLoader } from '../core/collection-loader'
import { watchConnection, type WakeEventSource } from '../core/connection-monitor'
import { RealtimePluginError } from '../core/errors'
import type { CollectionRule } from '../core/live-collection'
import { newMessageId, withMessageId } from '../core/message-ids'
import type { PresenceChange } from '../core/presence-fold'
import type { RealtimeRestClient } from '../core/realtime-rest-client'
import { restBroadcast } from '../core/rest-broadcast'
import type { TriggerConditions, TriggerId, TriggerPayloads } from '../core/trigger-payloads'
import type { ChannelPresence, ChannelState, ConnectionState, PresenceMember, RealtimeVariables, Row, VariableId } from '../core/types'
import type { HostAdapter } from '../core/host-adapter'
import type { RealtimeState } from '../store/realtime-state'

/** Options of {@link RealtimeRuntime}. */
export interface RealtimeRuntimeOptions {
  client: RealtimeRestClient
  host: HostAdapter
  state: RealtimeState
  /** Short id of this plugin instance, used in local ids and as the fallback presence key. */
  instanceId: string
  /** Delay before reopening a channel the server closed, by attempt. */
  reopenAfterMs?: (attempt: number) => number
  /** How often the connection must answer; silent for two intervals means lost. @default 5000 */
  heartbeatIntervalMs?: number
  /** Browser `online`/`offline`/`visibilitychange`/`pageshow` source. @default `window` in a browser */
  wakeEvents?: WakeEventSource | null
}

/** Result of the presence action. */
export interface PresenceResult {
  members: PresenceMember[]
  count: number
}

/** A channel joined again after a gap; its collections may have missed changes. */
export interface ChannelGap {
  channel: string
  /** How long the gap lasted, in milliseconds. */
  downtimeMs: number | null
  /** When the last message before the gap arrived (ms epoch), or `null`. */
  lastMessageAt: number | null
  /** The tables of the channel's database bindings. */
  tables: string[]
}

/**
 * Connects the channel registry (supabase-js) to the state behind the variables and to the
 * host's triggers. Actions call its methods; it calls the registry, and the registry only
 * reports back through {@link RegistryListener}.
 */
export class RealtimeRuntime implements RegistryListener {
  readonly client: RealtimeRestClient
  readonly host: HostAdapter
  readonly state: RealtimeState
  private readonly registry: ChannelRegistry
  private readonly instanceId: string
  private readonly monitor: ReturnType<typeof watchConnection>
  private seq = 0
  /** Per channel: ids of messages this instance sent and expects back (`self: true`). */
  private readonly ownIds = new Map<string, Set<string>>()
  private readonly gapListeners = new Set<(gap: ChannelGap) => void>()
  private readonly lastChange = new Map<string, object>()
  private readonly dirty = new Set<VariableId>()
  private flushScheduled = false
  private disposed = false
  // ---- collection loading (`load` on a database binding; see src/core/collection-loader.ts) ----
  private readonly loader: CollectionLoader
  /** Channels whose loaded collections reload once the database subscription is confirmed again. */
  private readonly pendingReloads = new Set<string>()
  /** Per channel, the bindings and load settings its collections were loaded for. */
  private readonly loadKeys = new Map<string, string>()

  constructor(options: RealtimeRuntimeOptions) {
    this.client = options.client
    this.host = options.host
    this.state = options.state
    this.instanceId = options.instanceId
    this.registry = new ChannelRegistry({
      client: options.client,
      listener: this,
      fallbackPresenceKey: `anonymous-${options.instanceId}`,
      ...(options.reopenAfterMs ? { reopenAfterMs: options.reopenAfterMs } : {}),
    })
    this.loader = new CollectionLoader(options.client, {
      replace: (channel, table, rows, rule) => this.state.replaceCollection(channel, table, rows, rule),
      apply: (channel, table, change, rule) => this.state.applyRowChange(channel, table, change, rule),
      maintain: (channel, table, change) => void this.state.maintainCollection(channel, table, change),
      statusChanged: (channel) => {
        const current = this.state.channels.value[channel]
        if (current) this.state.setChannel(channel, this.withCollections(current))
        this.markDirty('channels')
        this.markDirty('collections')
      },
    })
    this.onGap((gap) => {
      if (!this.loader.statuses(gap.channel)) return
      this.pendingReloads.add(gap.channel)
      this.reloadWhenReady(gap.channel)
    })
    this.monitor = watchConnection(options.client.realtime, {
      onChange: (next) => this.onConnection(next),
      initial: options.state.connection.value,
      ...(options.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
      ...(options.wakeEvents !== undefined ? { wakeEvents: options.wakeEvents } : {}),
    })
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Subscribes a channel (idempotent per config). */
  async subscribe(config: ChannelConfig): Promise<ChannelState> {
    this.assertAlive()
    this.monitor.connecting()
    const previous = this.registry.get(config.name)?.config
    if (previous && bindingsKey(previous) !== bindingsKey(config)) {
      // NOTE: rows kept for the old bindings may not match the new ones: the collections start again.
      this.state.dropCollections(config.name)
      this.markDirty('collections')
    }
    const state = await this.registry.subscribe(config)
    // NOTE: other bindings or load settings replace the channel's collections: load them afresh.
    const loadKey = JSON.stringify([channelConfigKey(config), config.postgresChanges.map((binding) => binding.load)])
    if (this.loadKeys.get(config.name) !== loadKey) this.loader.forget(config.name)
    this.loadKeys.set(config.name, loadKey)
    await this.loadCollections(config.name, false)
    return this.registry.get(config.name)?.state ?? state
  }

  /**
   * Loads the bindings with `load` of a subscribed channel (all of them with `again`, else those
   * not loaded yet); after a reload following a gap, clears `stale`.
   */
  private async loadCollections(channel: string, again: boolean): Promise<void> {
    const view = this.registry.get(channel)
    if (!view) return
    const loads = view.config.postgresChanges.filter((binding) => binding.load && (again || !this.loader.has(channel, binding.table)))
    if (loads.length === 0) return
    const statuses = await Promise.all(
      loads.map((binding) => this.loader.load(channel, binding, binding.load!, () => this.collectionRule(channel, binding.table, binding), view.config.timeoutMs)),
    )
    for (const status of statuses) if (status.error) this.host.log?.('warn', status.error.message, { channel, code: status.error.code })
    if (again && statuses.every((status) => status.error === null)) this.markCollectionsFresh(channel)
  }

  /** After a gap: reload once the channel is subscribed with its database changes confirmed. */
  private reloadWhenReady(channel: string): void {
    const state = this.registry.get(channel)?.state
    if (!this.pendingReloads.has(channel) || state?.status !== 'SUBSCRIBED' || !state.dbReady) return
    this.pendingReloads.delete(channel)
    void this.loadCollections(channel, true)
  }

  /** A channel state with the loading state of its collections (bindings with `load`). */
  private withCollections(state: ChannelState): ChannelState {
    const collections = this.loader.statuses(state.name)
    return collections ? { ...state, collections } : state
  }

  /**
   * Broadcasts on a subscribed channel and resolves once the server acknowledged it. While the
   * channel is reconnecting it waits for the rejoin; a message not acknowledged when the link
   * dropped is sent again (same id, receivers keep one copy). Fails after `timeoutMs`. A channel
   * that is not subscribed is sent to over HTTP.
   */
  async broadcast(channel: string, event: string, payload: Record<string, unknown>, timeoutMs: number): Promise<{ status: 'ok' }> {
    this.assertAlive()
    const id = newMessageId()
    const view = this.registry.get(channel)
    if (!view) {
      await restBroadcast(this.client.realtime, { channel, event, payload: withMessageId(payload, id), private: false, timeoutMs })
      return { status: 'ok' }
    }
    const config = view.config
    const expectEcho = config.broadcast.self
    const deadline = Date.now() + timeoutMs
    const message = { type: 'broadcast' as const, event, payload: withMessageId(payload, id) }
    if (expectEcho) this.addOwn(channel, id)
    try {
      for (let attempt = 1; ; attempt++) {
        const sdkChannel = await this.joinedBefore(channel, deadline, event, timeoutMs)
        const result = await this.registry.untilLeft(channel, sdkChannel.send(message, { timeout: Math.max(1, deadline - Date.now()) }))
        if (result === 'ok') break
        const joined = this.registry.get(channel)?.state.status === 'SUBSCRIBED'
        if (result === 'left' || (result === 'timed out' && !joined && Date.now() < deadline)) continue
        if (result === 'timed out') {
          throw new RealtimePluginError('SEND_TIMED_OUT', {
            message: `The server did not acknowledge the message "${event}" on "${channel}" within ${timeoutMs} ms.`,
            ...(config.private ? {} : { fix: 'Check the connection, then send again.' }),
            details: { channel, event, response: result, attempts: attempt },
          })
        }
        // NOTE: the only error reply the server gives an acknowledged broadcast is
        // `payload_size_exceeded` (docs/realtime-protocol.md §3.2, §7.5); supabase-js reports it as 'error'.
        const size = new TextEncoder().encode(JSON.stringify(payload)).length
        throw new RealtimePluginError('PAYLOAD_TOO_LARGE', {
          field: 'payload',
          message: `The server refused the message "${event}" on "${channel}" (${(size / 1000).toFixed(1)} KB); the payload is larger than the project allows.`,
          details: { channel, event, bytes: size, response: result },
        })
      }
    } catch (error) {
      if (expectEcho) this.ownIds.get(channel)?.delete(id)
      throw error
    }
    if (!expectEcho) this.appendOwn(channel, id, event, payload)
    return { status: 'ok' }
  }

  /** The joined SDK channel, waiting for a rejoin until `deadline`; fails with a "connection is down" error. */
  private async joinedBefore(channel: string, deadline: number, event: string, timeoutMs: number): Promise<RealtimeChannel> {
    try {
      return await this.registry.whenJoined(channel, deadline - Date.now())
    } catch (error) {
      if (error instanceof RealtimePluginError && error.code === 'SUBSCRIBE_TIMED_OUT') {
        const status = this.registry.get(channel)?.state.status ?? 'REMOVED'
        throw new RealtimePluginError('SEND_TIMED_OUT', {
          field: 'timeoutMs',
          message: `The message "${event}" on "${channel}" could not be sent within ${timeoutMs} ms: the connection to the Realtime server is down (channel status ${status}).`,
          fix: 'The connection is down: the plugin reconnects by itself and sends messages it still holds. Check the network, then send again or raise "Timeout".',
          details: { channel, event, status },
          cause: error,
        })
      }
      throw error
    }
  }

  /** Tracks, untracks or reads presence on a subscribed channel. */
  async presence(channel: string, action: 'track' | 'untrack' | 'get', state: Record<string, unknown> | null, timeoutMs: number): Promise<PresenceResult> {
    this.assertAlive()
    const view = this.registry.get(channel)
    if (!view) {
      throw new RealtimePluginError('CHANNEL_NOT_SUBSCRIBED', {
        field: 'channel',
        message: `Channel "${channel}" is not subscribed, so presence cannot be ${action === 'get' ? 'read' : 'updated'}.`,
        fix: `Run "Subscribe to channel" with the channel name "${channel}" (Presence on) before this action.`,
        details: { channel },
      })
    }
    if (action !== 'get') await view.presence.update(action === 'track' ? (state ?? {}) : null, timeoutMs, view.config.presence.enabled)
    const current = view.presence.current()
    return { members: current.members, count: current.count }
  }

  /**
   * Calls `listener` whenever a channel with database bindings joins again after a gap (its
   * `collections` are marked `stale`); load the rows again, then call {@link markCollectionsFresh}.
   * Returns the remover.
   */
  onGap(listener: (gap: ChannelGap) => void): () => void {
    this.gapListeners.add(listener)
    return () => this.gapListeners.delete(listener)
  }

  /** The collections of `channel` were loaded again: clear `channels.<name>.stale`. */
  markCollectionsFresh(channel: string): void {
    this.registry.markFresh(channel)
  }

  /** Checks the connection now and reconnects without waiting (the network or the page came back). */
  wake(): void {
    this.monitor.wake()
  }

  /** Leaves one channel (resolves also when it was not subscribed). */
  async unsubscribe(channel: string): Promise<void> {
    await this.registry.unsubscribe(channel)
    this.ownIds.delete(channel)
    this.loader.forget(channel)
    this.pendingReloads.delete(channel)
    this.loadKeys.delete(channel)
    this.state.dropChannelData(channel)
    this.markDirty('presence')
    this.markDirty('collections')
  }

  /** Leaves every channel. */
  async unsubscribeAll(): Promise<void> {
    await Promise.all(this.registry.names().map((name) => this.unsubscribe(name)))
  }

  /** Leaves every channel and stops following the connection. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    await this.unsubscribeAll()
    await this.registry.dispose()
    this.disposed = true
    this.monitor.stop()
    this.gapListeners.clear()
  }

  private assertAlive(): void {
    if (this.disposed) throw new RealtimePluginError('DISPOSED')
  }

  // ---- registry events -----------------------------------------------------------------------

  onChannelState(name: string, state: ChannelState | null): void {
    const previous = this.state.setChannel(name, state && this.withCollections(state))
    this.markDirty('channels')
    this.monitor.check()
    if (state && this.pendingReloads.has(name)) this.reloadWhenReady(name)
    const status = state?.status ?? 'REMOVED'
    if (previous?.status === state?.status && (previous?.error?.message ?? null) === (state?.error?.message ?? null)) return
    const resumed = state?.status === 'SUBSCRIBED' && state.resumed
    this.emit(
      'channel-status',
      {
        channel: name,
        status,
        previousStatus: previous?.status ?? null,
        error: state?.error ?? null,
        resumed,
        downtimeMs: resumed ? state.downtimeMs : null,
        lastMessageAt: state?.lastMessageAt ?? null,
      },
      { channel: name, status },
    )
    if (resumed && state.stale) {
      const tables = [...new Set(this.registry.get(name)?.config.postgresChanges.map((b) => b.table) ?? [])]
      const gap: ChannelGap = { channel: name, downtimeMs: state.downtimeMs, lastMessageAt: state.lastMessageAt, tables }
      for (const listener of [...this.gapListeners]) {
        try {
          listener(gap)
        } catch (error) {
          this.host.log?.('error', 'A gap listener failed', { error: String(error) })
        }
      }
    }
  }

  onBroadcast(name: string, message: ReceivedBroadcast): void {
    const own = this.ownIds.get(name)
    const self = message.id !== null && own !== undefined && own.delete(message.id)
    const id = message.id ?? this.nextId('m')
    const receivedAt = Date.now()
    this.state.pushMessage(name, { id, event: message.event, payload: message.payload, receivedAt, self })
    this.markDirty('messages')
    this.emit('broadcast', { channel: name, event: message.event, payload: message.payload, id, receivedAt, self }, { channel: name, event: message.event })
  }

  onPresence(name: string, view: ChannelPresence, changes: readonly PresenceChange[], synced: boolean): void {
    this.state.setPresence(name, view)
    this.markDirty('presence')
    if (!synced) return
    const count = view.count
    for (const change of changes) {
      this.emit(
        'presence',
        { channel: name, event: change.event, key: change.key, member: change.member, previous: change.previous, members: [], count },
        { channel: name, event: change.event },
      )
    }
    const sync = { channel: name, event: 'sync', key: null, member: null, previous: null, count } as TriggerPayloads['presence']
    Object.defineProperty(sync, 'members', { enumerable: true, get: () => view.members })
    this.emit('presence', sync, { channel: name, event: 'sync' })
  }

  onPostgresChange(name: string, payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean): void {
    // NOTE: one server frame fires every binding it matches with the same payload object; keep one.
    if (this.lastChange.get(name) === payload) return
    this.lastChange.set(name, payload)
    if (companion) {
      const rowChange = { event: payload.eventType, new: (payload.new ?? {}) as Row, old: (payload.old ?? {}) as Row }
      // NOTE: while the collection loads, its changes wait for the snapshot (collection-loader.ts).
      if (this.loader.hold(name, payload.table, true, rowChange, this.collectionRule(name, payload.table, binding))) return
      if (this.state.maintainCollection(name, payload.table, rowChange)) this.markDirty('collections')
      return
    }
    const change = {
      id: this.nextId('c'),
      schema: payload.schema,
      table: payload.table,
      event: payload.eventType,
      new: (payload.new ?? {}) as Row,
      old: (payload.old ?? {}) as Row,
      commitTimestamp: payload.commit_timestamp,
      errors: (payload.errors as string[] | null | undefined) ?? null,
      receivedAt: Date.now(),
    }
    this.state.pushChange(name, change)
    const rowChange = { event: change.event, new: change.new, old: change.old }
    const rule = this.collectionRule(name, payload.table, binding)
    if (!this.loader.hold(name, payload.table, false, rowChange, rule)) this.state.applyRowChange(name, payload.table, rowChange, rule)
    this.markDirty('changes')
    this.markDirty('collections')
    this.emit('postgres-changes', { channel: name, ...change }, { channel: name, table: payload.table, event: change.event })
  }

  onLog(level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void {
    this.host.log?.(level, message, meta)
  }

  // ---- helpers -------------------------------------------------------------------------------

  private onConnection(next: ConnectionState): void {
    const previous = this.state.connection.value
    this.state.setConnection(next)
    this.markDirty('connection')
    if (previous.status !== next.status) {
      this.emit(
        'connection-status',
        { status: next.status, previousStatus: previous.status, reconnects: next.reconnects, latencyMs: next.latencyMs, error: next.lastError },
        { status: next.status },
      )
    }
  }

  private collectionRule(name: string, table: string, binding: PostgresBindingConfig): CollectionRule {
    const bindings = (this.registry.get(name)?.config.postgresChanges ?? [binding]).filter((b) => b.table === table || b.table === '*')
    const filters = bindings.some((b) => b.conditions.length === 0) ? [] : bindings.map((b) => b.conditions)
    return { primaryKey: binding.primaryKey, filters }
  }

  private appendOwn(channel: string, id: string, event: string, payload: unknown): void {
    this.state.pushMessage(channel, { id, event, payload, receivedAt: Date.now(), self: true })
    this.markDirty('messages')
  }

  private addOwn(channel: string, id: string): void {
    let own = this.ownIds.get(channel)
    if (!own) {
      own = new Set()
      this.ownIds.set(channel, own)
    }
    own.add(id)
    // NOTE: an echo that never comes back (dropped by the server) must not grow this forever.
    if (own.size > 1000) {
      const oldest = own.values().next().value
      if (oldest !== undefined) own.delete(oldest)
    }
  }

  private nextId(kind: string): string {
    return `${this.instanceId}-${kind}${++this.seq}`
  }

  private emit<K extends TriggerId>(triggerId: K, event: TriggerPayloads[K], conditions: TriggerConditions[K]): void {
    // NOTE: a workflow started by the trigger reads the variables, so they must hold the event first.
    if (this.dirty.size > 0) this.flush()
    try {
      this.host.emitTrigger(triggerId, event, conditions)
    } catch (error) {
      this.host.log?.('error', `The host failed to run trigger "${triggerId}"`, { error: String(error) })
    }
  }

  private markDirty(id: VariableId): void {
    if (!this.host.setVariable) return
    this.dirty.add(id)
    if (this.flushScheduled) return
    this.flushScheduled = true
    queueMicrotask(() => this.flush())
  }

  private flush(): void {
    this.flushScheduled = false
    const setVariable = this.host.setVariable
    if (!setVariable) return
    const values: RealtimeVariables = {
      connection: this.state.connection.value,
      channels: this.state.channels.value,
      messages: this.state.messages.value,
      presence: this.state.presence.value,
      changes: this.state.changes.value,
      collections: this.state.collections.value,
    }
    for (const id of this.dirty) {
      try {
        setVariable.call(this.host, id, values[id])
      } catch (error) {
        this.host.log?.('error', `The host failed to store variable "${id}"`, { error: String(error) })
      }
    }
    this.dirty.clear()
  }
}

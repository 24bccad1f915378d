import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js'
import type { RealtimeRestClient } from '../core/realtime-rest-client'
import type { ChannelConfig, PostgresBindingConfig } from '../core/channel-config'
import { ChannelCollections, type ChannelGap } from '../core/channel-collections'
import { ChannelRegistry, type ReceivedBroadcast, type RegistryListener } from '../core/channel-registry'
import { watchConnection, type WakeEventSource } from '../core/connection-monitor'
import { errorFor, RealtimePluginError } from '../core/errors'
import type { PresenceChange } from '../core/presence-fold'
import type { ChannelPresence, ChannelState, ConnectionState, PresenceMember, RealtimeVariables, Row, VariableId } from '../core/types'
import type { HostAdapter } from '../core/host-adapter'
import type { RealtimeState } from '../store/realtime-state'
import { collectionsSink } from './collections-sink'
import { HostPublisher } from './host-publisher'
import { LiveRuntime, liveLink, RESERVED_EVENT_PREFIX, type LiveOptions } from './live-runtime'
import { channelStatusEvent, presenceEvents } from './trigger-events'

export type { ChannelGap } from '../core/channel-collections'

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
  /** Live cursors and state: the room's messages-per-second budget and the pointer's window. */
  live?: LiveOptions
}

/** Result of the presence action. */
export interface PresenceResult {
  members: PresenceMember[]
  count: number
}

/**
 * Connects the channel registry (supabase-js) to the state behind the variables and to the host.
 * Actions call its methods; it calls the registry, which reports back through
 * {@link RegistryListener}; each channel's collections follow the registry themselves
 * (channel-collections.ts); the host hears everything through one {@link HostPublisher}.
 */
export class RealtimeRuntime implements RegistryListener {
  readonly client: RealtimeRestClient
  readonly host: HostAdapter
  readonly state: RealtimeState
  readonly #registry: ChannelRegistry
  readonly #publisher: HostPublisher
  readonly #instanceId: string
  readonly #monitor: ReturnType<typeof watchConnection>
  readonly #collections = new Map<string, ChannelCollections>()
  readonly #gapListeners = new Set<(gap: ChannelGap) => void>()
  #seq = 0
  #disposed = false
  /** Live cursors and live state (Share cursor, Set live state); see src/runtime/live-runtime.ts. */
  readonly live: LiveRuntime

  constructor(options: RealtimeRuntimeOptions) {
    this.client = options.client
    this.host = options.host
    this.state = options.state
    this.#instanceId = options.instanceId
    const state = options.state
    this.#publisher = new HostPublisher(options.host, (id: VariableId): RealtimeVariables[VariableId] => state[id].value)
    this.#registry = new ChannelRegistry({
      client: options.client,
      listener: this,
      fallbackPresenceKey: `anonymous-${options.instanceId}`,
      reservedPrefix: RESERVED_EVENT_PREFIX,
      reopenAfterMs: options.reopenAfterMs,
    })
    this.live = new LiveRuntime({ ...options.live, state, instanceId: options.instanceId, link: liveLink(this.#registry, this.#publisher, this.host) })
    this.#monitor = watchConnection(options.client.realtime, {
      onChange: (next) => this.#onConnection(next),
      initial: options.state.connection.value,
      // NOTE: `undefined` keeps the monitor's default interval and wake events.
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      wakeEvents: options.wakeEvents,
    })
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Subscribes a channel (idempotent per config), then loads its collections. */
  async subscribe(config: ChannelConfig): Promise<ChannelState> {
    this.#assertAlive()
    this.#monitor.connecting()
    const collections = this.#collectionsOf(config.name)
    collections.configure(config, this.#registry.get(config.name)?.config)
    const state = await this.#registry.subscribe(config)
    await collections.subscribed(config)
    const now = this.#registry.get(config.name)?.state ?? state
    return { ...now, ...collections.overlay() }
  }

  /**
   * Broadcasts on a channel and resolves once the server acknowledged it (the registry waits for
   * a rejoin and sends again when the link dropped). A channel not subscribed is sent to over HTTP.
   */
  async broadcast(channel: string, event: string, payload: Record<string, unknown>, timeoutMs: number): Promise<{ status: 'ok' }> {
    this.#assertAlive()
    const sent = await this.#registry.send(channel, event, payload, timeoutMs)
    // NOTE: without `self`, the sender's own message is shown at once (no echo will come).
    if (sent.via === 'socket' && !sent.echo) {
      this.state.pushMessage(channel, { id: sent.id, event, payload, receivedAt: Date.now(), self: true })
      this.#publisher.markDirty('messages')
    }
    return { status: 'ok' }
  }

  /** Tracks, untracks or reads presence on a subscribed channel. */
  async presence(channel: string, action: 'track' | 'untrack' | 'get', state: Record<string, unknown> | null, timeoutMs: number): Promise<PresenceResult> {
    this.#assertAlive()
    const view = this.#registry.get(channel)
    if (!view) {
      throw errorFor('CHANNEL_NOT_SUBSCRIBED', 'presence', { channel, reading: action === 'get' }, { field: 'channel', details: { channel } })
    }
    const current = action === 'get' ? view.presence : await this.#registry.track(channel, action === 'track' ? (state ?? {}) : null, timeoutMs)
    return { members: current.members, count: current.count }
  }

  /**
   * Calls `listener` whenever a channel with database bindings joins again after a gap (its
   * `collections` are marked `stale`); load the rows again, then call {@link markCollectionsFresh}.
   * Returns the remover.
   */
  onGap(listener: (gap: ChannelGap) => void): () => void {
    this.#gapListeners.add(listener)
    return () => this.#gapListeners.delete(listener)
  }

  /** The collections of `channel` were loaded again: clear `channels.<name>.stale`. */
  markCollectionsFresh(channel: string): void {
    this.#collections.get(channel)?.markFresh()
  }

  /** The config of every subscribed channel: the one memory of what is subscribed (the registry's). */
  subscriptions(): ChannelConfig[] {
    return this.#registry.names().flatMap((name) => this.#registry.get(name)?.config ?? [])
  }

  /** Checks the connection now and reconnects without waiting (the network or the page came back). */
  wake(): void {
    this.#monitor.wake()
  }

  /** Leaves one channel (resolves also when it was not subscribed). */
  async unsubscribe(channel: string): Promise<void> {
    await this.#registry.unsubscribe(channel)
    this.#collections.get(channel)?.dispose()
    this.#collections.delete(channel)
    this.state.dropChannelData(channel)
    this.#publisher.markDirty('presence')
    this.#publisher.markDirty('collections')
  }

  /** Leaves every channel. */
  async unsubscribeAll(): Promise<void> {
    await Promise.all(this.#registry.names().map((name) => this.unsubscribe(name)))
  }

  /** Leaves every channel and stops following the connection. */
  async dispose(): Promise<void> {
    if (this.#disposed) return
    await this.unsubscribeAll()
    await this.#registry.dispose()
    this.live.dispose()
    this.#disposed = true
    this.#monitor.stop()
    this.#gapListeners.clear()
  }

  #assertAlive(): void {
    if (this.#disposed) throw new RealtimePluginError('DISPOSED')
  }

  // ---- registry events -----------------------------------------------------------------------

  onChannelState(name: string, state: ChannelState | null): void {
    const previous = this.state.setChannel(name, state && { ...state, ...this.#collections.get(name)?.overlay(), ...this.live.overlay(name, state) })
    this.#publisher.markDirty('channels')
    this.#monitor.check()
    const change = channelStatusEvent(name, previous, state)
    if (change) this.#publisher.emit('channel-status', change.event, change.conditions)
  }

  onBroadcast(name: string, message: ReceivedBroadcast): void {
    const id = message.id ?? this.#nextId('m')
    const receivedAt = Date.now()
    const self = message.self === true
    this.state.pushMessage(name, { id, event: message.event, payload: message.payload, receivedAt, self })
    this.#publisher.markDirty('messages')
    this.#publisher.emit('broadcast', { channel: name, event: message.event, payload: message.payload, id, receivedAt, self }, { channel: name, event: message.event })
  }

  /** `plugin:` events carry live cursors and state: they go to the live runtime, never to `messages` or triggers. */
  onReservedBroadcast(name: string, message: ReceivedBroadcast): void {
    this.live.receive(name, message.event, message.payload)
  }

  onPresence(name: string, view: ChannelPresence, changes: readonly PresenceChange[], synced: boolean): void {
    this.state.setPresence(name, view)
    this.#publisher.markDirty('presence')
    this.live.presenceChanged(name, view)
    if (synced) for (const { event, conditions } of presenceEvents(name, view, changes)) this.#publisher.emit('presence', event, conditions)
  }

  onPostgresChange(name: string, payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean): void {
    const rowChange = { event: payload.eventType, new: (payload.new ?? {}) as Row, old: (payload.old ?? {}) as Row }
    if (companion) {
      this.#collections.get(name)?.change(payload, binding, true, rowChange)
      return
    }
    const change = {
      id: this.#nextId('c'),
      schema: payload.schema,
      table: payload.table,
      event: rowChange.event,
      new: rowChange.new,
      old: rowChange.old,
      commitTimestamp: payload.commit_timestamp,
      errors: (payload.errors as string[] | null | undefined) ?? null,
      receivedAt: Date.now(),
    }
    this.state.pushChange(name, change)
    this.#collections.get(name)?.change(payload, binding, false, rowChange)
    this.#publisher.markDirty('changes')
    this.#publisher.emit('postgres-changes', { channel: name, ...change }, { channel: name, table: payload.table, event: change.event })
  }

  onLog(level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void {
    this.host.log?.(level, message, meta)
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The collections of a channel, created on its first subscribe. */
  #collectionsOf(name: string): ChannelCollections {
    let collections = this.#collections.get(name)
    if (collections) return collections
    collections = new ChannelCollections(
      name,
      this.client,
      { view: () => this.#registry.get(name), watch: (listener) => this.#registry.watch(name, listener) },
      collectionsSink(name, {
        state: this.state,
        publisher: this.#publisher,
        overlay: () => this.#collections.get(name)?.overlay(),
        gap: (gap) => this.#onGapOf(gap),
        log: (level, message, meta) => this.host.log?.(level, message, meta),
      }),
    )
    this.#collections.set(name, collections)
    return collections
  }

  #onGapOf(gap: ChannelGap): void {
    for (const listener of [...this.#gapListeners]) {
      try {
        listener(gap)
      } catch (error) {
        this.host.log?.('error', 'A gap listener failed', { error: String(error) })
      }
    }
  }

  #onConnection(next: ConnectionState): void {
    const previous = this.state.connection.value
    this.state.setConnection(next)
    this.#publisher.markDirty('connection')
    if (previous.status !== next.status) {
      this.#publisher.emit(
        'connection-status',
        { status: next.status, previousStatus: previous.status, reconnects: next.reconnects, latencyMs: next.latencyMs, error: next.lastError },
        { status: next.status },
      )
    }
  }

  #nextId(kind: string): string {
    return `${this.#instanceId}-${kind}${++this.#seq}`
  }
}

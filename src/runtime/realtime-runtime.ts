import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js'
import type { ChannelConfig, PostgresBindingConfig } from '../core/channel-config'
import { ChannelRegistry, type RegistryListener } from '../core/channel-registry'
import { watchConnection } from '../core/connection-monitor'
import { RealtimePluginError } from '../core/errors'
import type { CollectionRule } from '../core/live-collection'
import type { PresenceMeta } from '../core/presence-fold'
import { restBroadcast } from '../core/rest-broadcast'
import { stableJson } from '../core/stable-json'
import type { TriggerConditions, TriggerId, TriggerPayloads } from '../core/trigger-payloads'
import type { ChannelState, ConnectionState, PresenceMember, RealtimeVariables, Row, VariableId } from '../core/types'
import type { HostAdapter } from '../core/host-adapter'
import type { RealtimeState } from '../store/realtime-state'

/** Options of {@link RealtimeRuntime}. */
export interface RealtimeRuntimeOptions {
  client: SupabaseClient
  host: HostAdapter
  state: RealtimeState
  /** Short id of this plugin instance, used in message ids and as the fallback presence key. */
  instanceId: string
  /** Delay before reopening a channel the server closed, by attempt. */
  reopenAfterMs?: (attempt: number) => number
}

/** Result of the presence action. */
export interface PresenceResult {
  members: PresenceMember[]
  count: number
}

const SELF_WAIT_MS = 3000

/**
 * Connects the channel registry (supabase-js) to the state behind the variables and to the
 * host's triggers. Actions call its methods; it never reads globals.
 */
export class RealtimeRuntime implements RegistryListener {
  readonly registry: ChannelRegistry
  readonly client: SupabaseClient
  readonly host: HostAdapter
  readonly state: RealtimeState
  private readonly instanceId: string
  private readonly monitor: ReturnType<typeof watchConnection>
  private seq = 0
  /** Per channel: fingerprints of messages this instance sent and expects back (`self: true`). */
  private readonly pendingSelf = new Map<string, Map<string, number>>()
  private readonly presenceWaiters = new Map<string, Set<() => void>>()
  private readonly lastChange = new Map<string, object>()
  private readonly dirty = new Set<VariableId>()
  private flushScheduled = false
  private disposed = false

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
    this.monitor = watchConnection(options.client.realtime, (next) => this.onConnection(next), options.state.connection.value)
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Subscribes a channel (idempotent per config). */
  async subscribe(config: ChannelConfig): Promise<ChannelState> {
    this.assertAlive()
    this.monitor.connecting()
    return this.registry.subscribe(config)
  }

  /** Broadcasts on a joined channel (acknowledged by default), or over REST when not joined. */
  async broadcast(channel: string, event: string, payload: Record<string, unknown>, timeoutMs: number): Promise<{ status: 'ok' }> {
    this.assertAlive()
    const config = this.registry.configOf(channel)
    const sdkChannel = this.registry.channelOf(channel)
    const joined = this.registry.stateOf(channel)?.status === 'SUBSCRIBED'
    if (!config || !sdkChannel || !joined) {
      await restBroadcast(this.client.realtime, { channel, event, payload, private: config?.private ?? false, timeoutMs })
      // NOTE: while the channel is not joined the server cannot echo the message to us.
      if (config) this.appendOwn(channel, event, payload)
      return { status: 'ok' }
    }
    const expectEcho = config.broadcast.self
    const fingerprint = expectEcho ? `${event.toLowerCase()}\u0000${stableJson(payload)}` : ''
    if (expectEcho) this.addPending(channel, fingerprint)
    let result: string
    try {
      result = await this.registry.untilClosed(channel, sdkChannel.send({ type: 'broadcast', event, payload }, { timeout: timeoutMs }))
    } catch (error) {
      if (expectEcho) this.takePending(channel, fingerprint)
      throw error
    }
    if (result !== 'ok') {
      if (expectEcho) this.takePending(channel, fingerprint)
      if (result === 'timed out') {
        throw new RealtimePluginError('SEND_TIMED_OUT', {
          message: `The server did not acknowledge the message "${event}" on "${channel}" within ${timeoutMs} ms.`,
          ...(config.private ? {} : { fix: 'Check the connection, then send again.' }),
          details: { channel, event, response: result },
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
    if (!expectEcho) this.appendOwn(channel, event, payload)
    return { status: 'ok' }
  }

  /** Tracks, untracks or reads presence on a subscribed channel. */
  async presence(channel: string, action: 'track' | 'untrack' | 'get', state: Record<string, unknown> | null, timeoutMs: number): Promise<PresenceResult> {
    this.assertAlive()
    const config = this.registry.configOf(channel)
    if (!config) {
      throw new RealtimePluginError('CHANNEL_NOT_SUBSCRIBED', {
        field: 'channel',
        message: `Channel "${channel}" is not subscribed, so presence cannot be ${action === 'get' ? 'read' : 'updated'}.`,
        fix: `Run "Subscribe to channel" with the channel name "${channel}" (Presence on) before this action.`,
        details: { channel },
      })
    }
    if (action !== 'get') {
      const key = this.registry.presenceKeyOf(channel) ?? ''
      const target = action === 'track' ? (state ?? {}) : null
      const before = this.registry.trackedOf(channel)
      const result = await this.registry.setPresence(channel, target, timeoutMs)
      if (result === 'ok' && config.presence.enabled) {
        const wanted = target === null ? null : stableJson(target)
        const previous = before === null ? null : stableJson(before)
        await this.waitForPresence(channel, Math.min(timeoutMs, SELF_WAIT_MS), () => {
          const member = this.state.presenceMember(channel, key)
          if (wanted !== null) return !!member && member.metas.some((m) => stableJson(m) === wanted)
          return !member || previous === null || !member.metas.some((m) => stableJson(m) === previous)
        })
      }
    }
    const view = this.state.presence.value[channel]
    return { members: view ? view.members : [], count: view ? view.count : 0 }
  }

  /** Leaves one channel (resolves also when it was not subscribed). */
  async unsubscribe(channel: string): Promise<void> {
    await this.registry.unsubscribe(channel)
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
  }

  private assertAlive(): void {
    if (this.disposed) throw new RealtimePluginError('DISPOSED')
  }

  // ---- registry events -----------------------------------------------------------------------

  onChannelState(name: string, state: ChannelState | null): void {
    const previous = this.state.setChannel(name, state)
    this.markDirty('channels')
    const status = state?.status ?? 'REMOVED'
    if (previous?.status === state?.status && (previous?.error?.message ?? null) === (state?.error?.message ?? null)) return
    this.emit('channel-status', { channel: name, status, previousStatus: previous?.status ?? null, error: state?.error ?? null }, { channel: name, status })
  }

  onBroadcast(name: string, message: { event: string; payload: unknown; id: string | null }): void {
    let self = false
    const pending = this.pendingSelf.get(name)
    if (pending && pending.size > 0) self = this.takePending(name, `${message.event.toLowerCase()}\u0000${stableJson(message.payload)}`)
    const id = message.id ?? this.nextId('m')
    const receivedAt = Date.now()
    this.state.pushMessage(name, { id, event: message.event, payload: message.payload, receivedAt, self })
    this.markDirty('messages')
    this.emit('broadcast', { channel: name, event: message.event, payload: message.payload, id, receivedAt, self }, { channel: name, event: message.event })
  }

  onPresenceJoin(name: string, key: string, metas: readonly PresenceMeta[]): void {
    this.state.presenceJoin(name, key, metas)
  }

  onPresenceLeave(name: string, key: string, metas: readonly PresenceMeta[]): void {
    this.state.presenceLeave(name, key, metas)
  }

  onPresenceSync(name: string): void {
    const changes = this.state.presenceSync(name)
    this.markDirty('presence')
    const view = this.state.presence.value[name]
    const count = view?.count ?? 0
    for (const change of changes) {
      this.emit(
        'presence',
        { channel: name, event: change.event, key: change.key, member: change.member, previous: change.previous, members: [], count },
        { channel: name, event: change.event },
      )
    }
    const sync = { channel: name, event: 'sync', key: null, member: null, previous: null, count } as TriggerPayloads['presence']
    Object.defineProperty(sync, 'members', { enumerable: true, get: () => view?.members ?? [] })
    this.emit('presence', sync, { channel: name, event: 'sync' })
    const waiters = this.presenceWaiters.get(name)
    if (waiters) for (const waiter of [...waiters]) waiter()
  }

  onPresenceSelf(name: string, key: string, state: Record<string, unknown> | null): void {
    this.state.setPresenceSelf(name, { key, tracked: state !== null, state })
    this.markDirty('presence')
  }

  onPostgresChange(name: string, payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean): void {
    // NOTE: one server frame fires every binding it matches with the same payload object; keep one.
    if (this.lastChange.get(name) === payload) return
    this.lastChange.set(name, payload)
    if (companion) {
      const rowChange = { event: payload.eventType, new: (payload.new ?? {}) as Row, old: (payload.old ?? {}) as Row }
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
    this.state.applyRowChange(name, payload.table, { event: change.event, new: change.new, old: change.old }, this.collectionRule(name, payload.table, binding))
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
    const bindings = (this.registry.configOf(name)?.postgresChanges ?? [binding]).filter((b) => b.table === table || b.table === '*')
    const filters = bindings.some((b) => b.conditions.length === 0) ? [] : bindings.map((b) => b.conditions)
    return { primaryKey: binding.primaryKey, filters }
  }

  private appendOwn(channel: string, event: string, payload: unknown): void {
    this.state.pushMessage(channel, { id: this.nextId('m'), event, payload, receivedAt: Date.now(), self: true })
    this.markDirty('messages')
  }

  private addPending(channel: string, fingerprint: string): void {
    let pending = this.pendingSelf.get(channel)
    if (!pending) {
      pending = new Map()
      this.pendingSelf.set(channel, pending)
    }
    pending.set(fingerprint, (pending.get(fingerprint) ?? 0) + 1)
    // NOTE: an echo that never comes back (dropped by the server) must not grow this forever.
    if (pending.size > 1000) {
      const oldest = pending.keys().next().value
      if (oldest !== undefined) pending.delete(oldest)
    }
  }

  private takePending(channel: string, fingerprint: string): boolean {
    const pending = this.pendingSelf.get(channel)
    const count = pending?.get(fingerprint)
    if (!pending || !count) return false
    if (count <= 1) pending.delete(fingerprint)
    else pending.set(fingerprint, count - 1)
    return true
  }

  private waitForPresence(channel: string, timeoutMs: number, done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve()
    return new Promise<void>((resolve) => {
      let waiters = this.presenceWaiters.get(channel)
      if (!waiters) {
        waiters = new Set()
        this.presenceWaiters.set(channel, waiters)
      }
      const set = waiters
      const finish = () => {
        clearTimeout(timer)
        set.delete(check)
        resolve()
      }
      const check = () => {
        if (done()) finish()
      }
      const timer = setTimeout(finish, timeoutMs)
      set.add(check)
    })
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

import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js'
import type { RealtimeRestClient } from './realtime-rest-client'
import { bindingsKey, channelConfigKey, type ChannelConfig, type PostgresBindingConfig } from './channel-config'
import { CollectionLoader, type CollectionSink } from './collection-loader'
import type { CollectionRule, RowChange } from './live-collection'
import type { ChannelView } from './registry-types'
import type { ChannelState, CollectionStatus, Row } from './types'

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

/** What the collections of one channel read from the registry: its view, and its states as they change. */
export interface CollectionsLink {
  view(): ChannelView | null
  /** Calls `listener` with every state of the channel before anyone else hears of it; returns the remover. */
  watch(listener: (state: ChannelState | null) => void): () => void
}

/** Where the collections of one channel write (the state behind the variables). */
export interface CollectionsSink extends CollectionSink {
  /** Forgets every collection of the channel. */
  drop(): void
  /** `stale` or the collection statuses changed: `channels.<name>` must show them. */
  statusChanged(): void
  /** The channel joined again after a gap. */
  gap(gap: ChannelGap): void
  log(level: 'warn', message: string, meta?: Record<string, unknown>): void
}

/** What the collections add to `channels.<name>`. */
export interface CollectionsOverlay {
  stale: boolean
  collections?: Record<string, CollectionStatus>
}

/**
 * Everything about the collections of one channel, in one place: the loader, the reload after a
 * gap, the `stale` flag, and the rows fed by its database bindings. It listens to the registry's
 * states itself and is the only writer of `channels.<name>.collections` and `stale`.
 */
export class ChannelCollections {
  readonly #loader: CollectionLoader
  #stale = false
  #reloadPending = false
  #loadKey: string | null = null
  #lastStatus: string | null = null
  readonly #unwatch: () => void

  readonly #link: CollectionsLink
  readonly #sink: CollectionsSink
  constructor(
    readonly channel: string,
    client: RealtimeRestClient,
    link: CollectionsLink,
    sink: CollectionsSink,
  ) {
    this.#link = link
    this.#sink = sink
    this.#loader = new CollectionLoader(client, sink)
    this.#unwatch = link.watch((state) => this.#onState(state))
  }

  /** What `channels.<name>` shows of the collections. */
  overlay(): CollectionsOverlay {
    const collections = this.#loader.statuses()
    return collections ? { stale: this.#stale, collections } : { stale: this.#stale }
  }

  /** Before a subscribe with `config`: rows kept for other bindings may not match the new ones, so the collections start again. */
  configure(config: ChannelConfig, previous: ChannelConfig | undefined): void {
    if (!previous || bindingsKey(previous) === bindingsKey(config)) return
    this.#sink.drop()
    this.#sink.rowsChanged()
  }

  /** The channel is subscribed with `config`: loads the collections not loaded yet (all of them after other settings). */
  async subscribed(config: ChannelConfig): Promise<void> {
    const loadKey = JSON.stringify([channelConfigKey(config), config.postgresChanges.map((binding) => binding.load)])
    if (this.#loadKey !== loadKey) this.#loader.forget()
    this.#loadKey = loadKey
    await this.#load(false)
  }

  /** A row change from one of the channel's bindings (`companion`: only maintains rows the collection holds). */
  change(payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean, change: RowChange): void {
    const rule = this.#rule(payload.table, binding)
    // NOTE: while the collection loads, its changes wait for the snapshot (collection-loader.ts).
    const held = this.#loader.hold(payload.table, companion, change, rule)
    if (companion) {
      if (!held && this.#sink.maintain(payload.table, change)) this.#sink.rowsChanged()
      return
    }
    if (!held) this.#sink.apply(payload.table, change, rule)
    this.#sink.rowsChanged()
  }

  /** The collections were loaded again after a gap: clear `stale`. */
  markFresh(): void {
    if (!this.#stale) return
    this.#stale = false
    this.#sink.statusChanged()
  }

  /** The channel was left: loads in flight are dropped, the registry is no longer followed. */
  dispose(): void {
    this.#unwatch()
    this.#loader.forget()
    this.#reloadPending = false
  }

  #onState(state: ChannelState | null): void {
    const previous = this.#lastStatus
    this.#lastStatus = state?.status ?? null
    if (!state) return
    const rejoined = state.status === 'SUBSCRIBED' && previous !== 'SUBSCRIBED' && state.resumed
    const bindings = this.#link.view()?.config.postgresChanges ?? []
    if (rejoined && bindings.length > 0) {
      // NOTE: set before the registry's listener publishes this state, so `channels` shows it at once.
      this.#stale = true
      if (this.#loader.statuses()) this.#reloadPending = true
      const gap: ChannelGap = { channel: this.channel, downtimeMs: state.downtimeMs, lastMessageAt: state.lastMessageAt, tables: [...new Set(bindings.map((b) => b.table))] }
      queueMicrotask(() => this.#sink.gap(gap))
    }
    if (this.#reloadPending && state.status === 'SUBSCRIBED' && state.dbReady) {
      this.#reloadPending = false
      // NOTE: after the registry's listener has published this state (the load publishes its own).
      queueMicrotask(() => void this.#load(true))
    }
  }

  /**
   * Loads the bindings with `load` (all of them with `again`, else those not loaded yet); after a
   * reload following a gap, clears `stale`.
   */
  async #load(again: boolean): Promise<void> {
    const view = this.#link.view()
    if (!view) return
    const loads = view.config.postgresChanges.filter((binding) => binding.load && (again || !this.#loader.has(binding.table)))
    if (loads.length === 0) return
    const statuses = await Promise.all(
      loads.map((binding) => this.#loader.load(binding, binding.load!, () => this.#rule(binding.table, binding), view.config.timeoutMs)),
    )
    for (const status of statuses) if (status.error) this.#sink.log('warn', status.error.message, { channel: this.channel, code: status.error.code })
    if (again && statuses.every((status) => status.error === null)) this.markFresh()
  }

  /** How the collection of `table` admits rows: the filters of every binding of that table. */
  #rule(table: string, binding: PostgresBindingConfig): CollectionRule {
    const bindings = (this.#link.view()?.config.postgresChanges ?? [binding]).filter((b) => b.table === table || b.table === '*')
    const filters = bindings.some((b) => b.conditions.length === 0) ? [] : bindings.map((b) => b.conditions)
    return { primaryKey: binding.primaryKey, filters }
  }
}

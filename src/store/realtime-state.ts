import { shallowRef, triggerRef, type ShallowRef } from 'vue'
import { initialConnectionState } from '../core/connection-monitor'
import { LiveCollection, type CollectionRule, type RowChange } from '../core/live-collection'
import type {
  ChannelPresence,
  LiveMemberState,
  RemoteCursor,
  ChannelState,
  ConnectionState,
  ReceivedChange,
  ReceivedMessage,
  Row,
} from '../core/types'

/** The reactive state behind the variables, and the only functions that change it. */
export interface RealtimeState {
  readonly connection: ShallowRef<ConnectionState>
  readonly channels: ShallowRef<Record<string, ChannelState>>
  readonly messages: ShallowRef<Record<string, ReceivedMessage[]>>
  readonly presence: ShallowRef<Record<string, ChannelPresence>>
  readonly changes: ShallowRef<Record<string, ReceivedChange[]>>
  readonly collections: ShallowRef<Record<string, Record<string, Row[]>>>
  readonly cursors: ShallowRef<Record<string, RemoteCursor[]>>
  readonly liveState: ShallowRef<Record<string, LiveMemberState[]>>
  setConnection(state: ConnectionState): void
  /** Sets (or with `null` removes) a channel's state; returns the previous one. */
  setChannel(name: string, state: ChannelState | null): ChannelState | null
  pushMessage(name: string, message: ReceivedMessage): void
  pushChange(name: string, change: ReceivedChange): void
  /** Publishes a channel's presence (built by the channel's presence tracker). */
  setPresence(name: string, view: ChannelPresence): void
  applyRowChange(name: string, table: string, change: RowChange, rule: CollectionRule): void
  /** Replaces a collection's rows with loaded ones (collection loading, `src/core/collection-loader.ts`). */
  replaceCollection(name: string, table: string, rows: readonly Row[], rule: CollectionRule): void
  /** Applies a change only to a row the collection already holds; returns whether it changed. */
  maintainCollection(name: string, table: string, change: RowChange): boolean
  /** Forgets the collections of a channel. */
  dropCollections(name: string): void
  /** Forgets presence and collections of a channel (messages and changes are kept as history). */
  dropChannelData(name: string): void
  /** Publishes a channel's remote cursors and live states (`undefined` keeps, `null` removes the channel's entry). */
  setLive(name: string, cursors: RemoteCursor[] | null | undefined, states: LiveMemberState[] | null | undefined): void
  reset(): void
}

// NOTE: a new list per message, so computeds over one channel see the change. It is not frozen:
// freezing a 200-item array on every message tripled the plugin's per-message cost (see the bench).
function appendBounded<T>(list: readonly T[] | undefined, item: T, max: number): T[] {
  if (!list || list.length === 0) return [item]
  const start = list.length >= max ? list.length - max + 1 : 0
  const next = list.slice(start)
  next.push(item)
  return next
}

/**
 * A copy of `record` with `name` set to `value`, or removed when `value` is `null`; `record` itself
 * when there is nothing to remove (assigned back to its ref, it triggers nothing).
 */
function withEntry<T>(record: Record<string, T>, name: string, value: T | null): Record<string, T> {
  if (value !== null) return { ...record, [name]: value }
  if (!(name in record)) return record
  const next = { ...record }
  delete next[name]
  return next
}

/** Creates the state of one plugin instance. `maxMessages` bounds `messages` and `changes` per channel. */
export function createRealtimeState(maxMessages: number): RealtimeState {
  const connection = shallowRef<ConnectionState>(initialConnectionState())
  const channels = shallowRef<Record<string, ChannelState>>({})
  const messages = shallowRef<Record<string, ReceivedMessage[]>>({})
  const presence = shallowRef<Record<string, ChannelPresence>>({})
  const changes = shallowRef<Record<string, ReceivedChange[]>>({})
  const collections = shallowRef<Record<string, Record<string, Row[]>>>({})
  const cursors = shallowRef<Record<string, RemoteCursor[]>>({})
  const liveState = shallowRef<Record<string, LiveMemberState[]>>({})
  const live = new Map<string, Map<string, LiveCollection>>()

  const collectionOf = (name: string, table: string, rule: CollectionRule): LiveCollection => {
    let tables = live.get(name)
    if (!tables) {
      tables = new Map()
      live.set(name, tables)
    }
    let collection = tables.get(table)
    if (!collection) {
      collection = new LiveCollection(rule)
      tables.set(table, collection)
    }
    return collection
  }
  const publishCollection = (name: string, table: string, collection: LiveCollection) => {
    collections.value = withEntry(collections.value, name, { ...collections.value[name], [table]: collection.list() })
  }
  const dropCollections = (name: string) => {
    live.delete(name)
    collections.value = withEntry(collections.value, name, null)
  }

  return {
    connection,
    channels,
    messages,
    presence,
    changes,
    collections,
    cursors,
    liveState,
    setConnection(state) {
      connection.value = state
    },
    setChannel(name, state) {
      const previous = channels.value[name] ?? null
      channels.value = withEntry(channels.value, name, state)
      return previous
    },
    pushMessage(name, message) {
      messages.value = withEntry(messages.value, name, appendBounded(messages.value[name], message, maxMessages))
    },
    pushChange(name, change) {
      changes.value = withEntry(changes.value, name, appendBounded(changes.value[name], change, maxMessages))
    },
    setPresence(name, view) {
      presence.value = withEntry(presence.value, name, view)
    },
    applyRowChange(name, table, change, rule) {
      const collection = collectionOf(name, table, rule)
      const changed = collection.apply(change)
      const known = collections.value[name]?.[table] !== undefined
      if (!changed && known) return
      publishCollection(name, table, collection)
    },
    replaceCollection(name, table, rows, rule) {
      const collection = collectionOf(name, table, rule)
      collection.replaceAll(rows)
      publishCollection(name, table, collection)
    },
    maintainCollection(name, table, change) {
      const collection = live.get(name)?.get(table)
      if (!collection || !collection.applyIfKnown(change)) return false
      publishCollection(name, table, collection)
      return true
    },
    dropCollections,
    dropChannelData(name) {
      dropCollections(name)
      presence.value = withEntry(presence.value, name, null)
    },
    setLive(name, cursorList, states) {
      if (cursorList !== undefined) cursors.value = withEntry(cursors.value, name, cursorList)
      if (states !== undefined) liveState.value = withEntry(liveState.value, name, states)
    },
    reset() {
      live.clear()
      cursors.value = {}
      liveState.value = {}
      channels.value = {}
      messages.value = {}
      presence.value = {}
      changes.value = {}
      collections.value = {}
      triggerRef(connection)
    },
  }
}

import type { ChannelGap, CollectionsOverlay, CollectionsSink } from '../core/channel-collections'
import type { RealtimeState } from '../store/realtime-state'
import type { HostPublisher } from './host-publisher'

/** What the sink of one channel's collections needs beside the state. */
export interface CollectionsSinkParts {
  state: RealtimeState
  publisher: HostPublisher
  /** The channel's collections overlay now (`stale`, statuses). */
  overlay(): CollectionsOverlay | undefined
  gap(gap: ChannelGap): void
  log(level: 'warn', message: string, meta?: Record<string, unknown>): void
}

/** Where the collections of channel `name` write: the state behind `collections` and `channels`, published to the host. */
export function collectionsSink(name: string, parts: CollectionsSinkParts): CollectionsSink {
  const { state, publisher } = parts
  return {
    replace: (table, rows, rule) => state.replaceCollection(name, table, rows, rule),
    apply: (table, change, rule) => state.applyRowChange(name, table, change, rule),
    maintain: (table, change) => state.maintainCollection(name, table, change),
    drop: () => state.dropCollections(name),
    rowsChanged: () => publisher.markDirty('collections'),
    statusChanged: () => {
      const current = state.channels.value[name]
      if (current) state.setChannel(name, { ...current, ...parts.overlay() })
      publisher.markDirty('channels')
    },
    gap: parts.gap,
    log: parts.log,
  }
}

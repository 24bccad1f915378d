import type { ChannelRegistry } from '../core/channel-registry'
import type { HostAdapter } from '../core/host-adapter'
import type { PointerWindow } from '../core/live/live-types'
import type { StateWatcher } from '../core/state-watchers'
import type { ChannelStatus, VariableId } from '../core/types'
import type { HostPublisher } from './host-publisher'

/** What live cursors and state need from the channels below them. */
export interface LiveLink {
  /** A subscribed channel's status and this instance's presence key there, or `null`. */
  channel(name: string): { status: ChannelStatus; presenceKey: string } | null
  /** Pushes a broadcast without acknowledgement; `false` when it could not be sent now. */
  sendVolatile(channel: string, event: string, payload: Record<string, unknown>): boolean
  /** Follows a channel's states (`null` once it is left), before the variables show them; returns the remover. */
  watch(channel: string, watcher: StateWatcher): () => void
  /** A variable changed. */
  changed(id: VariableId): void
  log(level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void
}

/** The plugin options live sharing reads. */
export interface LiveOptions {
  /** The room's messages-per-second budget. @default 100 */
  maxMessagesPerSecond?: number
  /** Where pointer moves are read for Share cursor. @default none */
  window?: PointerWindow | null
}

/** The {@link LiveLink} over the runtime's registry, publisher and host. */
export function liveLink(registry: Pick<ChannelRegistry, 'get' | 'sendVolatile' | 'watch'>, publisher: Pick<HostPublisher, 'markDirty'>, host: HostAdapter): LiveLink {
  return {
    channel: (name) => {
      const view = registry.get(name)
      return view ? { status: view.state.status, presenceKey: view.presence.self.key } : null
    },
    sendVolatile: (name, event, payload) => registry.sendVolatile(name, event, payload),
    watch: (name, watcher) => registry.watch(name, watcher),
    changed: (id) => publisher.markDirty(id),
    log: (level, message, meta) => host.log?.(level, message, meta),
  }
}

import type { RealtimeChannel, RealtimePostgresChangesPayload } from '@supabase/supabase-js'
import type { RealtimeRestClient } from './realtime-rest-client'
import { companionBindings, type ChannelConfig, type PostgresBindingConfig } from './channel-config'
import type { RawBroadcast } from './channel-inbox'
import type { SdkJoinConfig } from './channel-replay'
import type { Row } from './types'

/** A `system` message of a channel (docs/realtime-protocol.md §5.6). */
export interface SystemMessage {
  extension?: string
  status?: string
  message?: string
}

/** Where the events of one supabase-js channel go. */
export interface SdkChannelHandlers {
  broadcast(message: RawBroadcast): void
  /** A row change, once per server frame; `companion` changes come from the bindings that only maintain collections. */
  postgres(payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean): void
  system(message: SystemMessage): void
}

/**
 * The supabase-js channel object for `name`, set to join with `sdkConfig`. supabase-js returns an
 * existing object for a known topic: a joined one cannot be joined again, so it is replaced; an
 * unjoined one the app made on a shared client keeps its listeners but joins with these settings.
 */
export async function createSdkChannel(client: RealtimeRestClient, name: string, sdkConfig: SdkJoinConfig): Promise<RealtimeChannel> {
  let channel = client.channel(name, { config: sdkConfig })
  if (channel.joinedOnce || channel.state !== 'closed') {
    await client.removeChannel(channel)
    channel = client.channel(name, { config: sdkConfig })
  } else {
    // NOTE: the settings are read at join time.
    channel.params.config = { ...channel.params.config, ...sdkConfig }
    channel.private = sdkConfig.private
  }
  return channel
}

/**
 * Listens to a channel's broadcasts, database changes and system messages while `live()` holds;
 * returns the postgres filters given to supabase-js, in order (the join payload lists them).
 */
export function bindSdkChannel(channel: RealtimeChannel, config: ChannelConfig, handlers: SdkChannelHandlers, live: () => boolean): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = []
  let lastFrame: object | null = null
  // NOTE: one server frame fires every binding it matches with the same payload object; keep one.
  const onChange = (payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean) => {
    if (!live() || payload === lastFrame) return
    lastFrame = payload
    handlers.postgres(payload, binding, companion)
  }
  channel.on('broadcast', { event: '*' }, (message: RawBroadcast) => {
    if (live()) handlers.broadcast(message)
  })
  const companions = companionBindings(config.postgresChanges)
  // NOTE: the companions (no filter, no select) are registered after the user's bindings, so a
  // frame both match reaches the user's first.
  for (const binding of [...config.postgresChanges, ...companions]) {
    const companion = companions.includes(binding)
    const filter: { event: PostgresBindingConfig['event']; schema: string; table: string; filter?: string; select?: string[] } = {
      event: binding.event,
      schema: binding.schema,
      table: binding.table,
    }
    if (binding.filter) filter.filter = binding.filter
    if (binding.select) filter.select = binding.select
    filters.push(filter)
    channel.on('postgres_changes', filter, (payload: RealtimePostgresChangesPayload<Row>) => onChange(payload, binding, companion))
  }
  channel.on('system', {}, (message: SystemMessage) => {
    if (live()) handlers.system(message)
  })
  return filters
}

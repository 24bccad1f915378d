import { computed, toValue, type ComputedRef, type DeepReadonly, type MaybeRefOrGetter } from 'vue'
import type { BroadcastInput } from '../../actions/broadcast-message'
import type { SubscribeInput } from '../../actions/subscribe-to-channel'
import type { ChannelPresence, ChannelState, PresenceMember, ReceivedMessage } from '../core/types'
import type { PresenceResult } from '../runtime/realtime-runtime'
import { useRealtimePlugin } from './use-realtime-plugin'

/** One channel seen from a component: reactive state plus the actions bound to its name. */
export interface UseChannelReturn {
  state: ComputedRef<DeepReadonly<ChannelState> | null>
  messages: ComputedRef<DeepReadonly<ReceivedMessage[]>>
  presence: ComputedRef<DeepReadonly<ChannelPresence> | null>
  members: ComputedRef<DeepReadonly<PresenceMember[]>>
  count: ComputedRef<number>
  subscribe(options?: Omit<SubscribeInput, 'channel'>): Promise<{ channel: string; status: 'SUBSCRIBED' }>
  broadcast(event: string, payload?: BroadcastInput['payload']): Promise<{ status: 'ok' }>
  track(state?: Record<string, unknown>): Promise<PresenceResult>
  unsubscribe(): Promise<{ status: 'ok' }>
}

/** Binds a component to one channel by name (a ref or getter works too). */
export function useChannel(name: MaybeRefOrGetter<string>): UseChannelReturn {
  const plugin = useRealtimePlugin()
  const v = plugin.variables
  const presence = computed(() => v.presence[toValue(name)] ?? null)
  return {
    state: computed(() => v.channels[toValue(name)] ?? null),
    messages: computed(() => v.messages[toValue(name)] ?? []),
    presence,
    members: computed(() => presence.value?.members ?? []),
    count: computed(() => presence.value?.count ?? 0),
    subscribe: (options = {}) => plugin.execute('subscribe', { ...options, channel: toValue(name) }),
    broadcast: (event, payload) => plugin.execute('broadcast', { channel: toValue(name), event, payload: payload ?? {} }),
    track: (state = {}) => plugin.execute('presence', { channel: toValue(name), action: 'track', state }),
    unsubscribe: () => plugin.execute('unsubscribe', { channel: toValue(name) }),
  }
}

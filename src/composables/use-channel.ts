import { computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch, type ComputedRef, type DeepReadonly, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { _runtimeOf, type RealtimePlugin } from '../create-realtime-plugin'
import { toPluginError, type RealtimePluginError } from '../core/errors'
import type { BroadcastInput } from '../../actions/broadcast-message'
import type { SubscribeInput } from '../../actions/subscribe-to-channel'
import type { ChannelPresence, ChannelState, LiveMemberState, PresenceMember, ReceivedMessage, RemoteCursor } from '../core/types'
import { holdersOf } from '../runtime/channel-holders'
import type { PresenceResult } from '../runtime/realtime-runtime'
import { useRealtimePlugin } from './use-realtime-plugin'

/** One channel seen from a component: reactive state plus the actions bound to its name. */
export interface UseChannelReturn {
  state: ComputedRef<DeepReadonly<ChannelState> | null>
  messages: ComputedRef<DeepReadonly<ReceivedMessage[]>>
  presence: ComputedRef<DeepReadonly<ChannelPresence> | null>
  members: ComputedRef<DeepReadonly<PresenceMember[]>>
  count: ComputedRef<number>
  /** The other members' pointers on this channel (Share cursor). */
  cursors: ComputedRef<DeepReadonly<RemoteCursor[]>>
  /** The other members' live state on this channel (Set live state). */
  liveState: ComputedRef<DeepReadonly<LiveMemberState[]>>
  subscribe(options?: Omit<SubscribeInput, 'channel'>): Promise<{ channel: string; status: 'SUBSCRIBED' }>
  broadcast(event: string, payload?: BroadcastInput['payload']): Promise<{ status: 'ok' }>
  track(state?: Record<string, unknown>): Promise<PresenceResult>
  unsubscribe(): Promise<{ status: 'ok' }>
  /** With `subscribe` options: the error of the automatic subscription, or `null`. */
  error: ShallowRef<RealtimePluginError | null>
}

/** Options of {@link useChannel}. */
export interface UseChannelOptions {
  /**
   * Subscribe while the component (or effect scope) lives, with these settings, and leave the
   * channel when the last component using it is gone.
   */
  subscribe?: Omit<SubscribeInput, 'channel'>
}

function hold(plugin: RealtimePlugin, name: string): void {
  const runtime = _runtimeOf(plugin)
  if (runtime) holdersOf(runtime).hold(name)
}

/** Returns whether this was the last holder (counted per runtime, beside what it has subscribed). */
function release(plugin: RealtimePlugin, name: string): boolean {
  const runtime = _runtimeOf(plugin)
  return runtime ? holdersOf(runtime).release(name) : true
}

/**
 * Binds a component to one channel by name (a ref or getter works too). With `subscribe`, the
 * channel is joined while the component lives and left after the last user unmounts.
 */
export function useChannel(name: MaybeRefOrGetter<string>, options: UseChannelOptions = {}): UseChannelReturn {
  const plugin = useRealtimePlugin()
  const v = plugin.variables
  const presence = computed(() => v.presence[toValue(name)] ?? null)
  const error = shallowRef<RealtimePluginError | null>(null)
  const auto = options.subscribe
  if (auto) {
    if (!getCurrentScope()) console.warn('[Realtime] useChannel({ subscribe }) outside a component or effect scope never leaves the channel.')
    let held: string | null = null
    const leave = (channel: string) => {
      if (release(plugin, channel)) void plugin.execute('unsubscribe', { channel }).catch(() => undefined)
    }
    watch(
      () => toValue(name),
      (channel) => {
        if (held !== null) leave(held)
        held = channel
        hold(plugin, channel)
        error.value = null
        plugin.execute('subscribe', { ...auto, channel }).catch((e: unknown) => {
          if (held === channel) error.value = toPluginError(e)
        })
      },
      { immediate: true },
    )
    if (getCurrentScope()) {
      onScopeDispose(() => {
        if (held !== null) leave(held)
        held = null
      })
    }
  }
  return {
    error,
    state: computed(() => v.channels[toValue(name)] ?? null),
    messages: computed(() => v.messages[toValue(name)] ?? []),
    presence,
    members: computed(() => presence.value?.members ?? []),
    count: computed(() => presence.value?.count ?? 0),
    cursors: computed(() => v.cursors[toValue(name)] ?? []),
    liveState: computed(() => v.liveState[toValue(name)] ?? []),
    subscribe: (options = {}) => plugin.execute('subscribe', { ...options, channel: toValue(name) }),
    broadcast: (event, payload) => plugin.execute('broadcast', { channel: toValue(name), event, payload: payload ?? {} }),
    track: (state = {}) => plugin.execute('presence', { channel: toValue(name), action: 'track', state }),
    unsubscribe: () => plugin.execute('unsubscribe', { channel: toValue(name) }),
  }
}
